package dev.cirrus.computecontainer.group;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

import dev.cirrus.computecontainer.operation.Operation;
import dev.cirrus.computecontainer.operation.OperationLinks;
import dev.cirrus.contracts.arm.PageRequest;
import dev.cirrus.contracts.arm.Preconditions;
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
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;

/**
 * {@code Microsoft.ContainerInstance/containerGroups} in Azure's shapes. Thin: {@link ContainerGroups} decides.
 * <ul>
 *   <li>PUT creates: 201, {@code provisioningState: Creating}, an {@code Azure-AsyncOperation} to poll; a PUT on an
 *       existing group changes its tags (200);</li>
 *   <li>PATCH changes tags; GET; DELETE 200 with the group (204 when there is none); lists per group and
 *       subscription, paged;</li>
 *   <li>POST {@code stop} 204, {@code start} and {@code restart} 202 with {@code Azure-AsyncOperation};</li>
 *   <li>GET {@code containers/{name}/logs?tail=&timestamps=}: {@code {"content": "…"}}.</li>
 * </ul>
 */
@RestController
class ContainerGroupController {

    static final String GROUP = "/subscriptions/{sub}/resourceGroups/{rg}/providers/Microsoft.ContainerInstance/"
            + "containerGroups/{name}";

    private final ContainerGroups groups;
    private final ContainerGroupView view;
    private final ContainerGroupProperties properties;

    ContainerGroupController(ContainerGroups groups, ContainerGroupView view, ContainerGroupProperties properties) {
        this.groups = groups;
        this.view = view;
        this.properties = properties;
    }

    @PutMapping(GROUP)
    ResponseEntity<Map<String, Object>> put(@PathVariable String sub, @PathVariable String rg, @PathVariable String name,
                                            @RequestParam("api-version") String apiVersion,
                                            @RequestBody(required = false) JsonNode body,
                                            @RequestHeader(name = HttpHeaders.IF_MATCH, required = false) String ifMatch,
                                            @RequestHeader(name = HttpHeaders.IF_NONE_MATCH, required = false) String ifNoneMatch) {
        ContainerGroups.PutResult result = groups.createOrUpdate(sub, rg, name, body,
                new Preconditions(ifMatch, ifNoneMatch));
        ContainerGroup g = result.group();
        if (result.created() == null) {
            return ResponseEntity.ok().eTag(g.etag()).body(view.view(g, groups.views(g)));
        }
        return ResponseEntity.status(HttpStatus.CREATED).eTag(g.etag())
                .header("Azure-AsyncOperation", asyncOperation(sub, result.created(), apiVersion))
                .body(view.view(g, groups.views(g)));
    }

    @PatchMapping(GROUP)
    ResponseEntity<Map<String, Object>> patch(@PathVariable String sub, @PathVariable String rg,
                                              @PathVariable String name,
                                              @RequestParam("api-version") String apiVersion,
                                              @RequestBody(required = false) JsonNode body,
                                              @RequestHeader(name = HttpHeaders.IF_MATCH, required = false) String ifMatch) {
        ContainerGroup g = groups.patch(sub, rg, name, body, new Preconditions(ifMatch, null));
        return ResponseEntity.ok().eTag(g.etag()).body(view.view(g, groups.views(g)));
    }

    @GetMapping(GROUP)
    ResponseEntity<Map<String, Object>> get(@PathVariable String sub, @PathVariable String rg, @PathVariable String name,
                                            @RequestParam("api-version") String apiVersion) {
        ContainerGroup g = groups.get(sub, rg, name);
        return ResponseEntity.ok().eTag(g.etag()).body(view.view(g, groups.views(g)));
    }

    @DeleteMapping(GROUP)
    ResponseEntity<Map<String, Object>> delete(@PathVariable String sub, @PathVariable String rg,
                                               @PathVariable String name,
                                               @RequestParam("api-version") String apiVersion,
                                               @RequestHeader(name = HttpHeaders.IF_MATCH, required = false) String ifMatch) {
        Optional<ContainerGroup> deleted = groups.delete(sub, rg, name, new Preconditions(ifMatch, null));
        return deleted.map(g -> ResponseEntity.ok().body(view.view(g, Map.of())))
                .orElseGet(() -> ResponseEntity.noContent().build());
    }

    @PostMapping(GROUP + "/stop")
    ResponseEntity<Void> stop(@PathVariable String sub, @PathVariable String rg, @PathVariable String name,
                              @RequestParam("api-version") String apiVersion) {
        groups.stop(sub, rg, name);
        return ResponseEntity.noContent().build();
    }

    @PostMapping(GROUP + "/start")
    ResponseEntity<Void> start(@PathVariable String sub, @PathVariable String rg, @PathVariable String name,
                               @RequestParam("api-version") String apiVersion) {
        Operation op = groups.redeploy(sub, rg, name, false);
        return ResponseEntity.accepted().header("Azure-AsyncOperation", asyncOperation(sub, op, apiVersion)).build();
    }

    @PostMapping(GROUP + "/restart")
    ResponseEntity<Void> restart(@PathVariable String sub, @PathVariable String rg, @PathVariable String name,
                                 @RequestParam("api-version") String apiVersion) {
        Operation op = groups.redeploy(sub, rg, name, true);
        return ResponseEntity.accepted().header("Azure-AsyncOperation", asyncOperation(sub, op, apiVersion)).build();
    }

    @GetMapping(GROUP + "/containers/{container}/logs")
    Map<String, Object> logs(@PathVariable String sub, @PathVariable String rg, @PathVariable String name,
                             @PathVariable String container, @RequestParam("api-version") String apiVersion,
                             @RequestParam(name = "tail", required = false) String tail,
                             @RequestParam(name = "timestamps", required = false) String timestamps) {
        Integer lines = null;
        if (tail != null) {
            try {
                lines = Integer.parseInt(tail.trim());
            } catch (NumberFormatException e) {
                lines = -1;
            }
            if (lines < 0) {
                throw ArmException.invalidParameter("The value '" + ContainerGroupRequests.printable(tail) + "' of "
                        + "'tail' is not valid: it must be a whole number of 0 or more.", "tail");
            }
        }
        boolean stamped = false;
        if (timestamps != null) {
            if (!timestamps.equalsIgnoreCase("true") && !timestamps.equalsIgnoreCase("false")) {
                throw ArmException.invalidParameter("The value '" + ContainerGroupRequests.printable(timestamps)
                        + "' of 'timestamps' is not valid: it must be true or false.", "timestamps");
            }
            stamped = Boolean.parseBoolean(timestamps);
        }
        return Map.<String, Object>of("content", groups.logs(sub, rg, name, container, lines, stamped));
    }

    /** The groups of a resource group or a subscription, in id order, paged with {@code $top} / {@code $skiptoken}. */
    @GetMapping({"/subscriptions/{sub}/resourceGroups/{rg}/providers/Microsoft.ContainerInstance/containerGroups",
            "/subscriptions/{sub}/providers/Microsoft.ContainerInstance/containerGroups"})
    Map<String, Object> list(@PathVariable String sub, @PathVariable(required = false) String rg,
                             @RequestParam("api-version") String apiVersion) {
        PageRequest request = ArmPaging.request(properties.listPageSize());
        ContainerGroups.Page page = groups.list(sub, rg, request.after(), request.size());
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("value", page.groups().stream().map(g -> view.view(g, groups.views(g))).toList());
        if (page.lastKey() != null) {
            body.put("nextLink", ArmPaging.nextLink(page.lastKey()));
        }
        return body;
    }

    private static String asyncOperation(String sub, Operation op, String apiVersion) {
        return OperationLinks.status(sub, op.location(), op.id(), apiVersion).toString();
    }
}
