package dev.cirrus.computevm.network;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import dev.cirrus.contracts.arm.ResourceId;
import dev.cirrus.plumbing.arm.ArmException;

/**
 * A network security group: the user's rules (priority 100 to 4096, unique per direction) and Azure's six default
 * rules, which are always there and cannot be changed.
 */
public record NetworkSecurityGroup(String subscriptionId, String resourceGroup, String name, String location,
                                   Map<String, String> tags, List<SecurityRule> securityRules) {

    public static final String TYPE = "Microsoft.Network/networkSecurityGroups";

    public NetworkSecurityGroup {
        tags = Map.copyOf(tags);
        securityRules = List.copyOf(securityRules);
    }

    /** A rule; the plural fields hold what the singular ones do not (Azure takes either form). */
    public record SecurityRule(String name, String description, String protocol, String sourcePortRange,
                               List<String> sourcePortRanges, String destinationPortRange,
                               List<String> destinationPortRanges, String sourceAddressPrefix,
                               List<String> sourceAddressPrefixes, String destinationAddressPrefix,
                               List<String> destinationAddressPrefixes, String access, int priority,
                               String direction) {
    }

    /** Azure's default rules, in the order Azure lists them. */
    public static final List<SecurityRule> DEFAULT_RULES = List.of(
            rule("AllowVnetInBound", "Allow inbound traffic from all VMs in VNET", "VirtualNetwork", "VirtualNetwork",
                    "Allow", 65000, "Inbound"),
            rule("AllowAzureLoadBalancerInBound", "Allow inbound traffic from azure load balancer", "AzureLoadBalancer",
                    "*", "Allow", 65001, "Inbound"),
            rule("DenyAllInBound", "Deny all inbound traffic", "*", "*", "Deny", 65500, "Inbound"),
            rule("AllowVnetOutBound", "Allow outbound traffic from all VMs to all VMs in VNET", "VirtualNetwork",
                    "VirtualNetwork", "Allow", 65000, "Outbound"),
            rule("AllowInternetOutBound", "Allow outbound traffic from all VMs to Internet", "*", "Internet", "Allow",
                    65001, "Outbound"),
            rule("DenyAllOutBound", "Deny all outbound traffic", "*", "*", "Deny", 65500, "Outbound"));

    private static SecurityRule rule(String name, String description, String source, String destination, String access,
                                     int priority, String direction) {
        return new SecurityRule(name, description, "*", "*", List.of(), "*", List.of(), source, List.of(), destination,
                List.of(), access, priority, direction);
    }

    public ResourceId resourceId() {
        return ResourceId.of(subscriptionId, resourceGroup, "Microsoft.Network", "networkSecurityGroups", name);
    }

    public String id() {
        return resourceId().toString();
    }

    public String key() {
        return resourceId().key();
    }

    /** This group with {@code rule} added or replacing the one of the same name. */
    public NetworkSecurityGroup withRule(SecurityRule rule) {
        List<SecurityRule> next = new ArrayList<>(securityRules.stream()
                .filter(r -> !r.name().equalsIgnoreCase(rule.name())).toList());
        next.add(rule);
        return new NetworkSecurityGroup(subscriptionId, resourceGroup, name, location, tags, next);
    }

    public NetworkSecurityGroup withoutRule(String ruleName) {
        return new NetworkSecurityGroup(subscriptionId, resourceGroup, name, location, tags,
                securityRules.stream().filter(r -> !r.name().equalsIgnoreCase(ruleName)).toList());
    }

    /** Two rules of one direction may not share a priority, nor two rules a name (Azure's SecurityRuleConflict). */
    public void check(String targetPrefix) {
        for (int i = 0; i < securityRules.size(); i++) {
            SecurityRule a = securityRules.get(i);
            for (int j = 0; j < i; j++) {
                SecurityRule b = securityRules.get(j);
                if (a.name().equalsIgnoreCase(b.name())) {
                    throw ArmException.badRequest("DuplicateResourceName", "Network security group '" + name
                            + "' has two security rules named '" + a.name() + "'.", targetPrefix + "[" + i + "].name");
                }
                if (a.priority() == b.priority() && a.direction().equals(b.direction())) {
                    throw ArmException.badRequest("SecurityRuleConflict", "Security rule " + b.name() + " conflicts "
                            + "with rule " + a.name() + ". Rules cannot have the same Priority and Direction.",
                            targetPrefix + "[" + i + "].properties.priority");
                }
            }
        }
    }
}
