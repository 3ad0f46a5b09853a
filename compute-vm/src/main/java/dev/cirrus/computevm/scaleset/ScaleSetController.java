package dev.cirrus.computevm.scaleset;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import dev.cirrus.computevm.arm.ArmLinks;
import dev.cirrus.computevm.size.SizeCatalogue;
import dev.cirrus.computevm.vm.PowerAction;
import dev.cirrus.computevm.vm.VirtualMachine;
import dev.cirrus.computevm.vm.VmProperties;
import dev.cirrus.computevm.vm.VmRequestParser;
import dev.cirrus.contracts.arm.ArmJson;
import dev.cirrus.contracts.arm.PageRequest;
import dev.cirrus.contracts.arm.Preconditions;
import dev.cirrus.contracts.arm.ResourceId;
import dev.cirrus.plumbing.arm.ArmException;
import dev.cirrus.plumbing.arm.ArmPaging;
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
 * {@code Microsoft.Compute/virtualMachineScaleSets} over ARM (compute-vm/README.md, "Scale sets"): the set, its
 * instances ({@code …/virtualMachines}) and the set-wide actions. Paths match case-insensitively (plumbing);
 * {@code api-version} is checked before any handler runs.
 */
@RestController
@RequestMapping("/subscriptions/{subscriptionId}")
class ScaleSetController {

    private static final String SET =
            "/resourceGroups/{resourceGroup}/providers/Microsoft.Compute/virtualMachineScaleSets/{name}";
    private static final String INSTANCE = SET + "/virtualMachines/{instanceId}";
    private static final String RETRY_AFTER = "1";

    private final ScaleSets sets;
    private final ScaleSetRequestParser parser;
    private final ScaleSetRepresentation representation;
    private final ObjectMapper json;
    private final int pageSize;

    ScaleSetController(ScaleSets sets, SizeCatalogue sizes, ScaleSetRepresentation representation, ObjectMapper json,
                       VmProperties properties) {
        this.sets = sets;
        this.parser = new ScaleSetRequestParser(new VmRequestParser(sizes));
        this.representation = representation;
        this.json = json;
        this.pageSize = properties.list().pageSize();
    }

    @PutMapping(SET)
    ResponseEntity<ObjectNode> put(@PathVariable String subscriptionId, @PathVariable String resourceGroup,
                                   @PathVariable String name, @RequestBody JsonNode body,
                                   @RequestParam("api-version") String apiVersion,
                                   @RequestHeader(name = HttpHeaders.IF_MATCH, required = false) String ifMatch,
                                   @RequestHeader(name = HttpHeaders.IF_NONE_MATCH, required = false) String ifNoneMatch) {
        ResourceId.requireSubscriptionId(subscriptionId);
        ScaleSetRequestParser.checkName(name);
        ScaleSetRequest request = parser.parse(body);
        return written(subscriptionId, sets.put(subscriptionId, resourceGroup, name, request,
                new Preconditions(ifMatch, ifNoneMatch)), apiVersion);
    }

    /**
     * A JSON merge patch of the stored set ({@code tags} replace the whole map); the merged set must pass what a
     * PUT on it passes. An instance-count change needs only {@code {"sku":{"capacity":n}}}.
     */
    @PatchMapping(SET)
    ResponseEntity<ObjectNode> patch(@PathVariable String subscriptionId, @PathVariable String resourceGroup,
                                     @PathVariable String name, @RequestBody JsonNode body,
                                     @RequestParam("api-version") String apiVersion,
                                     @RequestHeader(name = HttpHeaders.IF_MATCH, required = false) String ifMatch,
                                     @RequestHeader(name = HttpHeaders.IF_NONE_MATCH, required = false) String ifNoneMatch) {
        ResourceId.requireSubscriptionId(subscriptionId);
        ArmJson.requireObject(body);
        ScaleSets.Written written = sets.patch(subscriptionId, resourceGroup, name, current -> {
            ObjectNode merged = representation.resource(current);
            for (var e : body.properties()) {
                if (e.getKey().equals("tags") || !e.getValue().isObject() || !merged.path(e.getKey()).isObject()) {
                    merged.set(e.getKey(), e.getValue());
                } else {
                    mergePatch((ObjectNode) merged.get(e.getKey()), e.getValue());
                }
            }
            return parser.parse(merged);
        }, new Preconditions(ifMatch, ifNoneMatch));
        return written(subscriptionId, written, apiVersion);
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

    private ResponseEntity<ObjectNode> written(String subscriptionId, ScaleSets.Written written, String apiVersion) {
        ScaleSet set = written.set();
        ResponseEntity.BodyBuilder response = written.created()
                ? ResponseEntity.status(HttpStatus.CREATED) : ResponseEntity.ok();
        response.eTag(set.etag());
        if (written.operationId() != null) {
            response.header("Azure-AsyncOperation", ArmLinks.operationStatus(subscriptionId, set.location(),
                    written.operationId(), apiVersion).toString()).header(HttpHeaders.RETRY_AFTER, RETRY_AFTER);
        }
        return response.body(representation.resource(set));
    }

    @GetMapping(SET)
    ResponseEntity<ObjectNode> get(@PathVariable String subscriptionId, @PathVariable String resourceGroup,
                                   @PathVariable String name) {
        ResourceId.requireSubscriptionId(subscriptionId);
        ScaleSet set = sets.require(subscriptionId, resourceGroup, name);
        return ResponseEntity.ok().eTag(set.etag()).body(representation.resource(set));
    }

    @GetMapping(SET + "/instanceView")
    ObjectNode setInstanceView(@PathVariable String subscriptionId, @PathVariable String resourceGroup,
                               @PathVariable String name) {
        ResourceId.requireSubscriptionId(subscriptionId);
        ScaleSets.Members members = sets.members(subscriptionId, resourceGroup, name);
        return representation.instanceView(members.set(), members.instances());
    }

    @DeleteMapping(SET)
    ResponseEntity<Void> delete(@PathVariable String subscriptionId, @PathVariable String resourceGroup,
                                @PathVariable String name, @RequestParam("api-version") String apiVersion,
                                @RequestHeader(name = HttpHeaders.IF_MATCH, required = false) String ifMatch,
                                @RequestHeader(name = HttpHeaders.IF_NONE_MATCH, required = false) String ifNoneMatch) {
        ResourceId.requireSubscriptionId(subscriptionId);
        ScaleSets.Accepted accepted = sets.delete(subscriptionId, resourceGroup, name,
                new Preconditions(ifMatch, ifNoneMatch));
        return accepted == null ? ResponseEntity.noContent().build() : accepted(subscriptionId, accepted, apiVersion);
    }

    @GetMapping("/resourceGroups/{resourceGroup}/providers/Microsoft.Compute/virtualMachineScaleSets")
    ObjectNode listInResourceGroup(@PathVariable String subscriptionId, @PathVariable String resourceGroup) {
        ResourceId.requireSubscriptionId(subscriptionId);
        return list(subscriptionId, resourceGroup);
    }

    @GetMapping("/providers/Microsoft.Compute/virtualMachineScaleSets")
    ObjectNode listInSubscription(@PathVariable String subscriptionId) {
        ResourceId.requireSubscriptionId(subscriptionId);
        return list(subscriptionId, null);
    }

    private ObjectNode list(String subscriptionId, String resourceGroup) {
        PageRequest request = ArmPaging.request(pageSize);
        ScaleSets.Page page = sets.list(subscriptionId, resourceGroup, request.after(), request.size());
        ObjectNode body = json.createObjectNode();
        ArrayNode value = body.putArray("value");
        page.sets().forEach(s -> value.add(representation.resource(s)));
        if (page.nextAfterKey() != null) {
            body.put("nextLink", ArmPaging.nextLink(page.nextAfterKey()));
        }
        return body;
    }

    // ---- rolling upgrades ----

    /** The latest rolling upgrade: its policy, running status and the instances' progress; 404 if none ran. */
    @GetMapping(SET + "/rollingUpgrades/latest")
    ObjectNode latestRollingUpgrade(@PathVariable String subscriptionId, @PathVariable String resourceGroup,
                                    @PathVariable String name) {
        ResourceId.requireSubscriptionId(subscriptionId);
        return representation.rollingUpgrade(sets.latestRollingUpgrade(subscriptionId, resourceGroup, name));
    }

    /** Cancels the running rolling upgrade (202; the batch in flight finishes); 409 OperationNotAllowed if none. */
    @PostMapping(SET + "/rollingUpgrades/cancel")
    ResponseEntity<Void> cancelRollingUpgrade(@PathVariable String subscriptionId, @PathVariable String resourceGroup,
                                              @PathVariable String name, @RequestParam("api-version") String apiVersion) {
        ResourceId.requireSubscriptionId(subscriptionId);
        return accepted(subscriptionId, sets.cancelRollingUpgrade(subscriptionId, resourceGroup, name), apiVersion);
    }

    // ---- instances ----

    @GetMapping(SET + "/virtualMachines")
    ObjectNode instances(@PathVariable String subscriptionId, @PathVariable String resourceGroup,
                         @PathVariable String name, @RequestParam(name = "$expand", required = false) String expand) {
        ResourceId.requireSubscriptionId(subscriptionId);
        boolean view = expand(expand);
        ScaleSets.Members members = sets.members(subscriptionId, resourceGroup, name);
        ObjectNode body = json.createObjectNode();
        ArrayNode value = body.putArray("value");
        for (VirtualMachine vm : members.instances()) {
            value.add(representation.instance(members.set(), vm, view));
        }
        return body;
    }

    @GetMapping(INSTANCE)
    ResponseEntity<ObjectNode> instance(@PathVariable String subscriptionId, @PathVariable String resourceGroup,
                                        @PathVariable String name, @PathVariable String instanceId,
                                        @RequestParam(name = "$expand", required = false) String expand) {
        ResourceId.requireSubscriptionId(subscriptionId);
        boolean view = expand(expand);
        ScaleSets.Members one = sets.instance(subscriptionId, resourceGroup, name, instanceId);
        VirtualMachine vm = one.instances().getFirst();
        return ResponseEntity.ok().eTag(vm.etag()).body(representation.instance(one.set(), vm, view));
    }

    @GetMapping(INSTANCE + "/instanceView")
    ObjectNode instanceView(@PathVariable String subscriptionId, @PathVariable String resourceGroup,
                            @PathVariable String name, @PathVariable String instanceId) {
        ResourceId.requireSubscriptionId(subscriptionId);
        ScaleSets.Members one = sets.instance(subscriptionId, resourceGroup, name, instanceId);
        return (ObjectNode) representation.instance(one.set(), one.instances().getFirst(), true)
                .path("properties").path("instanceView");
    }

    /** PUT of a Uniform instance: only its {@code protectionPolicy} changes here. */
    @PutMapping(INSTANCE)
    ResponseEntity<ObjectNode> putInstance(@PathVariable String subscriptionId, @PathVariable String resourceGroup,
                                           @PathVariable String name, @PathVariable String instanceId,
                                           @RequestBody JsonNode body) {
        ResourceId.requireSubscriptionId(subscriptionId);
        ArmJson.requireObject(body);
        ObjectNode props = ArmJson.object(body, "properties", "properties");
        ObjectNode policy = props == null ? null
                : ArmJson.object(props, "protectionPolicy", "properties.protectionPolicy");
        Boolean fromScaleIn = policy == null ? null : ArmJson.bool(policy, "protectFromScaleIn",
                "properties.protectionPolicy.protectFromScaleIn");
        Boolean fromActions = policy == null ? null : ArmJson.bool(policy, "protectFromScaleSetActions",
                "properties.protectionPolicy.protectFromScaleSetActions");
        VirtualMachine vm = sets.protect(subscriptionId, resourceGroup, name, instanceId,
                fromScaleIn != null && fromScaleIn, fromActions != null && fromActions);
        ScaleSet set = sets.require(subscriptionId, resourceGroup, name);
        return ResponseEntity.ok().eTag(vm.etag()).body(representation.instance(set, vm, false));
    }

    @PostMapping(INSTANCE + "/{action:(?i:start|poweroff|deallocate|restart|redeploy|reimage)}")
    ResponseEntity<Void> instanceAction(@PathVariable String subscriptionId, @PathVariable String resourceGroup,
                                        @PathVariable String name, @PathVariable String instanceId,
                                        @PathVariable String action, @RequestParam("api-version") String apiVersion) {
        ResourceId.requireSubscriptionId(subscriptionId);
        return accepted(subscriptionId, sets.instanceAction(subscriptionId, resourceGroup, name, instanceId,
                PowerAction.named(action)), apiVersion);
    }

    @DeleteMapping(INSTANCE)
    ResponseEntity<Void> deleteInstance(@PathVariable String subscriptionId, @PathVariable String resourceGroup,
                                        @PathVariable String name, @PathVariable String instanceId,
                                        @RequestParam("api-version") String apiVersion) {
        ResourceId.requireSubscriptionId(subscriptionId);
        ScaleSets.Accepted accepted = sets.deleteInstance(subscriptionId, resourceGroup, name, instanceId);
        return accepted == null ? ResponseEntity.noContent().build() : accepted(subscriptionId, accepted, apiVersion);
    }

    /**
     * Set-wide actions: {@code start}, {@code powerOff}, {@code deallocate}, {@code restart}, {@code redeploy},
     * {@code reimage}
     * (body {@code {"instanceIds":[…]}} optional: all instances when absent), {@code delete} (deleteInstances) and
     * {@code manualupgrade} (instanceIds required).
     */
    @PostMapping(SET + "/{action:(?i:start|poweroff|deallocate|restart|redeploy|reimage|delete|manualupgrade)}")
    ResponseEntity<Void> setAction(@PathVariable String subscriptionId, @PathVariable String resourceGroup,
                                   @PathVariable String name, @PathVariable String action,
                                   @RequestParam("api-version") String apiVersion,
                                   @RequestBody(required = false) JsonNode body) {
        ResourceId.requireSubscriptionId(subscriptionId);
        ScaleSets.SetAction setAction = ScaleSets.SetAction.named(action);
        List<String> instanceIds = instanceIds(body);
        if (instanceIds == null && (setAction == ScaleSets.SetAction.delete
                || setAction == ScaleSets.SetAction.manualUpgrade)) {
            throw ArmJson.missing("instanceIds", "instanceIds");
        }
        if (instanceIds != null && instanceIds.isEmpty()) {
            throw ArmException.invalidParameter("instanceIds must name at least one instance.", "instanceIds");
        }
        return accepted(subscriptionId, sets.setAction(subscriptionId, resourceGroup, name, setAction, instanceIds),
                apiVersion);
    }

    private static List<String> instanceIds(JsonNode body) {
        if (body == null || body.isNull() || body.isMissingNode()) {
            return null;
        }
        ArmJson.requireObject(body);
        JsonNode ids = ArmJson.array(body, "instanceIds", "instanceIds");
        if (ids == null) {
            return null;
        }
        List<String> list = new ArrayList<>();
        for (int i = 0; i < ids.size(); i++) {
            if (!ids.get(i).isString()) {
                throw ArmJson.wrongType("instanceIds[" + i + "]", "a string");
            }
            list.add(ids.get(i).stringValue());
        }
        return list;
    }

    private static ResponseEntity<Void> accepted(String subscriptionId, ScaleSets.Accepted op, String apiVersion) {
        UUID id = op.operationId();
        return ResponseEntity.accepted()
                .location(ArmLinks.operationResult(subscriptionId, op.location(), id, apiVersion))
                .header("Azure-AsyncOperation", ArmLinks.operationStatus(subscriptionId, op.location(), id,
                        apiVersion).toString())
                .header(HttpHeaders.RETRY_AFTER, RETRY_AFTER)
                .build();
    }

    private static boolean expand(String expand) {
        if (expand == null || expand.isEmpty()) {
            return false;
        }
        if (expand.trim().equalsIgnoreCase("instanceView")) {
            return true;
        }
        throw ArmException.invalidParameter("The value '" + expand + "' of $expand is not supported. Allowed values: "
                + "instanceView.", "$expand");
    }
}
