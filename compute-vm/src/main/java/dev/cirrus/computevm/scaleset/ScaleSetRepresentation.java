package dev.cirrus.computevm.scaleset;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import dev.cirrus.computevm.vm.ScaleSetInstances;
import dev.cirrus.computevm.vm.VirtualMachine;
import org.springframework.stereotype.Component;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/** A scale set and its instances as ARM returns them. */
@Component
class ScaleSetRepresentation {

    private final ObjectMapper json;
    private final ScaleSetInstances instances;

    ScaleSetRepresentation(ObjectMapper json, ScaleSetInstances instances) {
        this.json = json;
        this.instances = instances;
    }

    ObjectNode resource(ScaleSet set) {
        ObjectNode body = json.createObjectNode();
        body.put("id", set.id());
        body.put("name", set.name());
        body.put("type", ScaleSet.TYPE);
        body.put("location", set.location());
        body.set("tags", json.valueToTree(set.tags()));
        if (set.zones() != null && !set.zones().isEmpty()) {
            body.set("zones", json.valueToTree(set.zones()));
        }
        body.put("etag", set.etag());
        ObjectNode sku = body.putObject("sku");
        if (set.skuName() != null) {
            sku.put("name", set.skuName());
            sku.put("tier", set.skuTier() == null ? "Standard" : set.skuTier());
        }
        sku.put("capacity", set.capacity());
        ObjectNode p = body.putObject("properties");
        p.put("orchestrationMode", set.mode().name());
        ScaleSetSettings s = set.settings();
        p.set("upgradePolicy", json.valueToTree(s.upgradePolicy()));
        p.set("scaleInPolicy", json.valueToTree(s.scaleInPolicy()));
        if (set.mode() == OrchestrationMode.Uniform) {
            p.put("overprovision", s.overprovision());
            p.put("doNotRunExtensionsOnOverprovisionedVMs", false);
        }
        p.put("singlePlacementGroup", s.singlePlacementGroup());
        p.put("platformFaultDomainCount", set.faultDomainCount());
        if (set.vmProfile() != null) {
            p.set("virtualMachineProfile", set.vmProfile().deepCopy());
        }
        p.put("provisioningState", set.state().name());
        p.put("uniqueId", set.uniqueId().toString());
        p.put("timeCreated", set.timeCreated().toString());
        return body;
    }

    /** One instance: a Uniform set's in the instance shape, a Flexible set's as the VM it is. */
    ObjectNode instance(ScaleSet set, VirtualMachine vm, boolean withInstanceView) {
        return set.mode() == OrchestrationMode.Uniform
                ? instances.resource(vm, set.modelVersion(), set.skuTier() == null ? "Standard" : set.skuTier(),
                        withInstanceView)
                : instances.vmResource(vm);
    }

    /**
     * {@code GET …/virtualMachineScaleSets/{set}/instanceView}: the set's provisioning status and a summary of its
     * instances' provisioning states ({@code virtualMachine.statusesSummary}).
     */
    ObjectNode instanceView(ScaleSet set, List<VirtualMachine> members) {
        ObjectNode view = json.createObjectNode();
        Map<String, Integer> summary = new TreeMap<>();
        for (VirtualMachine vm : members) {
            summary.merge(vm.provisioningState().statusCode(), 1, Integer::sum);
        }
        ArrayNode statusesSummary = view.putObject("virtualMachine").putArray("statusesSummary");
        summary.forEach((code, count) -> statusesSummary.addObject().put("code", code).put("count", count));
        ObjectNode status = view.putArray("statuses").addObject();
        status.put("code", "ProvisioningState/" + set.state().name().toLowerCase(java.util.Locale.ROOT));
        status.put("level", set.state() == ScaleSet.State.Failed ? "Error" : "Info");
        status.put("displayStatus", set.state() == ScaleSet.State.Succeeded ? "Provisioning succeeded"
                : set.state() == ScaleSet.State.Failed ? "Provisioning failed" : set.state().name());
        if (set.failure() != null) {
            status.put("message", set.failure().message());
        }
        return view;
    }

    /** {@code …/rollingUpgrades/latest}: Azure's RollingUpgradeStatusInfo. */
    ObjectNode rollingUpgrade(ScaleSets.LatestRollingUpgrade latest) {
        ScaleSet set = latest.set();
        ObjectNode r = json.createObjectNode();
        r.put("name", "latest");
        r.put("type", "Microsoft.Compute/virtualMachineScaleSets/rollingUpgrades");
        r.put("location", set.location());
        ObjectNode p = r.putObject("properties");
        ScaleSetSettings.RollingUpgradePolicy policy = set.settings().upgradePolicy().rollingUpgradePolicy();
        p.set("policy", json.valueToTree(policy == null
                ? new ScaleSetSettings.RollingUpgradePolicy(20, 20, 20, "PT0S") : policy));
        RollingUpgrades.Status status = latest.status();
        ObjectNode running = p.putObject("runningStatus");
        running.put("code", status.code());
        running.put("startTime", status.startTime().toString());
        running.put("lastAction", status.lastAction());
        running.put("lastActionTime", status.lastActionTime().toString());
        int successful = 0;
        int failed = 0;
        int inProgress = 0;
        int pending = 0;
        for (dev.cirrus.computevm.vm.VirtualMachine vm : latest.instances()) {
            if (vm.provisioningState() == dev.cirrus.computevm.vm.ProvisioningState.Failed) {
                failed++;
            } else if (vm.operationId() != null || vm.provisioningState().busy()) {
                inProgress++;
            } else if (vm.scaleSet().modelVersion() == set.modelVersion()) {
                successful++;
            } else {
                pending++;
            }
        }
        ObjectNode progress = p.putObject("progress");
        progress.put("successfulInstanceCount", successful);
        progress.put("failedInstanceCount", failed);
        progress.put("inProgressInstanceCount", inProgress);
        progress.put("pendingInstanceCount", pending);
        if (status.errorCode() != null) {
            p.putObject("error").put("code", status.errorCode()).put("message", status.errorMessage());
        }
        return r;
    }
}
