package dev.cirrus.computevm.network;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import dev.cirrus.contracts.arm.ResourceId;
import dev.cirrus.plumbing.arm.ArmException;

/**
 * A virtual network: an address space of one or more IPv4 prefixes that do not overlap, and subnets inside it that
 * do not overlap each other. Which addresses of a subnet are taken is not part of the document: the NICs hold them
 * ({@code network_private_ips}).
 */
public record VirtualNetwork(String subscriptionId, String resourceGroup, String name, String location,
                             Map<String, String> tags, List<String> addressPrefixes, List<Subnet> subnets) {

    public static final String TYPE = "Microsoft.Network/virtualNetworks";

    public VirtualNetwork {
        tags = Map.copyOf(tags);
        addressPrefixes = List.copyOf(addressPrefixes);
        subnets = List.copyOf(subnets);
    }

    /**
     * A subnet.
     *
     * @param networkSecurityGroupId the NSG applied to the subnet, or null
     */
    public record Subnet(String name, String addressPrefix, String networkSecurityGroupId) {

        public Ipv4Prefix prefix() {
            return Ipv4Prefix.parse(addressPrefix).orElseThrow();
        }
    }

    public ResourceId resourceId() {
        return ResourceId.of(subscriptionId, resourceGroup, "Microsoft.Network", "virtualNetworks", name);
    }

    public String id() {
        return resourceId().toString();
    }

    public String key() {
        return resourceId().key();
    }

    public String subnetId(Subnet subnet) {
        return id() + "/subnets/" + subnet.name();
    }

    public String subnetKey(String subnetName) {
        return (key() + "/subnets/" + subnetName).toLowerCase(Locale.ROOT);
    }

    public Optional<Subnet> subnet(String subnetName) {
        return subnets.stream().filter(s -> s.name().equalsIgnoreCase(subnetName)).findFirst();
    }

    /** This network with {@code subnet} added or replacing the one of the same name. */
    public VirtualNetwork withSubnet(Subnet subnet) {
        List<Subnet> next = new ArrayList<>();
        boolean replaced = false;
        for (Subnet s : subnets) {
            if (s.name().equalsIgnoreCase(subnet.name())) {
                next.add(subnet);
                replaced = true;
            } else {
                next.add(s);
            }
        }
        if (!replaced) {
            next.add(subnet);
        }
        return new VirtualNetwork(subscriptionId, resourceGroup, name, location, tags, addressPrefixes, next);
    }

    public VirtualNetwork withoutSubnet(String subnetName) {
        return new VirtualNetwork(subscriptionId, resourceGroup, name, location, tags, addressPrefixes,
                subnets.stream().filter(s -> !s.name().equalsIgnoreCase(subnetName)).toList());
    }

    /**
     * Refuses an address space or subnets Azure refuses: prefixes must be well formed and apart, every subnet a /2
     * to /29 inside the space and apart from its siblings, subnet names unique. {@code subnetTarget} names the
     * property a subnet refusal points at ({@code properties.subnets[i]…} inline, {@code properties.addressPrefix}
     * for the child resource).
     */
    public void check(SubnetTarget subnetTarget) {
        if (addressPrefixes.isEmpty()) {
            throw ArmException.badRequest("InvalidRequestFormat", "Cannot parse the request: the virtual network '"
                    + name + "' needs at least one address prefix in properties.addressSpace.addressPrefixes.",
                    "properties.addressSpace.addressPrefixes");
        }
        List<Ipv4Prefix> space = new ArrayList<>();
        for (int i = 0; i < addressPrefixes.size(); i++) {
            String target = "properties.addressSpace.addressPrefixes[" + i + "]";
            Ipv4Prefix p = prefix(addressPrefixes.get(i), target);
            for (Ipv4Prefix other : space) {
                if (other.overlaps(p)) {
                    throw ArmException.badRequest("VnetAddressSpacesOverlap", "Address prefix " + p + " of virtual "
                            + "network '" + name + "' overlaps with its address prefix " + other + ".", target);
                }
            }
            space.add(p);
        }
        Set<String> names = new HashSet<>();
        List<Subnet> seen = new ArrayList<>();
        for (int i = 0; i < subnets.size(); i++) {
            Subnet s = subnets.get(i);
            if (!names.add(s.name().toLowerCase(Locale.ROOT))) {
                throw ArmException.badRequest("DuplicateResourceName", "Virtual network '" + name + "' has two subnets "
                        + "named '" + s.name() + "'.", subnetTarget.name(i));
            }
            String target = subnetTarget.prefix(i);
            Ipv4Prefix p = prefix(s.addressPrefix(), target);
            if (p.length() > SubnetAddresses.SMALLEST || p.length() < SubnetAddresses.LARGEST) {
                throw ArmException.badRequest("NetcfgInvalidSubnet", "Subnet '" + s.name() + "' is not valid in "
                        + "virtual network '" + name + "': a subnet is at most a /" + SubnetAddresses.LARGEST
                        + " and at least a /" + SubnetAddresses.SMALLEST + ", not " + p + ".", target);
            }
            if (space.stream().noneMatch(sp -> sp.contains(p))) {
                throw ArmException.badRequest("NetcfgSubnetRangeOutsideVnet", "Subnet '" + s.name() + "' is not valid "
                        + "because its IP address range is outside the IP address range of virtual network '" + name
                        + "'.", target);
            }
            for (Subnet other : seen) {
                if (other.prefix().overlaps(p)) {
                    throw ArmException.badRequest("NetcfgSubnetRangesOverlap", "Subnet '" + s.name() + "' is not valid "
                            + "because its IP address range overlaps with that of an existing subnet ('" + other.name()
                            + "') in virtual network '" + name + "'.", target);
                }
            }
            seen.add(s);
        }
    }

    /** Where a subnet's refusal points. */
    public interface SubnetTarget {
        String name(int index);

        String prefix(int index);

        SubnetTarget INLINE = new SubnetTarget() {
            @Override
            public String name(int index) {
                return "properties.subnets[" + index + "].name";
            }

            @Override
            public String prefix(int index) {
                return "properties.subnets[" + index + "].properties.addressPrefix";
            }
        };

        static SubnetTarget child(String subnetName, List<Subnet> subnets) {
            return new SubnetTarget() {
                @Override
                public String name(int index) {
                    return "name";
                }

                @Override
                public String prefix(int index) {
                    return subnets.get(index).name().equalsIgnoreCase(subnetName) ? "properties.addressPrefix"
                            : "properties.subnets[" + index + "].properties.addressPrefix";
                }
            };
        }
    }

    static Ipv4Prefix prefix(String text, String target) {
        return Ipv4Prefix.parse(text).orElseThrow(() -> ArmException.badRequest("InvalidAddressPrefixFormat",
                "Address prefix " + text + " is not formatted correctly: it must be an IPv4 prefix in CIDR notation "
                        + "(a.b.c.d/n) with no bits set beyond its length.", target));
    }
}
