package dev.cirrus.computecontainer.cluster;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.springframework.stereotype.Component;

/** Managed clusters, agent pools and nodes in Azure's shapes. */
@Component
class ClusterView {

    /** What the cluster's properties say about the Kubernetes API (a Cirrus addition). */
    static final String NO_API = "No Kubernetes API server is run for this cluster: Cirrus runs the agent pools' nodes "
            + "as virtual machines of scale sets (placement, scaling, upgrades, repair and billing are real), but it "
            + "serves no Kubernetes API (that needs a Docker engine with a k3s image, which this installation does "
            + "not have), so no kubeconfig is issued.";

    Map<String, Object> cluster(ManagedCluster c, KubernetesVersions versions) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("id", c.resourceId());
        body.put("name", c.name());
        body.put("type", ManagedCluster.TYPE);
        body.put("location", c.location());
        body.put("tags", c.tags());
        body.put("sku", Map.of("name", "Base", "tier", c.tier()));
        body.put("identity", Map.of("type", "SystemAssigned"));
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("provisioningState", c.provisioningState());
        p.put("powerState", Map.of("code", c.powerState()));
        p.put("kubernetesVersion", c.kubernetesVersion());
        p.put("currentKubernetesVersion", c.currentVersion());
        p.put("dnsPrefix", c.dnsPrefix());
        p.put("fqdn", c.fqdn());
        p.put("azurePortalFQDN", c.fqdn().replaceFirst("\\.hcp\\.", ".portal.hcp."));
        p.put("agentPoolProfiles", c.pools().stream().map(pool -> {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("name", pool.name());
            m.putAll(poolProperties(c, pool));
            return m;
        }).toList());
        p.put("nodeResourceGroup", c.nodeResourceGroup());
        p.put("enableRBAC", true);
        p.put("networkProfile", c.networkProfile());
        p.put("autoUpgradeProfile", c.autoUpgradeProfile() != null ? c.autoUpgradeProfile()
                : tools.jackson.databind.node.JsonNodeFactory.instance.objectNode().put("upgradeChannel", "none")
                        .put("nodeOSUpgradeChannel", "NodeImage"));
        p.put("maxAgentPools", 100);
        p.put("supportPlan", "KubernetesOfficial");
        // a Cirrus addition: whether a Kubernetes API answers for this cluster, and why not
        p.put("kubernetesApi", Map.of("served", false, "reason", NO_API));
        if (c.failureCode() != null) {
            p.put("provisioningError", Map.of("code", c.failureCode(), "message", c.failureMessage()));
        }
        body.put("properties", p);
        return body;
    }

    Map<String, Object> pool(ManagedCluster c, AgentPool pool) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("id", c.resourceId() + "/agentPools/" + pool.name());
        body.put("name", pool.name());
        body.put("type", ManagedCluster.TYPE + "/agentPools");
        body.put("properties", poolProperties(c, pool));
        return body;
    }

    Map<String, Object> machine(ManagedCluster c, ClusterNode n, String scaleSet) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("id", c.resourceId() + "/agentPools/" + n.pool() + "/machines/" + n.name());
        body.put("name", n.name());
        body.put("type", ManagedCluster.TYPE + "/agentPools/machines");
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("resourceId", "/subscriptions/" + c.subscriptionId() + "/resourceGroups/" + c.nodeResourceGroup()
                + "/providers/Microsoft.Compute/virtualMachineScaleSets/" + scaleSet + "/virtualMachines/"
                + n.instanceId());
        // Cirrus additions: what Kubernetes keeps of the node, and where the placement engine put its VM
        p.put("instanceId", n.instanceId());
        p.put("orchestratorVersion", n.orchestratorVersion());
        p.put("nodeState", n.state());
        p.put("host", n.host());
        p.put("rack", n.rack());
        p.put("platformFaultDomain", n.faultDomain());
        p.put("platformUpdateDomain", n.updateDomain());
        body.put("properties", p);
        return body;
    }

    private static Map<String, Object> poolProperties(ManagedCluster c, AgentPool pool) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("count", pool.count());
        m.put("vmSize", pool.vmSize());
        m.put("osType", pool.osType());
        m.put("osSKU", "Ubuntu");
        m.put("type", "VirtualMachineScaleSets");
        m.put("mode", pool.mode());
        m.put("orchestratorVersion", pool.orchestratorVersion());
        m.put("currentOrchestratorVersion", "Succeeded".equals(pool.provisioningState())
                ? pool.orchestratorVersion() : null);
        m.put("maxPods", pool.maxPods());
        m.put("nodeLabels", pool.nodeLabels());
        m.put("nodeTaints", pool.nodeTaints());
        m.put("enableAutoScaling", pool.enableAutoScaling());
        if (pool.enableAutoScaling()) {
            m.put("minCount", pool.minCount());
            m.put("maxCount", pool.maxCount());
        }
        m.put("upgradeSettings", pool.maxSurge() == null ? Map.of() : Map.of("maxSurge", pool.maxSurge()));
        m.put("provisioningState", pool.provisioningState());
        m.put("powerState", Map.of("code", c.powerState()));
        m.put("nodeImageVersion", "AKSUbuntu-2204gen2containerd-202411.12.0");
        return m;
    }

    Map<String, Object> upgradeProfile(ManagedCluster c, KubernetesVersions versions) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("id", c.resourceId() + "/upgradeprofiles/default");
        body.put("name", "default");
        body.put("type", ManagedCluster.TYPE + "/upgradeprofiles");
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("controlPlaneProfile", Map.of("kubernetesVersion", c.currentVersion(), "osType", "Linux",
                "upgrades", upgrades(versions.upgrades(c.currentVersion()))));
        p.put("agentPoolProfiles", c.pools().stream().map(pool -> Map.of("name", pool.name(),
                "kubernetesVersion", pool.orchestratorVersion(), "osType", "Linux",
                "upgrades", upgrades(versions.upgrades(pool.orchestratorVersion()).stream()
                        .filter(v -> KubernetesVersions.parse(v).compareTo(KubernetesVersions.parse(c.currentVersion())) <= 0)
                        .toList()))).toList());
        body.put("properties", p);
        return body;
    }

    private static List<Map<String, Object>> upgrades(List<String> versions) {
        return versions.stream().map(v -> Map.<String, Object>of("kubernetesVersion", v, "isPreview", false)).toList();
    }

    /** {@code …/locations/{loc}/kubernetesVersions}: each minor with its patches and where each may go. */
    Map<String, Object> versions(KubernetesVersions versions) {
        Map<String, Map<String, Object>> minors = new LinkedHashMap<>();
        String defaultMinor = KubernetesVersions.parse(versions.defaultVersion()).minorText();
        for (KubernetesVersions.Version v : versions.all().reversed()) {
            Map<String, Object> minor = minors.computeIfAbsent(v.minorText(), k -> {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("version", k);
                m.put("capabilities", Map.of("supportPlan", List.of("KubernetesOfficial")));
                if (k.equals(defaultMinor)) {
                    m.put("isDefault", true);
                }
                m.put("isPreview", false);
                m.put("patchVersions", new LinkedHashMap<String, Object>());
                return m;
            });
            @SuppressWarnings("unchecked")
            Map<String, Object> patches = (Map<String, Object>) minor.get("patchVersions");
            patches.put(v.toString(), Map.of("upgrades", versions.upgrades(v.toString())));
        }
        return Map.of("values", List.copyOf(minors.values()));
    }
}
