package dev.cirrus.computevm.scaleset;

import java.util.List;
import java.util.Map;

import dev.cirrus.computevm.size.VmSize;
import dev.cirrus.computevm.vm.VmRequest;
import tools.jackson.databind.node.ObjectNode;

/**
 * A validated scale set PUT body (defaults filled).
 *
 * @param size              the catalogue entry of {@code sku.name}; null for a Flexible set without a size
 * @param skuTier           {@code sku.tier} as given (null when absent)
 * @param capacity          {@code sku.capacity} (0 when absent)
 * @param faultDomainCount  {@code platformFaultDomainCount}, the default when absent
 * @param settings          the policies and flags
 * @param model             {@code virtualMachineProfile} read as a VM request (null when absent)
 * @param storedProfile     {@code virtualMachineProfile} as accepted, write-only values removed (null when absent)
 */
record ScaleSetRequest(String location, Map<String, String> tags, List<String> zones, OrchestrationMode mode,
                       VmSize size, String skuTier, long capacity, int faultDomainCount, ScaleSetSettings settings,
                       VmRequest model, ObjectNode storedProfile, String computerNamePrefix) {
}
