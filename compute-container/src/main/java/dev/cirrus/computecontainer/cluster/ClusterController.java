package dev.cirrus.computecontainer.cluster;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import dev.cirrus.contracts.arm.ArmLocations;
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
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.support.ServletUriComponentsBuilder;
import tools.jackson.databind.JsonNode;

/**
 * {@code Microsoft.ContainerService/managedClusters} and their agent pools in Azure's shapes. Thin:
 * {@link ManagedClusters} decides. Every write that starts work answers with {@code Azure-AsyncOperation} (and
 * {@code Location} for DELETE and the POST actions) to poll.
 */
@RestController
class ClusterController {

    static final String PROVIDER = "/providers/Microsoft.ContainerService";
    static final String CLUSTER = "/subscriptions/{sub}/resourceGroups/{rg}" + PROVIDER + "/managedClusters/{name}";
    static final String POOL = CLUSTER + "/agentPools/{pool}";

    private final ManagedClusters clusters;
    private final ClusterView view;
    private final ClusterOperations operations;
    private final ClusterProperties properties;

    ClusterController(ManagedClusters clusters, ClusterView view, ClusterOperations operations,
                      ClusterProperties properties) {
        this.clusters = clusters;
        this.view = view;
        this.operations = operations;
        this.properties = properties;
    }

    @PutMapping(CLUSTER)
    ResponseEntity<Map<String, Object>> put(@PathVariable String sub, @PathVariable String rg, @PathVariable String name,
                                            @RequestParam("api-version") String apiVersion,
                                            @RequestBody(required = false) JsonNode body,
                                            @RequestHeader(name = HttpHeaders.IF_MATCH, required = false) String ifMatch,
                                            @RequestHeader(name = HttpHeaders.IF_NONE_MATCH, required = false) String ifNoneMatch) {
        ManagedClusters.Write w = clusters.createOrUpdate(sub, rg, name, body, new Preconditions(ifMatch, ifNoneMatch));
        return written(w, sub, apiVersion, view.cluster(w.cluster(), clusters.versions()));
    }

    @PatchMapping(CLUSTER)
    ResponseEntity<Map<String, Object>> patch(@PathVariable String sub, @PathVariable String rg,
                                              @PathVariable String name, @RequestParam("api-version") String apiVersion,
                                              @RequestBody(required = false) JsonNode body,
                                              @RequestHeader(name = HttpHeaders.IF_MATCH, required = false) String ifMatch) {
        ManagedCluster c = clusters.patch(sub, rg, name, body, new Preconditions(ifMatch, null));
        return ResponseEntity.ok().eTag(c.etag()).body(view.cluster(c, clusters.versions()));
    }

    @GetMapping(CLUSTER)
    ResponseEntity<Map<String, Object>> get(@PathVariable String sub, @PathVariable String rg, @PathVariable String name,
                                            @RequestParam("api-version") String apiVersion) {
        ManagedCluster c = clusters.get(sub, rg, name);
        return ResponseEntity.ok().eTag(c.etag()).body(view.cluster(c, clusters.versions()));
    }

    @DeleteMapping(CLUSTER)
    ResponseEntity<Void> delete(@PathVariable String sub, @PathVariable String rg, @PathVariable String name,
                                @RequestParam("api-version") String apiVersion,
                                @RequestHeader(name = HttpHeaders.IF_MATCH, required = false) String ifMatch) {
        Optional<ManagedClusters.Write> w = clusters.delete(sub, rg, name, new Preconditions(ifMatch, null));
        return w.map(d -> accepted(d, sub, apiVersion)).orElseGet(() -> ResponseEntity.noContent().build());
    }

    @PostMapping(CLUSTER + "/stop")
    ResponseEntity<Void> stop(@PathVariable String sub, @PathVariable String rg, @PathVariable String name,
                              @RequestParam("api-version") String apiVersion) {
        return accepted(clusters.power(sub, rg, name, false), sub, apiVersion);
    }

    @PostMapping(CLUSTER + "/start")
    ResponseEntity<Void> start(@PathVariable String sub, @PathVariable String rg, @PathVariable String name,
                               @RequestParam("api-version") String apiVersion) {
        return accepted(clusters.power(sub, rg, name, true), sub, apiVersion);
    }

    @GetMapping(CLUSTER + "/upgradeProfiles/default")
    Map<String, Object> upgradeProfile(@PathVariable String sub, @PathVariable String rg, @PathVariable String name,
                                       @RequestParam("api-version") String apiVersion) {
        return view.upgradeProfile(clusters.get(sub, rg, name), clusters.versions());
    }

    /** No kubeconfig: no Kubernetes API is served here (see {@link ClusterView#NO_API}). */
    @PostMapping({CLUSTER + "/listClusterUserCredential", CLUSTER + "/listClusterAdminCredential",
            CLUSTER + "/listClusterMonitoringUserCredential"})
    ResponseEntity<Void> credentials(@PathVariable String sub, @PathVariable String rg, @PathVariable String name,
                                     @RequestParam("api-version") String apiVersion) {
        clusters.get(sub, rg, name);
        throw new ArmException(409, "KubernetesApiNotServed", "The managed cluster '" + name + "' has no kubeconfig: "
                + ClusterView.NO_API, null);
    }

    @GetMapping({"/subscriptions/{sub}/resourceGroups/{rg}" + PROVIDER + "/managedClusters",
            "/subscriptions/{sub}" + PROVIDER + "/managedClusters"})
    Map<String, Object> list(@PathVariable String sub, @PathVariable(required = false) String rg,
                             @RequestParam("api-version") String apiVersion) {
        PageRequest request = ArmPaging.request(properties.listPageSize());
        ManagedClusters.Page page = clusters.list(sub, rg, request.after(), request.size());
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("value", page.clusters().stream().map(c -> view.cluster(c, clusters.versions())).toList());
        if (page.lastKey() != null) {
            body.put("nextLink", ArmPaging.nextLink(page.lastKey()));
        }
        return body;
    }

    @GetMapping(CLUSTER + "/agentPools")
    Map<String, Object> pools(@PathVariable String sub, @PathVariable String rg, @PathVariable String name,
                              @RequestParam("api-version") String apiVersion) {
        ManagedCluster c = clusters.get(sub, rg, name);
        return Map.of("value", c.pools().stream().map(p -> view.pool(c, p)).toList());
    }

    @GetMapping(POOL)
    Map<String, Object> pool(@PathVariable String sub, @PathVariable String rg, @PathVariable String name,
                             @PathVariable String pool, @RequestParam("api-version") String apiVersion) {
        ManagedCluster c = clusters.get(sub, rg, name);
        return view.pool(c, c.pool(pool).orElseThrow(() -> poolNotFound(name, pool)));
    }

    @PutMapping(POOL)
    ResponseEntity<Map<String, Object>> putPool(@PathVariable String sub, @PathVariable String rg,
                                                @PathVariable String name, @PathVariable String pool,
                                                @RequestParam("api-version") String apiVersion,
                                                @RequestBody(required = false) JsonNode body,
                                                @RequestHeader(name = HttpHeaders.IF_MATCH, required = false) String ifMatch,
                                                @RequestHeader(name = HttpHeaders.IF_NONE_MATCH, required = false) String ifNoneMatch) {
        ManagedClusters.Write w = clusters.putPool(sub, rg, name, pool, body, new Preconditions(ifMatch, ifNoneMatch));
        AgentPool p = w.cluster().pool(pool).orElseThrow();
        return written(w, sub, apiVersion, view.pool(w.cluster(), p));
    }

    @DeleteMapping(POOL)
    ResponseEntity<Void> deletePool(@PathVariable String sub, @PathVariable String rg, @PathVariable String name,
                                    @PathVariable String pool, @RequestParam("api-version") String apiVersion) {
        return clusters.deletePool(sub, rg, name, pool).map(w -> accepted(w, sub, apiVersion))
                .orElseGet(() -> ResponseEntity.noContent().build());
    }

    /** The nodes of a pool ({@code machines}, with Cirrus's additions: state, version, host, rack, fault domain). */
    @GetMapping(POOL + "/machines")
    Map<String, Object> machines(@PathVariable String sub, @PathVariable String rg, @PathVariable String name,
                                 @PathVariable String pool, @RequestParam("api-version") String apiVersion) {
        ManagedCluster c = clusters.get(sub, rg, name);
        AgentPool p = c.pool(pool).orElseThrow(() -> poolNotFound(name, pool));
        String set = AgentPool.scaleSetName(c.key(), p.name());
        List<Map<String, Object>> value = clusters.nodes(c).stream().filter(n -> n.pool().equals(p.name()))
                .map(n -> view.machine(c, n, set)).toList();
        return Map.of("value", value);
    }

    @GetMapping("/subscriptions/{sub}" + PROVIDER + "/locations/{location}/kubernetesVersions")
    Map<String, Object> versions(@PathVariable String sub, @PathVariable String location,
                                 @RequestParam("api-version") String apiVersion) {
        ResourceId.requireSubscriptionId(sub);
        ArmLocations.require(location, "location");
        return view.versions(clusters.versions());
    }

    @GetMapping("/subscriptions/{sub}" + PROVIDER + "/locations/{location}/operations/{operationId}")
    ResponseEntity<Map<String, Object>> operation(@PathVariable String sub, @PathVariable String location,
                                                  @PathVariable String operationId) {
        ResourceId.requireSubscriptionId(sub);
        String loc = ArmLocations.require(location, "location");
        UUID id;
        try {
            id = UUID.fromString(operationId);
        } catch (IllegalArgumentException e) {
            throw operationNotFound(operationId);
        }
        ClusterOperations.Op op = operations.find(sub, id).filter(o -> o.location().equals(loc))
                .orElseThrow(() -> operationNotFound(operationId));
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("id", ServletUriComponentsBuilder.fromCurrentRequestUri().build(true).getPath());
        body.put("name", op.id().toString());
        body.put("status", op.status());
        body.put("startTime", op.startTime().toString());
        if (op.endTime() != null) {
            body.put("endTime", op.endTime().toString());
        }
        if (op.errorCode() != null) {
            body.put("error", Map.of("code", op.errorCode(), "message", op.errorMessage()));
        }
        ResponseEntity.BodyBuilder ok = ResponseEntity.ok();
        if ("InProgress".equals(op.status())) {
            ok.header(HttpHeaders.RETRY_AFTER, "1");
        }
        return ok.body(body);
    }

    private ResponseEntity<Map<String, Object>> written(ManagedClusters.Write w, String sub, String apiVersion,
                                                         Map<String, Object> body) {
        ResponseEntity.BodyBuilder b = ResponseEntity.status(w.created() ? HttpStatus.CREATED : HttpStatus.OK)
                .eTag(w.cluster().etag());
        if (w.operation() != null) {
            b.header("Azure-AsyncOperation", operationUrl(sub, w.cluster().location(), w.operation(), apiVersion));
        }
        return b.body(body);
    }

    private static ResponseEntity<Void> accepted(ManagedClusters.Write w, String sub, String apiVersion) {
        String url = operationUrl(sub, w.cluster().location(), w.operation(), apiVersion);
        return ResponseEntity.accepted().header("Azure-AsyncOperation", url).header(HttpHeaders.LOCATION, url)
                .header(HttpHeaders.RETRY_AFTER, "1").build();
    }

    static String operationUrl(String sub, String location, UUID id, String apiVersion) {
        return ServletUriComponentsBuilder.fromCurrentContextPath()
                .path("/subscriptions/{sub}/providers/Microsoft.ContainerService/locations/{loc}/operations/{id}")
                .queryParam("api-version", "{v}").buildAndExpand(sub, location, id, apiVersion).encode().toUriString();
    }

    private static ArmException poolNotFound(String cluster, String pool) {
        return ArmException.notFound("NotFound", "The agent pool '" + KubernetesVersions.printable(pool)
                + "' of managed cluster '" + cluster + "' was not found.");
    }

    private static ArmException operationNotFound(String id) {
        return ArmException.notFound("OperationNotFound", "The operation '" + KubernetesVersions.printable(id)
                + "' was not found.");
    }
}
