package dev.cirrus.contracts.events;

/**
 * The data of every {@code Microsoft.Compute.VirtualMachine*} event: what a consumer (billing, the gateway's
 * resource index) needs without calling back.
 *
 * @param subscriptionId    subscription GUID
 * @param resourceGroup     resource group name as the user cased it
 * @param name              VM name
 * @param location          normalised ARM location, e.g. "westeurope"
 * @param vmId              the platform-assigned GUID
 * @param vmSize            e.g. "Standard_D2s_v5"
 * @param vcpus             from the size catalogue
 * @param memoryMib         from the size catalogue
 * @param provisioningState ARM provisioning state after the transition
 * @param powerState        "starting", "running", "stopping", "stopped", "deallocating", "deallocated" or null
 *                          while no power state exists (creating, deleted)
 * @param host              the host the VM runs on, or null
 * @param faultDomain       platform fault domain, or null when not placed
 * @param updateDomain      platform update domain, or null when not placed
 */
public record VmLifecycleData(String subscriptionId, String resourceGroup, String name, String location, String vmId,
                              String vmSize, int vcpus, int memoryMib, String provisioningState, String powerState,
                              String host, Integer faultDomain, Integer updateDomain) {
}
