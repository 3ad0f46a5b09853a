package dev.cirrus.computevm.vm;

import org.springframework.stereotype.Component;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * A VM as ARM returns it: the envelope (id, name, type, location, tags, zones, etag)
 * and {@code properties}, optionally with the instance view. The admin password is not part of any of it: it is
 * never stored.
 */
@Component
class VmRepresentation {

    private final ObjectMapper json;

    VmRepresentation(ObjectMapper json) {
        this.json = json;
    }

    ObjectNode resource(VirtualMachine vm, boolean withInstanceView) {
        ObjectNode body = json.createObjectNode();
        body.put("id", vm.ref().id());
        body.put("name", vm.ref().name());
        body.put("type", VmRef.TYPE);
        body.put("location", vm.location());
        body.set("tags", json.valueToTree(vm.tags()));
        if (vm.zones() != null && !vm.zones().isEmpty()) {
            body.set("zones", json.valueToTree(vm.zones()));
        }
        body.put("etag", vm.etag());
        ObjectNode properties = properties(vm);
        if (withInstanceView) {
            properties.set("instanceView", instanceView(vm));
        }
        body.set("properties", properties);
        return body;
    }

    /**
     * A Uniform scale set's instance ({@code …/virtualMachineScaleSets/{set}/virtualMachines/{instanceId}}): the VM's
     * properties plus {@code latestModelApplied} (its model version against the set's {@code modelVersion}) and
     * {@code protectionPolicy}, named {@code {set}_{instanceId}}, with the set's sku.
     */
    ObjectNode instance(VirtualMachine vm, int modelVersion, String skuTier, boolean withInstanceView) {
        ObjectNode body = json.createObjectNode();
        body.put("id", vm.ref().id());
        body.put("name", vm.ref().displayName());
        body.put("type", VmRef.INSTANCE_TYPE);
        body.put("location", vm.location());
        body.set("tags", json.valueToTree(vm.tags()));
        body.put("instanceId", vm.ref().name());
        ObjectNode sku = body.putObject("sku").put("name", vm.size().name());
        if (skuTier != null) {
            sku.put("tier", skuTier);
        }
        body.put("etag", vm.etag());
        ObjectNode properties = json.createObjectNode();
        properties.put("latestModelApplied", vm.scaleSet().modelVersion() == modelVersion);
        properties(vm).properties().forEach(e -> properties.set(e.getKey(), e.getValue()));
        properties.putObject("protectionPolicy")
                .put("protectFromScaleIn", vm.scaleSet().protectFromScaleIn())
                .put("protectFromScaleSetActions", vm.scaleSet().protectFromScaleSetActions());
        if (withInstanceView) {
            properties.set("instanceView", instanceView(vm));
        }
        body.set("properties", properties);
        return body;
    }

    /** {@code properties} without the instance view: also what an update is compared with. */
    ObjectNode properties(VirtualMachine vm) {
        ObjectNode properties = json.createObjectNode();
        properties.put("vmId", vm.vmId().toString());
        ObjectNode profile = json.valueToTree(vm.profile());
        profile.properties().forEach(e -> properties.set(e.getKey(), e.getValue()));
        // Azure always returns the data-disk list, empty or not
        ObjectNode storage = (ObjectNode) properties.get("storageProfile");
        if (!storage.has("dataDisks")) {
            storage.putArray("dataDisks");
        }
        if (vm.availabilitySet() != null) {
            properties.putObject("availabilitySet").put("id", vm.availabilitySet().id());
        }
        if (vm.scaleSet() != null && !vm.ref().uniformInstance()) {
            // a Flexible set's instance is an ordinary VM that names its set
            properties.putObject("virtualMachineScaleSet").put("id", vm.scaleSet().id());
        }
        properties.put("provisioningState", vm.provisioningState().name());
        properties.put("timeCreated", vm.timeCreated().toString());
        return properties;
    }

    /**
     * {@code {platformUpdateDomain, platformFaultDomain, computerName, statuses}}: the domains once placed, and one
     * status per state that applies (provisioning always, power once the VM has one). There is no guest agent, so
     * no osName / osVersion / vmAgent.
     */
    ObjectNode instanceView(VirtualMachine vm) {
        ObjectNode view = json.createObjectNode();
        if (vm.placement() != null) {
            view.put("platformUpdateDomain", vm.placement().updateDomain());
            view.put("platformFaultDomain", vm.placement().faultDomain());
        }
        if (vm.profile().osProfile() != null && vm.profile().osProfile().computerName() != null) {
            view.put("computerName", vm.profile().osProfile().computerName());
        }
        ArrayNode statuses = view.putArray("statuses");
        ProvisioningState state = vm.provisioningState();
        ObjectNode provisioning = statuses.addObject();
        if (state == ProvisioningState.Failed && vm.failure() != null) {
            provisioning.put("code", state.statusCode() + "/" + vm.failure().code());
            provisioning.put("level", "Error");
            provisioning.put("displayStatus", state.displayStatus());
            provisioning.put("message", vm.failure().message());
        } else {
            provisioning.put("code", state.statusCode());
            provisioning.put("level", "Info");
            provisioning.put("displayStatus", state.displayStatus());
        }
        provisioning.put("time", vm.stateChangedAt().toString());
        if (vm.powerState() != null) {
            statuses.addObject()
                    .put("code", vm.powerState().statusCode())
                    .put("level", "Info")
                    .put("displayStatus", vm.powerState().displayStatus());
        }
        PlatformStatus platform = vm.platformStatus();
        if (platform != null) {
            statuses.addObject()
                    .put("code", platform.state().code())
                    .put("level", platform.state().level())
                    .put("displayStatus", platform.state().displayStatus())
                    .put("message", platform.message())
                    .put("time", platform.time().toString());
        }
        return view;
    }
}
