package dev.cirrus.computevm.vm;

import java.util.List;

import dev.cirrus.computevm.arm.ArmLinks;
import dev.cirrus.contracts.arm.ArmJson;
import dev.cirrus.contracts.arm.ArmLocations;
import dev.cirrus.contracts.arm.ResourceId;
import dev.cirrus.contracts.arm.PageRequest;
import dev.cirrus.plumbing.arm.ArmPaging;
import dev.cirrus.contracts.arm.Preconditions;
import dev.cirrus.computevm.size.SizeCatalogue;
import dev.cirrus.plumbing.arm.ArmException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code Microsoft.Compute/virtualMachines} over ARM: create-or-update, read, instance view, delete and the two
 * lists. Paths match case-insensitively (plumbing); {@code api-version} is checked before any handler runs.
 */
@RestController
@RequestMapping("/subscriptions/{subscriptionId}")
class VirtualMachineController {

    private static final String VM = "/resourceGroups/{resourceGroup}/providers/Microsoft.Compute/virtualMachines/{name}";
    /** Seconds between polls a client is asked to wait; small, because local operations take seconds. */
    private static final String RETRY_AFTER = "1";

    private final VirtualMachines vms;
    private final VmRequestParser parser;
    private final VmRepresentation representation;
    private final ObjectMapper json;
    private final VmProperties.Listing listing;

    VirtualMachineController(VirtualMachines vms, SizeCatalogue sizes,
                             VmRepresentation representation, ObjectMapper json, VmProperties properties) {
        this.vms = vms;
        this.parser = new VmRequestParser(sizes);
        this.representation = representation;
        this.json = json;
        this.listing = properties.list();
    }

    @PutMapping(VM)
    ResponseEntity<ObjectNode> put(@PathVariable String subscriptionId, @PathVariable String resourceGroup,
                                   @PathVariable String name, @RequestBody JsonNode body,
                                   @RequestParam("api-version") String apiVersion,
                                   @RequestHeader(name = HttpHeaders.IF_MATCH, required = false) String ifMatch,
                                   @RequestHeader(name = HttpHeaders.IF_NONE_MATCH, required = false) String ifNoneMatch) {
        VmRef ref = ref(subscriptionId, resourceGroup, name);
        // only a PUT can bring a name into existence; reads and deletes of impossible names find nothing
        VmRequestParser.checkName(name);
        VmRequest request = parser.parse(body);
        VirtualMachines.PutResult result = vms.put(ref, request, new Preconditions(ifMatch, ifNoneMatch));
        ObjectNode resource = representation.resource(result.vm(), false);
        if (result.created() == null) {
            return ResponseEntity.ok().eTag(result.vm().etag()).body(resource);
        }
        return ResponseEntity.status(HttpStatus.CREATED)
                .eTag(result.vm().etag())
                .header("Azure-AsyncOperation", ArmLinks.operationStatus(subscriptionId, result.vm().location(),
                        result.created().id(), apiVersion).toString())
                .header(HttpHeaders.RETRY_AFTER, RETRY_AFTER)
                .body(resource);
    }

    @GetMapping(VM)
    ResponseEntity<ObjectNode> get(@PathVariable String subscriptionId, @PathVariable String resourceGroup,
                                   @PathVariable String name,
                                   @RequestParam(name = "$expand", required = false) String expand) {
        boolean instanceView = expand(expand);
        VirtualMachine vm = find(ref(subscriptionId, resourceGroup, name));
        return ResponseEntity.ok().eTag(vm.etag()).body(representation.resource(vm, instanceView));
    }

    @GetMapping(VM + "/instanceView")
    ObjectNode instanceView(@PathVariable String subscriptionId, @PathVariable String resourceGroup,
                            @PathVariable String name) {
        return representation.instanceView(find(ref(subscriptionId, resourceGroup, name)));
    }

    @DeleteMapping(VM)
    ResponseEntity<Void> delete(@PathVariable String subscriptionId, @PathVariable String resourceGroup,
                                @PathVariable String name, @RequestParam("api-version") String apiVersion,
                                @RequestHeader(name = HttpHeaders.IF_MATCH, required = false) String ifMatch,
                                @RequestHeader(name = HttpHeaders.IF_NONE_MATCH, required = false) String ifNoneMatch) {
        VmRef ref = ref(subscriptionId, resourceGroup, name);
        return switch (vms.delete(ref, new Preconditions(ifMatch, ifNoneMatch))) {
            case VirtualMachines.DeleteResult.Absent absent -> ResponseEntity.noContent().build();
            case VirtualMachines.DeleteResult.Running running -> accepted(subscriptionId, running.operation(), apiVersion);
        };
    }

    /**
     * {@code POST …/virtualMachines/{name}/{start|powerOff|deallocate|restart|redeploy}}: 202 + Location and
     * Azure-AsyncOperation; 409 Conflict from a power state the action does not start from, 409
     * AnotherOperationInProgress while another operation runs, 404 for an unknown VM or action.
     */
    @PostMapping(VM + "/{action:(?i:start|poweroff|deallocate|restart|redeploy)}")
    ResponseEntity<Void> powerAction(@PathVariable String subscriptionId, @PathVariable String resourceGroup,
                                     @PathVariable String name, @PathVariable String action,
                                     @RequestParam("api-version") String apiVersion,
                                     @RequestParam(name = "skipShutdown", required = false) String skipShutdown,
                                     @RequestParam(name = "hibernate", required = false) String hibernate,
                                     @RequestHeader(name = HttpHeaders.IF_MATCH, required = false) String ifMatch) {
        VmRef ref = ref(subscriptionId, resourceGroup, name);
        PowerAction power = PowerAction.named(action);
        // accepted for the SDKs that send them; a simulated guest shuts down the same either way
        flag(skipShutdown, "skipShutdown");
        if (flag(hibernate, "hibernate")) {
            throw ArmException.invalidParameter("Hibernation is not supported by Cirrus: deallocate without "
                    + "'hibernate=true'.", "hibernate");
        }
        return accepted(subscriptionId, vms.powerAction(ref, power, new Preconditions(ifMatch, null)), apiVersion);
    }

    /**
     * {@code PATCH …/virtualMachines/{name}}: a JSON merge patch (RFC 7396) of the stored VM; {@code tags}, when
     * given, replace the whole map (ARM). The merged VM must pass what a PUT on an existing VM passes.
     */
    @PatchMapping(VM)
    ResponseEntity<ObjectNode> patch(@PathVariable String subscriptionId, @PathVariable String resourceGroup,
                                     @PathVariable String name, @RequestBody JsonNode body,
                                     @RequestHeader(name = HttpHeaders.IF_MATCH, required = false) String ifMatch,
                                     @RequestHeader(name = HttpHeaders.IF_NONE_MATCH, required = false) String ifNoneMatch) {
        VmRef ref = ref(subscriptionId, resourceGroup, name);
        ArmJson.requireObject(body);
        VirtualMachine vm = vms.patch(ref, current -> {
            ObjectNode merged = representation.resource(current, false);
            for (var e : body.properties()) {
                if (e.getKey().equals("tags") || !e.getValue().isObject() || !merged.path(e.getKey()).isObject()) {
                    merged.set(e.getKey(), e.getValue());
                } else {
                    mergePatch((ObjectNode) merged.get(e.getKey()), e.getValue());
                }
            }
            return parser.parse(merged);
        }, new Preconditions(ifMatch, ifNoneMatch));
        return ResponseEntity.ok().eTag(vm.etag()).body(representation.resource(vm, false));
    }

    /** RFC 7396: objects merge member by member, null removes, anything else replaces. */
    private static void mergePatch(ObjectNode target, JsonNode patch) {
        for (var e : patch.properties()) {
            if (e.getValue().isNull()) {
                target.remove(e.getKey());
            } else if (e.getValue().isObject() && target.path(e.getKey()).isObject()) {
                mergePatch((ObjectNode) target.get(e.getKey()), e.getValue());
            } else {
                target.set(e.getKey(), e.getValue());
            }
        }
    }

    /**
     * {@code GET /subscriptions/{sub}/providers/Microsoft.Compute/locations/{loc}/usages}: what the subscription
     * holds in the region against its quotas.
     */
    @GetMapping("/providers/Microsoft.Compute/locations/{location}/usages")
    ObjectNode usages(@PathVariable String subscriptionId, @PathVariable String location) {
        ResourceId.requireSubscriptionId(subscriptionId);
        String loc = ArmLocations.require(location, "location");
        VirtualMachines.Usage usage = vms.usage(subscriptionId, loc);
        ObjectNode body = json.createObjectNode();
        ArrayNode value = body.putArray("value");
        usage(value, "cores", "Total Regional vCPUs", usage.vcpus(), usage.vcpuLimit());
        // Azure's fixed per-region limits; only the vCPU quota is enforced here
        usage(value, "virtualMachines", "Virtual Machines", usage.vms(), 25000);
        return body;
    }

    private static void usage(ArrayNode value, String name, String localized, long current, long limit) {
        ObjectNode u = value.addObject();
        u.put("unit", "Count");
        u.put("currentValue", current);
        u.put("limit", limit);
        u.putObject("name").put("value", name).put("localizedValue", localized);
    }

    private static ResponseEntity<Void> accepted(String subscriptionId, VirtualMachines.Accepted op, String apiVersion) {
        return ResponseEntity.accepted()
                .location(ArmLinks.operationResult(subscriptionId, op.location(), op.operationId(), apiVersion))
                .header("Azure-AsyncOperation", ArmLinks.operationStatus(subscriptionId, op.location(),
                        op.operationId(), apiVersion).toString())
                .header(HttpHeaders.RETRY_AFTER, RETRY_AFTER)
                .build();
    }

    @GetMapping("/resourceGroups/{resourceGroup}/providers/Microsoft.Compute/virtualMachines")
    ObjectNode listInResourceGroup(@PathVariable String subscriptionId, @PathVariable String resourceGroup,
                                   @RequestParam(name = "statusOnly", required = false) String statusOnly,
                                   @RequestParam(name = "$expand", required = false) String expand) {
        ResourceId.requireSubscriptionId(subscriptionId);
        return list(subscriptionId, resourceGroup, statusOnly, expand);
    }

    @GetMapping("/providers/Microsoft.Compute/virtualMachines")
    ObjectNode listInSubscription(@PathVariable String subscriptionId,
                                  @RequestParam(name = "statusOnly", required = false) String statusOnly,
                                  @RequestParam(name = "$expand", required = false) String expand) {
        ResourceId.requireSubscriptionId(subscriptionId);
        return list(subscriptionId, null, statusOnly, expand);
    }

    /**
     * {@code {"value":[…], "nextLink": …}}: pages of at most {@code cirrus.vm.list.page-size} VMs ({@code $top}
     * lowers it), the nextLink absent on the last page. {@code statusOnly=true} adds each VM's instance view.
     */
    private ObjectNode list(String subscriptionId, String resourceGroup, String statusOnly, String expand) {
        boolean withStatus = flag(statusOnly, "statusOnly") || expand(expand);
        PageRequest request = ArmPaging.request(listing.pageSize());
        VirtualMachines.Page page = vms.list(subscriptionId, resourceGroup, request.after(), request.size());
        ObjectNode body = json.createObjectNode();
        ArrayNode value = body.putArray("value");
        for (VirtualMachine vm : page.vms()) {
            value.add(representation.resource(vm, withStatus));
        }
        if (page.nextAfterKey() != null) {
            body.put("nextLink", ArmPaging.nextLink(page.nextAfterKey()));
        }
        return body;
    }

    private VirtualMachine find(VmRef ref) {
        return vms.get(ref).orElseThrow(() -> VirtualMachines.notFound(ref));
    }

    private static VmRef ref(String subscriptionId, String resourceGroup, String name) {
        ResourceId.requireSubscriptionId(subscriptionId);
        return new VmRef(subscriptionId, resourceGroup, name);
    }

    /** {@code $expand}: only {@code instanceView} is offered (Azure also has {@code userData}, which is not stored). */
    private static boolean expand(String expand) {
        if (expand == null || expand.isEmpty()) {
            return false;
        }
        if (List.of(expand.split(",")).stream().map(String::trim).allMatch("instanceView"::equalsIgnoreCase)) {
            return true;
        }
        throw ArmException.invalidParameter("The value '" + expand + "' of $expand is not supported. Allowed values: "
                + "instanceView.", "$expand");
    }

    private static boolean flag(String value, String name) {
        if (value == null || value.equalsIgnoreCase("false")) {
            return false;
        }
        if (value.equalsIgnoreCase("true")) {
            return true;
        }
        throw ArmException.invalidParameter("The value '" + value + "' of " + name + " is not valid: use true or false.",
                name);
    }
}
