package dev.cirrus.computevm.network;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import dev.cirrus.contracts.arm.ArmJson;
import dev.cirrus.contracts.arm.ArmLocations;
import dev.cirrus.contracts.arm.ArmTags;
import dev.cirrus.contracts.arm.ResourceId;
import dev.cirrus.plumbing.arm.ArmException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Reads the request bodies of Microsoft.Network resources into the domain records; every refusal is an ARM error
 * naming the property. Read-only properties (provisioningState, ipConfigurations of a subnet, virtualMachine of a
 * NIC, ipAddress of a public IP, defaultSecurityRules, …) are ignored, as Azure ignores them.
 */
final class NetworkRequests {

    /** Azure's rule for network resource names: 1 to 80 characters, letters, digits, '_', '.', '-'. */
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9]([A-Za-z0-9_.-]{0,78}[A-Za-z0-9_])?");
    /** Azure's rule for a DNS label: lower case, 3 to 63 characters, starting with a letter. */
    private static final Pattern DNS_LABEL = Pattern.compile("[a-z][a-z0-9-]{1,61}[a-z0-9]");
    private static final Pattern PORT_RANGE = Pattern.compile("\\*|\\d{1,5}(-\\d{1,5})?");
    /** The service tags a rule may name instead of a prefix. */
    private static final List<String> SERVICE_TAGS = List.of("*", "VirtualNetwork", "AzureLoadBalancer", "Internet");

    private NetworkRequests() {
    }

    /** A value echoed in a message: control characters replaced, at most 100 characters. */
    static String shown(String value) {
        if (value == null) {
            return "null";
        }
        String clean = value.codePoints().map(c -> Character.isISOControl(c) ? '?' : c)
                .collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append).toString();
        return clean.length() > 100 ? clean.substring(0, 100) + "…" : clean;
    }

    static void checkName(String name, String what) {
        if (name == null || !NAME.matcher(name).matches()) {
            throw ArmException.badRequest("InvalidResourceName", "Resource name " + shown(name)
                    + " is invalid. The name can be up to 80 characters long. It must begin with a word character, and "
                    + "it must end with a word character or with '_'. The name may contain word characters or '.', "
                    + "'-', '_'.", what);
        }
    }

    private static String location(JsonNode body) {
        String raw = ArmJson.string(body, "location", "location");
        if (raw == null || raw.isBlank()) {
            throw ArmException.badRequest("LocationRequired", "The location property is required for this definition.",
                    "location");
        }
        return ArmLocations.require(raw, "location");
    }

    private static List<String> strings(JsonNode parent, String name, String path) {
        JsonNode array = ArmJson.array(parent, name, path);
        List<String> values = new ArrayList<>();
        if (array != null) {
            for (int i = 0; i < array.size(); i++) {
                if (!array.get(i).isString()) {
                    throw ArmJson.wrongType(path + "[" + i + "]", "a string");
                }
                values.add(array.get(i).stringValue());
            }
        }
        return values;
    }

    /** {@code {"id": "..."}} at {@code name}, checked to be an id of {@code type}, or null. */
    private static String reference(JsonNode parent, String name, String path, String type) {
        ObjectNode ref = ArmJson.object(parent, name, path);
        if (ref == null) {
            return null;
        }
        String text = ArmJson.string(ref, "id", path + ".id");
        if (text == null) {
            throw ArmJson.missing(path + ".id", path + ".id");
        }
        ResourceId id = ResourceId.require(text, path + ".id");
        if (!id.type().equalsIgnoreCase(type)) {
            throw ArmException.badRequest("LinkedInvalidPropertyId", "Property id '" + shown(text)
                    + "' at path '" + path + ".id' is invalid: it must be the id of a " + type + ".", path + ".id");
        }
        return id.toString();
    }

    // ------------------------------------------------------------------ virtual networks

    static VirtualNetwork network(String subscriptionId, String resourceGroup, String name, JsonNode body) {
        ArmJson.requireObject(body);
        String location = location(body);
        Map<String, String> tags = ArmTags.read(body);
        ObjectNode props = ArmJson.object(body, "properties", "properties");
        ObjectNode space = ArmJson.object(props, "addressSpace", "properties.addressSpace");
        List<String> prefixes = strings(space, "addressPrefixes", "properties.addressSpace.addressPrefixes");
        List<VirtualNetwork.Subnet> subnets = new ArrayList<>();
        JsonNode array = ArmJson.array(props, "subnets", "properties.subnets");
        if (array != null) {
            for (int i = 0; i < array.size(); i++) {
                String path = "properties.subnets[" + i + "]";
                if (!array.get(i).isObject()) {
                    throw ArmJson.wrongType(path, "an object");
                }
                String subnetName = ArmJson.string(array.get(i), "name", path + ".name");
                if (subnetName == null) {
                    throw ArmJson.missing("name", path + ".name");
                }
                checkName(subnetName, path + ".name");
                subnets.add(subnet(subnetName, ArmJson.object(array.get(i), "properties", path + ".properties"),
                        path + ".properties"));
            }
        }
        return new VirtualNetwork(subscriptionId, resourceGroup, name, location, tags, prefixes, subnets);
    }

    /** A subnet's {@code properties}: {@code addressPrefix} (or the first of {@code addressPrefixes}), NSG. */
    static VirtualNetwork.Subnet subnet(String name, JsonNode props, String path) {
        String prefix = ArmJson.string(props, "addressPrefix", path + ".addressPrefix");
        if (prefix == null) {
            List<String> prefixes = strings(props, "addressPrefixes", path + ".addressPrefixes");
            if (prefixes.size() > 1) {
                throw ArmException.badRequest("InvalidRequestFormat", "Subnet '" + name + "' has more than one "
                        + "address prefix; Cirrus serves IPv4 subnets with one prefix.", path + ".addressPrefixes");
            }
            prefix = prefixes.isEmpty() ? null : prefixes.getFirst();
        }
        if (prefix == null) {
            throw ArmException.badRequest("InvalidRequestFormat", "Cannot parse the request: subnet '" + name
                    + "' needs properties.addressPrefix.", path + ".addressPrefix");
        }
        String nsg = reference(props, "networkSecurityGroup", path + ".networkSecurityGroup",
                NetworkSecurityGroup.TYPE);
        return new VirtualNetwork.Subnet(name, prefix, nsg);
    }

    // ------------------------------------------------------------------ network interfaces

    static NetworkInterface networkInterface(String subscriptionId, String resourceGroup, String name, JsonNode body) {
        ArmJson.requireObject(body);
        String location = location(body);
        Map<String, String> tags = ArmTags.read(body);
        ObjectNode props = ArmJson.object(body, "properties", "properties");
        JsonNode array = ArmJson.array(props, "ipConfigurations", "properties.ipConfigurations");
        if (array == null || array.isEmpty()) {
            throw ArmException.badRequest("InvalidRequestFormat", "Network interface " + name + " must have at least "
                    + "one IP configuration.", "properties.ipConfigurations");
        }
        List<NetworkInterface.IpConfiguration> configurations = new ArrayList<>();
        List<Boolean> primaryFlags = new ArrayList<>();
        for (int i = 0; i < array.size(); i++) {
            String path = "properties.ipConfigurations[" + i + "]";
            JsonNode c = array.get(i);
            if (!c.isObject()) {
                throw ArmJson.wrongType(path, "an object");
            }
            String configName = ArmJson.string(c, "name", path + ".name");
            if (configName == null) {
                throw ArmJson.missing("name", path + ".name");
            }
            checkName(configName, path + ".name");
            ObjectNode cp = ArmJson.object(c, "properties", path + ".properties");
            String subnet = reference(cp, "subnet", path + ".properties.subnet", "Microsoft.Network/virtualNetworks/subnets");
            if (subnet == null) {
                throw ArmJson.missing("subnet", path + ".properties.subnet");
            }
            String version = ArmJson.oneOf(cp, "privateIPAddressVersion", path + ".properties.privateIPAddressVersion",
                    "IPv4", "IPv6");
            if ("IPv6".equals(version)) {
                throw ArmException.invalidParameter("IPv6 private addresses are not served by Cirrus.",
                        path + ".properties.privateIPAddressVersion");
            }
            String method = ArmJson.oneOf(cp, "privateIPAllocationMethod", path + ".properties.privateIPAllocationMethod",
                    "Dynamic", "Static");
            String address = ArmJson.string(cp, "privateIPAddress", path + ".properties.privateIPAddress");
            if ("Static".equals(method)) {
                if (address == null) {
                    throw ArmException.badRequest("PrivateIPAddressRequired", "IP configuration " + configName
                            + " has privateIPAllocationMethod Static and no privateIPAddress.",
                            path + ".properties.privateIPAddress");
                }
                if (Ipv4Prefix.parseAddress(address).isEmpty()) {
                    throw ArmException.invalidParameter("The private IP address '" + shown(address)
                            + "' is not a valid IPv4 address.", path + ".properties.privateIPAddress");
                }
            } else {
                method = "Dynamic";
                address = null;
            }
            Boolean primary = ArmJson.bool(cp, "primary", path + ".properties.primary");
            primaryFlags.add(primary);
            String publicIp = reference(cp, "publicIPAddress", path + ".properties.publicIPAddress",
                    PublicIpAddress.TYPE);
            configurations.add(new NetworkInterface.IpConfiguration(configName, subnet, method, address,
                    Boolean.TRUE.equals(primary), publicIp));
        }
        long primaries = primaryFlags.stream().filter(Boolean.TRUE::equals).count();
        if (configurations.size() == 1) {
            NetworkInterface.IpConfiguration only = configurations.getFirst();
            configurations.set(0, new NetworkInterface.IpConfiguration(only.name(), only.subnetId(),
                    only.privateIpAllocationMethod(), only.privateIpAddress(), true, only.publicIpAddressId()));
        } else if (primaries != 1) {
            throw ArmException.invalidParameter("Network interface " + name + " has " + configurations.size()
                    + " IP configurations and " + primaries + " of them primary: exactly one must be primary.",
                    "properties.ipConfigurations");
        }
        for (int i = 0; i < configurations.size(); i++) {
            for (int j = 0; j < i; j++) {
                if (configurations.get(i).name().equalsIgnoreCase(configurations.get(j).name())) {
                    throw ArmException.badRequest("DuplicateResourceName", "Network interface " + name + " has two IP "
                            + "configurations named '" + configurations.get(i).name() + "'.",
                            "properties.ipConfigurations[" + i + "].name");
                }
            }
        }
        String nsg = reference(props, "networkSecurityGroup", "properties.networkSecurityGroup",
                NetworkSecurityGroup.TYPE);
        return new NetworkInterface(subscriptionId, resourceGroup, name, location, tags, configurations, nsg, null,
                null);
    }

    // ------------------------------------------------------------------ public IP addresses

    static PublicIpAddress publicIp(String subscriptionId, String resourceGroup, String name, JsonNode body) {
        ArmJson.requireObject(body);
        String location = location(body);
        Map<String, String> tags = ArmTags.read(body);
        ObjectNode sku = ArmJson.object(body, "sku", "sku");
        String skuName = sku == null ? null : ArmJson.oneOf(sku, "name", "sku.name", "Basic", "Standard");
        String tier = sku == null ? null : ArmJson.oneOf(sku, "tier", "sku.tier", "Regional", "Global");
        if ("Global".equals(tier)) {
            throw ArmException.invalidParameter("Global public IP addresses are not served by Cirrus.", "sku.tier");
        }
        skuName = skuName == null ? "Basic" : skuName;
        ObjectNode props = ArmJson.object(body, "properties", "properties");
        String version = ArmJson.oneOf(props, "publicIPAddressVersion", "properties.publicIPAddressVersion",
                "IPv4", "IPv6");
        if ("IPv6".equals(version)) {
            throw ArmException.invalidParameter("IPv6 public addresses are not served by Cirrus.",
                    "properties.publicIPAddressVersion");
        }
        String method = ArmJson.oneOf(props, "publicIPAllocationMethod", "properties.publicIPAllocationMethod",
                "Dynamic", "Static");
        if (method == null) {
            method = skuName.equals("Standard") ? "Static" : "Dynamic";
        }
        if (skuName.equals("Standard") && method.equals("Dynamic")) {
            throw ArmException.badRequest("StandardSkuPublicIPAddressesMustBeStatic", "Standard sku publicIp "
                    + ResourceId.of(subscriptionId, resourceGroup, "Microsoft.Network", "publicIPAddresses", name)
                    + " must have AllocationMethod set to Static.", "properties.publicIPAllocationMethod");
        }
        Integer idle = ArmJson.integer(props, "idleTimeoutInMinutes", "properties.idleTimeoutInMinutes", 4, 30);
        ObjectNode dns = ArmJson.object(props, "dnsSettings", "properties.dnsSettings");
        String label = ArmJson.string(dns, "domainNameLabel", "properties.dnsSettings.domainNameLabel");
        if (label != null && !DNS_LABEL.matcher(label).matches()) {
            throw ArmException.badRequest("InvalidDomainNameLabel", "The domain name label " + shown(label)
                    + " is invalid. It must conform to the following regular expression: ^[a-z][a-z0-9-]{1,61}[a-z0-9]$.",
                    "properties.dnsSettings.domainNameLabel");
        }
        return new PublicIpAddress(subscriptionId, resourceGroup, name, location, tags, skuName, method, null,
                idle == null ? 4 : idle, label);
    }

    // ------------------------------------------------------------------ network security groups

    static NetworkSecurityGroup securityGroup(String subscriptionId, String resourceGroup, String name, JsonNode body) {
        ArmJson.requireObject(body);
        String location = location(body);
        Map<String, String> tags = ArmTags.read(body);
        ObjectNode props = ArmJson.object(body, "properties", "properties");
        List<NetworkSecurityGroup.SecurityRule> rules = new ArrayList<>();
        JsonNode array = ArmJson.array(props, "securityRules", "properties.securityRules");
        if (array != null) {
            for (int i = 0; i < array.size(); i++) {
                String path = "properties.securityRules[" + i + "]";
                if (!array.get(i).isObject()) {
                    throw ArmJson.wrongType(path, "an object");
                }
                String ruleName = ArmJson.string(array.get(i), "name", path + ".name");
                if (ruleName == null) {
                    throw ArmJson.missing("name", path + ".name");
                }
                checkName(ruleName, path + ".name");
                rules.add(securityRule(ruleName, array.get(i).get("properties"), path + ".properties"));
            }
        }
        return new NetworkSecurityGroup(subscriptionId, resourceGroup, name, location, tags, rules);
    }

    /** A security rule's {@code properties}, every field checked as Azure checks it. */
    static NetworkSecurityGroup.SecurityRule securityRule(String name, JsonNode props, String path) {
        if (props == null || !props.isObject()) {
            throw ArmJson.missing("properties", path);
        }
        String protocol = required(ArmJson.oneOf(props, "protocol", path + ".protocol", "Tcp", "Udp", "Icmp", "Esp",
                "Ah", "*"), "protocol", path + ".protocol");
        String access = required(ArmJson.oneOf(props, "access", path + ".access", "Allow", "Deny"), "access",
                path + ".access");
        String direction = required(ArmJson.oneOf(props, "direction", path + ".direction", "Inbound", "Outbound"),
                "direction", path + ".direction");
        JsonNode priorityNode = props.get("priority");
        if (priorityNode == null || priorityNode.isNull()) {
            throw ArmJson.missing("priority", path + ".priority");
        }
        if (!priorityNode.isIntegralNumber() || priorityNode.asLong() < 100 || priorityNode.asLong() > 4096) {
            throw ArmException.badRequest("SecurityRuleInvalidPriority", "Security rule " + name + " has invalid "
                    + "Priority. Value provided: " + priorityNode + ". Allowed range 100-4096.", path + ".priority");
        }
        String description = ArmJson.plainString(props, "description", path + ".description", 140);
        String sourcePort = ArmJson.string(props, "sourcePortRange", path + ".sourcePortRange");
        List<String> sourcePorts = strings(props, "sourcePortRanges", path + ".sourcePortRanges");
        String destinationPort = ArmJson.string(props, "destinationPortRange", path + ".destinationPortRange");
        List<String> destinationPorts = strings(props, "destinationPortRanges", path + ".destinationPortRanges");
        String source = ArmJson.string(props, "sourceAddressPrefix", path + ".sourceAddressPrefix");
        List<String> sources = strings(props, "sourceAddressPrefixes", path + ".sourceAddressPrefixes");
        String destination = ArmJson.string(props, "destinationAddressPrefix", path + ".destinationAddressPrefix");
        List<String> destinations = strings(props, "destinationAddressPrefixes", path + ".destinationAddressPrefixes");
        checkPorts(name, sourcePort, sourcePorts, path + ".sourcePortRange");
        checkPorts(name, destinationPort, destinationPorts, path + ".destinationPortRange");
        checkPrefixes(name, source, sources, path + ".sourceAddressPrefix");
        checkPrefixes(name, destination, destinations, path + ".destinationAddressPrefix");
        return new NetworkSecurityGroup.SecurityRule(name, description, protocol, sourcePort, sourcePorts,
                destinationPort, destinationPorts, source, sources, destination, destinations, access,
                priorityNode.asInt(), direction);
    }

    private static String required(String value, String parameter, String path) {
        if (value == null) {
            throw ArmJson.missing(parameter, path);
        }
        return value;
    }

    private static void checkPorts(String rule, String single, List<String> many, String path) {
        if ((single == null) == many.isEmpty()) {
            throw ArmException.badRequest("SecurityRuleParameterContainsUnsupportedValue", "Security rule " + rule
                    + " must name exactly one of " + path.substring(path.lastIndexOf('.') + 1) + " and "
                    + path.substring(path.lastIndexOf('.') + 1) + "s.", path);
        }
        List<String> all = single != null ? List.of(single) : many;
        for (String range : all) {
            boolean valid = PORT_RANGE.matcher(range).matches();
            if (valid && !range.equals("*")) {
                String[] ends = range.split("-");
                int low = Integer.parseInt(ends[0]);
                int high = Integer.parseInt(ends[ends.length - 1]);
                valid = low <= high && high <= 65535;
            }
            if (!valid) {
                throw ArmException.badRequest("SecurityRuleInvalidPortRange", "Security rule " + rule + " has invalid "
                        + "Port range. Value provided: " + shown(range) + ". Value should be an integer OR "
                        + "integer range with '-' delimiter. Valid range 0-65535.", path);
            }
        }
    }

    private static void checkPrefixes(String rule, String single, List<String> many, String path) {
        if ((single == null) == many.isEmpty()) {
            throw ArmException.badRequest("SecurityRuleParameterContainsUnsupportedValue", "Security rule " + rule
                    + " must name exactly one of " + path.substring(path.lastIndexOf('.') + 1) + " and "
                    + path.substring(path.lastIndexOf('.') + 1) + "es.", path);
        }
        for (String prefix : single != null ? List.of(single) : many) {
            boolean valid = SERVICE_TAGS.stream().anyMatch(t -> t.equalsIgnoreCase(prefix))
                    || Ipv4Prefix.parseAddress(prefix).isPresent() || Ipv4Prefix.parse(prefix).isPresent();
            if (!valid) {
                throw ArmException.badRequest("SecurityRuleInvalidAddressPrefix", "Security rule " + rule + " has "
                        + "invalid Address prefix. Value provided: " + shown(prefix) + ".", path);
            }
        }
    }
}
