package dev.cirrus.computevm.network;

import java.util.Map;

import dev.cirrus.contracts.arm.ResourceId;

/**
 * A public IP address. Standard SKU addresses are Static; a Static address is taken from the pool at creation; a
 * Dynamic one has no address in Cirrus (Azure gives it one only while a running VM uses it; Cirrus does not yet).
 *
 * @param ipAddress       the address held, or null
 * @param domainNameLabel the DNS label, unique per region, or null
 */
public record PublicIpAddress(String subscriptionId, String resourceGroup, String name, String location,
                              Map<String, String> tags, String sku, String allocationMethod, String ipAddress,
                              int idleTimeoutInMinutes, String domainNameLabel) {

    public static final String TYPE = "Microsoft.Network/publicIPAddresses";

    public PublicIpAddress {
        tags = Map.copyOf(tags);
    }

    public ResourceId resourceId() {
        return ResourceId.of(subscriptionId, resourceGroup, "Microsoft.Network", "publicIPAddresses", name);
    }

    public String id() {
        return resourceId().toString();
    }

    public String key() {
        return resourceId().key();
    }

    public PublicIpAddress withAddress(String address) {
        return new PublicIpAddress(subscriptionId, resourceGroup, name, location, tags, sku, allocationMethod, address,
                idleTimeoutInMinutes, domainNameLabel);
    }
}
