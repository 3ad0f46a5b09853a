package dev.cirrus.computevm.vm;

import java.util.List;
import java.util.Map;

import dev.cirrus.computevm.network.NicAttachments;
import dev.cirrus.computevm.size.VmSize;
import tools.jackson.databind.node.ObjectNode;

/**
 * A validated PUT body. Optional parts are null when absent; {@code properties} is the request's
 * {@code properties} object without its write-only values, kept to compare an update with the stored VM.
 *
 * @param location              normalised location
 * @param tags                  the tag map (empty when absent: a PUT replaces the tags)
 * @param zones                 null when absent
 * @param size                  the catalogue entry of {@code hardwareProfile.vmSize}
 * @param imageReference        null when absent (required for a create)
 * @param osDisk                as given, defaults not yet filled; null when absent
 * @param dataDisks             as given, defaults not yet filled; empty when absent
 * @param networkProfile        as given, null when absent (required for a create)
 * @param nicConfigurations     {@code networkProfile.networkInterfaceConfigurations} read, empty when absent
 * @param availabilitySetId     {@code properties.availabilitySet.id}, or null
 */
public record VmRequest(String location, Map<String, String> tags, List<String> zones, VmSize size,
                        VmProfile.ImageReference imageReference, VmProfile.OsDisk osDisk,
                        List<VmProfile.DataDisk> dataDisks, VmProfile.OsProfile osProfile,
                        VmProfile.NetworkProfile networkProfile,
                        List<NicAttachments.Configuration> nicConfigurations, String availabilitySetId,
                        ObjectNode properties) {

    /** This request with the network profile the VM ends up with (NICs attached or created). */
    public VmRequest withNetworkProfile(VmProfile.NetworkProfile resolved) {
        return new VmRequest(location, tags, zones, size, imageReference, osDisk, dataDisks, osProfile, resolved,
                nicConfigurations, availabilitySetId, properties);
    }
}
