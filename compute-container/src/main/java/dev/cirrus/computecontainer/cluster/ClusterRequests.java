package dev.cirrus.computecontainer.cluster;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

import dev.cirrus.contracts.arm.ArmJson;
import dev.cirrus.contracts.arm.ArmTags;
import dev.cirrus.plumbing.arm.ArmException;
import dev.cirrus.plumbing.arm.Regions;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Reads and checks the bodies of managed clusters and agent pools as Azure does; every refusal is a 400 with the
 * property as {@code target} and leaves nothing changed. Versions are checked against
 * {@link KubernetesVersions} by the caller, which knows the cluster's current one.
 */
public final class ClusterRequests {

    /** A cluster's name: 1-63 letters, digits, {@code _} and {@code -}, starting and ending with a letter or digit. */
    private static final Pattern CLUSTER_NAME = Pattern.compile("[A-Za-z0-9]([A-Za-z0-9_-]{0,61}[A-Za-z0-9])?");
    /** A DNS prefix: 1-54 letters, digits and inner dashes, starting and ending with a letter or digit. */
    private static final Pattern DNS_PREFIX = Pattern.compile("[A-Za-z0-9]([A-Za-z0-9-]{0,52}[A-Za-z0-9])?");
    /** A Linux pool's name: 1-12 lower-case letters and digits, starting with a letter. */
    private static final Pattern POOL_NAME = Pattern.compile("[a-z][a-z0-9]{0,11}");
    /** A taint: {@code key=value:Effect} or {@code key:Effect}, as kubectl writes them. */
    private static final Pattern TAINT = Pattern.compile(
            "([A-Za-z0-9]([A-Za-z0-9._/-]{0,251}[A-Za-z0-9])?)(=[A-Za-z0-9]([A-Za-z0-9._-]{0,61}[A-Za-z0-9])?)?"
                    + ":(NoSchedule|PreferNoSchedule|NoExecute)");
    private static final Pattern LABEL_KEY = Pattern.compile(
            "([a-z0-9]([a-z0-9.-]{0,251}[a-z0-9])?/)?[A-Za-z0-9]([A-Za-z0-9._-]{0,61}[A-Za-z0-9])?");
    private static final Pattern LABEL_VALUE = Pattern.compile("([A-Za-z0-9]([A-Za-z0-9._-]{0,61}[A-Za-z0-9])?)?");
    private static final Pattern SURGE = Pattern.compile("([1-9][0-9]{0,3})(%?)");
    private static final Pattern VM_SIZE = Pattern.compile("(Standard|Basic)_[A-Za-z0-9_]{1,40}");
    private static final Pattern CIDR = Pattern.compile(
            "((25[0-5]|2[0-4]\\d|1?\\d?\\d)\\.){3}(25[0-5]|2[0-4]\\d|1?\\d?\\d)/(3[0-2]|[12]?\\d)");
    private static final Pattern IP = Pattern.compile("((25[0-5]|2[0-4]\\d|1?\\d?\\d)\\.){3}(25[0-5]|2[0-4]\\d|1?\\d?\\d)");

    /** A cluster's PUT body, read. {@code version} and the pools' versions are as given (null: the default). */
    public record Put(String location, Map<String, String> tags, String tier, String version, String dnsPrefix,
                      String nodeResourceGroup, ObjectNode networkProfile, ObjectNode autoUpgradeProfile,
                      List<AgentPool> pools) {
    }

    private final Regions regions;

    public ClusterRequests(Regions regions) {
        this.regions = regions;
    }

    public Put put(String name, JsonNode body) {
        ObjectNode root = ArmJson.requireObject(body);
        checkClusterName(name);
        String givenLocation = ArmJson.string(root, "location", "location");
        if (givenLocation == null) {
            throw ArmException.badRequest("LocationRequired", "The location property is required for this "
                    + "definition.", "location");
        }
        String location = regions.require(givenLocation, ManagedCluster.TYPE, "location");
        Map<String, String> tags = root.has("tags") ? ArmTags.read(root) : Map.of();
        String tier = "Free";
        ObjectNode sku = ArmJson.object(root, "sku", "sku");
        if (sku != null) {
            String skuName = ArmJson.oneOf(sku, "name", "sku.name", "Base", "Automatic");
            if ("Automatic".equals(skuName)) {
                throw ArmException.badRequest("InvalidParameter", "The managed cluster SKU 'Automatic' is not "
                        + "available here: use 'Base'.", "sku.name");
            }
            String t = ArmJson.oneOf(sku, "tier", "sku.tier", "Free", "Standard", "Premium");
            tier = t == null ? "Free" : t;
        }
        ObjectNode props = ArmJson.object(root, "properties", "properties");
        if (props == null) {
            throw ArmJson.missing("properties", "properties");
        }
        String version = ArmJson.string(props, "kubernetesVersion", "properties.kubernetesVersion");
        String dnsPrefix = ArmJson.string(props, "dnsPrefix", "properties.dnsPrefix");
        if (dnsPrefix == null) {
            throw ArmException.badRequest("InvalidParameter", "Required parameter 'dnsPrefix' is missing (null): a "
                    + "cluster needs a DNS prefix for its API server's FQDN.", "properties.dnsPrefix");
        }
        if (!DNS_PREFIX.matcher(dnsPrefix).matches()) {
            throw ArmException.badRequest("InvalidDnsPrefix", "The DNS prefix '" + KubernetesVersions.printable(dnsPrefix)
                    + "' is invalid: it must be 1-54 characters of letters, digits and hyphens, and start and end "
                    + "with a letter or digit.", "properties.dnsPrefix");
        }
        String nodeRg = ArmJson.string(props, "nodeResourceGroup", "properties.nodeResourceGroup");
        if (nodeRg != null && !nodeRg.matches("[-\\w.()]{1,80}") || nodeRg != null && nodeRg.endsWith(".")) {
            throw ArmException.invalidParameter("The node resource group name '" + KubernetesVersions.printable(nodeRg)
                    + "' is invalid: 1-80 letters, digits, '_', '-', '.', '(' and ')', not ending in '.'.",
                    "properties.nodeResourceGroup");
        }
        ObjectNode network = networkProfile(props);
        ObjectNode autoUpgrade = autoUpgradeProfile(props);
        JsonNode profiles = ArmJson.array(props, "agentPoolProfiles", "properties.agentPoolProfiles");
        if (profiles == null || profiles.isEmpty()) {
            throw ArmException.badRequest("InvalidParameter", "Required parameter 'agentPoolProfiles' is missing or "
                    + "empty: a cluster needs at least one agent pool.", "properties.agentPoolProfiles");
        }
        if (profiles.size() > 100) {
            throw ArmException.invalidParameter("A cluster has at most 100 agent pools.", "properties.agentPoolProfiles");
        }
        List<AgentPool> pools = new ArrayList<>();
        Set<String> names = new HashSet<>();
        for (int i = 0; i < profiles.size(); i++) {
            String path = "properties.agentPoolProfiles[" + i + "]";
            JsonNode p = profiles.get(i);
            if (!p.isObject()) {
                throw ArmJson.wrongType(path, "an object");
            }
            String poolName = ArmJson.string(p, "name", path + ".name");
            AgentPool pool = pool(poolName, p, path + ".");
            if (!names.add(pool.name())) {
                throw ArmException.invalidParameter("The agent pool name '" + pool.name() + "' is used twice: pool "
                        + "names are unique within a cluster.", path + ".name");
            }
            pools.add(pool);
        }
        requireSystemPool(pools, "properties.agentPoolProfiles");
        return new Put(location, tags, tier, version, dnsPrefix, nodeRg, network, autoUpgrade, pools);
    }

    /**
     * An agent pool from a pool body: the cluster's {@code agentPoolProfiles[i]} ({@code prefix} names its path) or
     * the {@code properties} of an {@code …/agentPools/{name}} PUT.
     */
    public AgentPool pool(String name, JsonNode p, String prefix) {
        if (name == null) {
            throw ArmJson.missing("name", prefix + "name");
        }
        if (!POOL_NAME.matcher(name).matches()) {
            throw ArmException.badRequest("InvalidParameter", "The agent pool name '" + KubernetesVersions.printable(name)
                    + "' is invalid: a Linux agent pool name must start with a lowercase letter, have at most 12 "
                    + "characters and contain only lowercase letters and digits.", prefix + "name");
        }
        String type = ArmJson.oneOf(p, "type", prefix + "type", "VirtualMachineScaleSets", "AvailabilitySet",
                "VirtualMachines");
        if (type != null && !"VirtualMachineScaleSets".equals(type)) {
            throw ArmException.badRequest("InvalidParameter", "Agent pool type '" + type + "' is not supported here: "
                    + "agent pools are VirtualMachineScaleSets.", prefix + "type");
        }
        String mode = ArmJson.oneOf(p, "mode", prefix + "mode", "System", "User");
        mode = mode == null ? "System" : mode;
        String osType = ArmJson.oneOf(p, "osType", prefix + "osType", "Linux", "Windows");
        if ("Windows".equals(osType)) {
            throw ArmException.badRequest("InvalidParameter", "Windows agent pools are not supported here: nodes run "
                    + "Linux.", prefix + "osType");
        }
        Integer count = ArmJson.integer(p, "count", prefix + "count", 0, 1000);
        count = count == null ? 1 : count;
        if (count == 0 && "System".equals(mode)) {
            throw ArmException.badRequest("InvalidParameter", "A System agent pool must have at least 1 node: '"
                    + name + "' has count 0.", prefix + "count");
        }
        String vmSize = ArmJson.string(p, "vmSize", prefix + "vmSize");
        vmSize = vmSize == null ? "Standard_D2s_v5" : vmSize;
        if (!VM_SIZE.matcher(vmSize).matches()) {
            throw ArmException.badRequest("InvalidParameter", "The VM size '" + KubernetesVersions.printable(vmSize)
                    + "' of agent pool '" + name + "' is not a VM size name (e.g. Standard_D2s_v5).", prefix + "vmSize");
        }
        String version = ArmJson.string(p, "orchestratorVersion", prefix + "orchestratorVersion");
        if (version != null && KubernetesVersions.parse(version) == null) {
            throw ArmException.badRequest("AgentPoolK8sVersionNotSupported", "Version "
                    + KubernetesVersions.printable(version) + " is not supported in this region.",
                    prefix + "orchestratorVersion");
        }
        Integer maxPods = ArmJson.integer(p, "maxPods", prefix + "maxPods", 10, 250);
        maxPods = maxPods == null ? 110 : maxPods;
        Map<String, String> labels = labels(p, prefix + "nodeLabels");
        List<String> taints = taints(p, prefix + "nodeTaints");
        Boolean autoscaling = ArmJson.bool(p, "enableAutoScaling", prefix + "enableAutoScaling");
        boolean auto = Boolean.TRUE.equals(autoscaling);
        Integer min = ArmJson.integer(p, "minCount", prefix + "minCount", 0, 1000);
        Integer max = ArmJson.integer(p, "maxCount", prefix + "maxCount", 0, 1000);
        if (auto) {
            if (min == null || max == null) {
                throw ArmException.badRequest("InvalidParameter", "Agent pool '" + name + "' enables autoscaling: "
                        + "minCount and maxCount are required.", prefix + (min == null ? "minCount" : "maxCount"));
            }
            if (min > max) {
                throw ArmException.badRequest("InvalidParameter", "Agent pool '" + name + "': minCount " + min
                        + " is greater than maxCount " + max + ".", prefix + "minCount");
            }
            if ("System".equals(mode) && min < 1) {
                throw ArmException.badRequest("InvalidParameter", "A System agent pool's minCount must be at least 1.",
                        prefix + "minCount");
            }
            if (!p.has("count")) {
                count = min;
            } else if (count < min || count > max) {
                throw ArmException.badRequest("InvalidParameter", "Agent pool '" + name + "': count " + count
                        + " is outside minCount " + min + " and maxCount " + max + ".", prefix + "count");
            }
        } else if (min != null || max != null) {
            throw ArmException.badRequest("InvalidParameter", "Agent pool '" + name + "': minCount and maxCount "
                    + "need enableAutoScaling true.", prefix + (min != null ? "minCount" : "maxCount"));
        }
        String surge = null;
        ObjectNode upgrade = ArmJson.object(p, "upgradeSettings", prefix + "upgradeSettings");
        if (upgrade != null) {
            surge = ArmJson.string(upgrade, "maxSurge", prefix + "upgradeSettings.maxSurge");
            if (surge != null) {
                var m = SURGE.matcher(surge.strip());
                if (!m.matches() || (!m.group(2).isEmpty() && Integer.parseInt(m.group(1)) > 100)) {
                    throw ArmException.badRequest("InvalidParameter", "The maxSurge '"
                            + KubernetesVersions.printable(surge) + "' of agent pool '" + name + "' is invalid: it "
                            + "must be a whole number of nodes (1 or more) or a percentage from 1% to 100%.",
                            prefix + "upgradeSettings.maxSurge");
                }
                surge = surge.strip();
            }
        }
        return new AgentPool(name, count, vmSize, mode, "Linux", version, maxPods, labels, taints, auto,
                auto ? min : null, auto ? max : null, surge, null);
    }

    /** A cluster keeps at least one System pool (with a node), or 400 {@code MustDefineAtLeastOneSystemPool}. */
    static void requireSystemPool(List<AgentPool> pools, String target) {
        if (pools.stream().noneMatch(AgentPool::system)) {
            throw ArmException.badRequest("MustDefineAtLeastOneSystemPool", "A managed cluster must have at least "
                    + "one agent pool in System mode.", target);
        }
    }

    static void checkClusterName(String name) {
        if (!CLUSTER_NAME.matcher(name).matches()) {
            throw ArmException.badRequest("InvalidParameter", "The managed cluster name '"
                    + KubernetesVersions.printable(name) + "' is invalid: 1-63 letters, digits, '_' and '-', starting "
                    + "and ending with a letter or digit.", "name");
        }
    }

    private static Map<String, String> labels(JsonNode p, String path) {
        ObjectNode node = ArmJson.object(p, "nodeLabels", path);
        Map<String, String> labels = new LinkedHashMap<>();
        if (node == null) {
            return labels;
        }
        for (var e : node.properties()) {
            String key = e.getKey();
            if (!LABEL_KEY.matcher(key).matches() || key.toLowerCase(Locale.ROOT).startsWith("kubernetes.azure.com/")) {
                throw ArmException.badRequest("InvalidParameter", "The node label key '"
                        + KubernetesVersions.printable(key) + "' is invalid: a Kubernetes label key (prefix/name), "
                        + "and not in the reserved kubernetes.azure.com namespace.", path);
            }
            if (!e.getValue().isString() || !LABEL_VALUE.matcher(e.getValue().stringValue()).matches()) {
                throw ArmException.badRequest("InvalidParameter", "The value of node label '" + key + "' is invalid: "
                        + "at most 63 letters, digits, '-', '_' and '.', starting and ending with a letter or digit.",
                        path);
            }
            labels.put(key, e.getValue().stringValue());
        }
        return labels;
    }

    private static List<String> taints(JsonNode p, String path) {
        JsonNode node = ArmJson.array(p, "nodeTaints", path);
        List<String> taints = new ArrayList<>();
        if (node == null) {
            return taints;
        }
        for (int i = 0; i < node.size(); i++) {
            JsonNode t = node.get(i);
            if (!t.isString() || !TAINT.matcher(t.stringValue()).matches()) {
                throw ArmException.badRequest("InvalidParameter", "The node taint '"
                        + KubernetesVersions.printable(t.isString() ? t.stringValue() : t.toString()) + "' is invalid: "
                        + "it must be key=value:Effect (or key:Effect) with the effect NoSchedule, PreferNoSchedule "
                        + "or NoExecute.", path + "[" + i + "]");
            }
            taints.add(t.stringValue());
        }
        return taints;
    }

    /**
     * {@code autoUpgradeProfile} with Azure's values and defaults: {@code upgradeChannel} rapid, stable, patch,
     * node-image or none (default none), {@code nodeOSUpgradeChannel} None, Unmanaged, SecurityPatch or NodeImage
     * (default NodeImage). Kept as data: no channel upgrades a cluster by itself here (compute-container/README.md).
     */
    private static ObjectNode autoUpgradeProfile(ObjectNode props) {
        ObjectNode given = ArmJson.object(props, "autoUpgradeProfile", "properties.autoUpgradeProfile");
        ObjectNode p = tools.jackson.databind.node.JsonNodeFactory.instance.objectNode();
        String channel = given == null ? null : ArmJson.oneOf(given, "upgradeChannel",
                "properties.autoUpgradeProfile.upgradeChannel", "rapid", "stable", "patch", "node-image", "none");
        String nodeOs = given == null ? null : ArmJson.oneOf(given, "nodeOSUpgradeChannel",
                "properties.autoUpgradeProfile.nodeOSUpgradeChannel", "None", "Unmanaged", "SecurityPatch", "NodeImage");
        p.put("upgradeChannel", channel == null ? "none" : channel);
        p.put("nodeOSUpgradeChannel", nodeOs == null ? "NodeImage" : nodeOs);
        return p;
    }

    /** {@code networkProfile} with Azure's defaults, checked where it matters (plugin, CIDRs, DNS service IP). */
    private static ObjectNode networkProfile(ObjectNode props) {
        ObjectNode given = ArmJson.object(props, "networkProfile", "properties.networkProfile");
        ObjectNode n = given == null ? props.objectNode() : given.deepCopy();
        String plugin = ArmJson.oneOf(n, "networkPlugin", "properties.networkProfile.networkPlugin", "azure",
                "kubenet", "none");
        n.put("networkPlugin", plugin == null ? "kubenet" : plugin);
        String lb = ArmJson.oneOf(n, "loadBalancerSku", "properties.networkProfile.loadBalancerSku", "standard",
                "basic");
        n.put("loadBalancerSku", lb == null ? "standard" : lb);
        String outbound = ArmJson.oneOf(n, "outboundType", "properties.networkProfile.outboundType", "loadBalancer",
                "userDefinedRouting", "managedNATGateway", "userAssignedNATGateway", "none");
        n.put("outboundType", outbound == null ? "loadBalancer" : outbound);
        cidr(n, "podCidr", "kubenet".equals(n.path("networkPlugin").stringValue()) ? "10.244.0.0/16" : null);
        cidr(n, "serviceCidr", "10.0.0.0/16");
        String dnsIp = ArmJson.string(n, "dnsServiceIP", "properties.networkProfile.dnsServiceIP");
        if (dnsIp != null && !IP.matcher(dnsIp).matches()) {
            throw ArmException.badRequest("InvalidParameter", "The dnsServiceIP '" + KubernetesVersions.printable(dnsIp)
                    + "' is not an IPv4 address.", "properties.networkProfile.dnsServiceIP");
        }
        n.put("dnsServiceIP", dnsIp == null ? "10.0.0.10" : dnsIp);
        return n;
    }

    private static void cidr(ObjectNode n, String name, String dflt) {
        String v = ArmJson.string(n, name, "properties.networkProfile." + name);
        if (v != null && !CIDR.matcher(v).matches()) {
            throw ArmException.badRequest("InvalidParameter", "The " + name + " '" + KubernetesVersions.printable(v)
                    + "' is not an IPv4 CIDR (e.g. 10.244.0.0/16).", "properties.networkProfile." + name);
        }
        if (v == null && dflt != null) {
            n.put(name, dflt);
        }
    }
}
