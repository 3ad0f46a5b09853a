package dev.cirrus.computevm.network;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import dev.cirrus.contracts.arm.ResourceId;

/**
 * A network interface: IP configurations, each in a subnet with a private address (Dynamic: the subnet's lowest
 * free one; Static: the one asked for), optionally with a public IP address; optionally an NSG. The VM it is
 * attached to is set by the VM, never by a PUT of the NIC.
 *
 * @param virtualMachineId the VM the NIC is attached to, or null
 * @param macAddress       given when the NIC is attached to a VM, or null
 */
public record NetworkInterface(String subscriptionId, String resourceGroup, String name, String location,
                               Map<String, String> tags, List<IpConfiguration> ipConfigurations,
                               String networkSecurityGroupId, String virtualMachineId, String macAddress) {

    public static final String TYPE = "Microsoft.Network/networkInterfaces";

    public NetworkInterface {
        tags = Map.copyOf(tags);
        ipConfigurations = List.copyOf(ipConfigurations);
    }

    /**
     * @param privateIpAddress the address held (after allocation), or the Static address asked for
     * @param publicIpAddressId the public IP associated, or null
     */
    public record IpConfiguration(String name, String subnetId, String privateIpAllocationMethod,
                                  String privateIpAddress, boolean primary, String publicIpAddressId) {

        public IpConfiguration withAddress(String address) {
            return new IpConfiguration(name, subnetId, privateIpAllocationMethod, address, primary, publicIpAddressId);
        }

        public String subnetKey() {
            return subnetId.toLowerCase(Locale.ROOT);
        }
    }

    public ResourceId resourceId() {
        return ResourceId.of(subscriptionId, resourceGroup, "Microsoft.Network", "networkInterfaces", name);
    }

    public String id() {
        return resourceId().toString();
    }

    public String key() {
        return resourceId().key();
    }

    public NetworkInterface withIpConfigurations(List<IpConfiguration> configurations) {
        return new NetworkInterface(subscriptionId, resourceGroup, name, location, tags, configurations,
                networkSecurityGroupId, virtualMachineId, macAddress);
    }

    public NetworkInterface attachedTo(String vmId, String mac) {
        return new NetworkInterface(subscriptionId, resourceGroup, name, location, tags, ipConfigurations,
                networkSecurityGroupId, vmId, mac);
    }

    /** The lower-cased ids this NIC points at: its subnets, public IPs and NSG. */
    public List<String> references() {
        List<String> refs = new ArrayList<>();
        for (IpConfiguration c : ipConfigurations) {
            refs.add(c.subnetKey());
            if (c.publicIpAddressId() != null) {
                refs.add(c.publicIpAddressId().toLowerCase(Locale.ROOT));
            }
        }
        if (networkSecurityGroupId != null) {
            refs.add(networkSecurityGroupId.toLowerCase(Locale.ROOT));
        }
        return refs.stream().distinct().toList();
    }
}
