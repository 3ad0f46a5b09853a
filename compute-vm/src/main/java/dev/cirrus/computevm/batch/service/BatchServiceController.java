package dev.cirrus.computevm.batch.service;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.function.Predicate;

import dev.cirrus.computevm.batch.account.BatchAccount;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.core.io.FileSystemResource;
import org.springframework.core.io.Resource;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestAttribute;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestMethod;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * The Batch service API (api-version {@code 2024-07-01.20.0}), at {@code /batch/{account}.{region}/…}: pools, their
 * nodes and files, jobs, tasks and their files (compute-vm/README.md, "Batch"). {@link BatchAuthentication} has
 * checked the call and put the account in the request before any method here runs.
 */
@RestController
@RequestMapping("/batch/{endpoint}")
class BatchServiceController {

    private static final String ACCOUNT = BatchAuthentication.ACCOUNT;
    private static final DateTimeFormatter RFC_1123 = DateTimeFormatter.RFC_1123_DATE_TIME.withZone(ZoneOffset.UTC);

    private final BatchService batch;
    private final ObjectMapper json;
    private final int pageSize;

    BatchServiceController(BatchService batch, ObjectMapper json, dev.cirrus.computevm.batch.BatchProperties properties) {
        this.batch = batch;
        this.json = json;
        this.pageSize = properties.pageSize();
    }

    /** The URL the client uses for this account: the host form's origin, or the path form's prefix. */
    static String baseUrl(HttpServletRequest request) {
        String origin = request.getScheme() + "://" + request.getServerName()
                + (request.getServerPort() == 80 && "http".equals(request.getScheme())
                || request.getServerPort() == 443 && "https".equals(request.getScheme()) ? "" : ":" + request.getServerPort());
        if (request.getHeader(BatchAuthentication.SIGNED_PATH_HEADER) != null
                || request.getAttribute(BatchHostForm.SIGNED_PATH) != null) {
            return origin;
        }
        String uri = request.getRequestURI();
        int end = uri.indexOf('/', "/batch/".length());
        return origin + (end < 0 ? uri : uri.substring(0, end));
    }

    // ------------------------------------------------------------------ pools

    @PostMapping("/pools")
    ResponseEntity<Void> addPool(@RequestAttribute(ACCOUNT) BatchAccount account, @RequestBody(required = false) String body,
                                 HttpServletRequest request) {
        Pool pool = batch.addPool(account, BatchRequests.object(body, json));
        return created(request, "/pools/" + pool.id, pool.etag, pool.lastModified);
    }

    @GetMapping("/pools")
    ObjectNode listPools(@RequestAttribute(ACCOUNT) BatchAccount account, HttpServletRequest request) {
        String base = baseUrl(request);
        List<Pool> pools = batch.pools(account);
        return page(request, "pools", pools.stream().map(p -> pool(p, base)).toList());
    }

    @GetMapping("/pools/{poolId}")
    ResponseEntity<ObjectNode> getPool(@RequestAttribute(ACCOUNT) BatchAccount account, @PathVariable String poolId,
                                       HttpServletRequest request) {
        Pool pool = batch.pool(account, poolId);
        return withEtag(select(pool(pool, baseUrl(request)), request), pool.etag, pool.lastModified);
    }

    @RequestMapping(value = "/pools/{poolId}", method = RequestMethod.HEAD)
    ResponseEntity<Void> poolExists(@RequestAttribute(ACCOUNT) BatchAccount account, @PathVariable String poolId) {
        Pool pool = batch.pool(account, poolId);
        return ResponseEntity.ok().eTag(pool.etag).build();
    }

    @DeleteMapping("/pools/{poolId}")
    ResponseEntity<Void> deletePool(@RequestAttribute(ACCOUNT) BatchAccount account, @PathVariable String poolId) {
        batch.deletePool(account, poolId);
        return accepted();
    }

    @PostMapping("/pools/{poolId}/resize")
    ResponseEntity<Void> resize(@RequestAttribute(ACCOUNT) BatchAccount account, @PathVariable String poolId,
                                @RequestBody(required = false) String body) {
        batch.resize(account, poolId, BatchRequests.object(body, json));
        return accepted();
    }

    @PostMapping("/pools/{poolId}/stopresize")
    ResponseEntity<Void> stopResize(@RequestAttribute(ACCOUNT) BatchAccount account, @PathVariable String poolId) {
        batch.stopResize(account, poolId);
        return accepted();
    }

    @PostMapping("/pools/{poolId}/removenodes")
    ResponseEntity<Void> removeNodes(@RequestAttribute(ACCOUNT) BatchAccount account, @PathVariable String poolId,
                                     @RequestBody(required = false) String body) {
        batch.removeNodes(account, poolId, BatchRequests.object(body, json));
        return accepted();
    }

    // ------------------------------------------------------------------ nodes

    @GetMapping("/pools/{poolId}/nodes")
    ObjectNode listNodes(@RequestAttribute(ACCOUNT) BatchAccount account, @PathVariable String poolId,
                         HttpServletRequest request) {
        String base = baseUrl(request);
        Pool pool = batch.pool(account, poolId);
        return page(request, "pools/" + pool.id + "/nodes",
                batch.nodes(account, poolId).stream().map(n -> node(pool, n, base)).toList());
    }

    @GetMapping("/pools/{poolId}/nodes/{nodeId}")
    ObjectNode getNode(@RequestAttribute(ACCOUNT) BatchAccount account, @PathVariable String poolId,
                       @PathVariable String nodeId, HttpServletRequest request) {
        Pool pool = batch.pool(account, poolId);
        return select(node(pool, batch.node(account, poolId, nodeId), baseUrl(request)), request);
    }

    @PostMapping("/pools/{poolId}/nodes/{nodeId}/reboot")
    ResponseEntity<Void> reboot(@RequestAttribute(ACCOUNT) BatchAccount account, @PathVariable String poolId,
                                @PathVariable String nodeId) {
        batch.reboot(account, poolId, nodeId);
        return accepted();
    }

    @PostMapping("/pools/{poolId}/nodes/{nodeId}/disablescheduling")
    ResponseEntity<Void> disableScheduling(@RequestAttribute(ACCOUNT) BatchAccount account, @PathVariable String poolId,
                                           @PathVariable String nodeId) {
        batch.scheduling(account, poolId, nodeId, false);
        return ResponseEntity.ok().header("request-id", UUID.randomUUID().toString()).build();
    }

    @PostMapping("/pools/{poolId}/nodes/{nodeId}/enablescheduling")
    ResponseEntity<Void> enableScheduling(@RequestAttribute(ACCOUNT) BatchAccount account, @PathVariable String poolId,
                                          @PathVariable String nodeId) {
        batch.scheduling(account, poolId, nodeId, true);
        return ResponseEntity.ok().header("request-id", UUID.randomUUID().toString()).build();
    }

    @GetMapping("/pools/{poolId}/nodes/{nodeId}/files")
    ObjectNode nodeFiles(@RequestAttribute(ACCOUNT) BatchAccount account, @PathVariable String poolId,
                         @PathVariable String nodeId, @RequestParam(defaultValue = "false") boolean recursive,
                         HttpServletRequest request) {
        Node node = batch.node(account, poolId, nodeId);
        Path root = batch.nodeDirectory(node);
        String base = baseUrl(request) + "/pools/" + poolId + "/nodes/" + nodeId + "/files/";
        return fileList(request, root, recursive, base);
    }

    @GetMapping("/pools/{poolId}/nodes/{nodeId}/files/**")
    ResponseEntity<Resource> nodeFile(@RequestAttribute(ACCOUNT) BatchAccount account, @PathVariable String poolId,
                                      @PathVariable String nodeId, HttpServletRequest request) {
        Node node = batch.node(account, poolId, nodeId);
        return file(BatchService.file(batch.nodeDirectory(node), filePath(request)));
    }

    // ------------------------------------------------------------------ jobs

    @PostMapping("/jobs")
    ResponseEntity<Void> addJob(@RequestAttribute(ACCOUNT) BatchAccount account, @RequestBody(required = false) String body,
                                HttpServletRequest request) {
        Job job = batch.addJob(account, BatchRequests.object(body, json));
        return created(request, "/jobs/" + job.id, job.etag, job.lastModified);
    }

    @GetMapping("/jobs")
    ObjectNode listJobs(@RequestAttribute(ACCOUNT) BatchAccount account, HttpServletRequest request) {
        String base = baseUrl(request);
        return page(request, "jobs", batch.jobs(account).stream().map(j -> job(j, base)).toList());
    }

    @GetMapping("/jobs/{jobId}")
    ResponseEntity<ObjectNode> getJob(@RequestAttribute(ACCOUNT) BatchAccount account, @PathVariable String jobId,
                                      HttpServletRequest request) {
        Job job = batch.job(account, jobId);
        return withEtag(select(job(job, baseUrl(request)), request), job.etag, job.lastModified);
    }

    @PatchMapping("/jobs/{jobId}")
    ResponseEntity<Void> patchJob(@RequestAttribute(ACCOUNT) BatchAccount account, @PathVariable String jobId,
                                  @RequestBody(required = false) String body) {
        Job job = batch.patchJob(account, jobId, BatchRequests.object(body, json));
        return ResponseEntity.ok().eTag(job.etag).header("request-id", UUID.randomUUID().toString()).build();
    }

    @DeleteMapping("/jobs/{jobId}")
    ResponseEntity<Void> deleteJob(@RequestAttribute(ACCOUNT) BatchAccount account, @PathVariable String jobId) {
        batch.deleteJob(account, jobId);
        return accepted();
    }

    @PostMapping("/jobs/{jobId}/terminate")
    ResponseEntity<Void> terminateJob(@RequestAttribute(ACCOUNT) BatchAccount account, @PathVariable String jobId,
                                      @RequestBody(required = false) String body) {
        String reason = null;
        if (body != null && !body.isBlank()) {
            JsonNode r = BatchRequests.object(body, json).get("terminateReason");
            reason = r != null && r.isString() ? r.asString() : null;
        }
        batch.terminateJob(account, jobId, reason);
        return accepted();
    }

    @PostMapping("/jobs/{jobId}/disable")
    ResponseEntity<Void> disableJob(@RequestAttribute(ACCOUNT) BatchAccount account, @PathVariable String jobId) {
        batch.disableJob(account, jobId);
        return accepted();
    }

    @PostMapping("/jobs/{jobId}/enable")
    ResponseEntity<Void> enableJob(@RequestAttribute(ACCOUNT) BatchAccount account, @PathVariable String jobId) {
        batch.enableJob(account, jobId);
        return accepted();
    }

    @GetMapping("/jobs/{jobId}/taskcounts")
    ObjectNode taskCounts(@RequestAttribute(ACCOUNT) BatchAccount account, @PathVariable String jobId) {
        List<BatchTask> tasks = batch.tasks(account, jobId);
        ObjectNode body = JsonNodeFactory.instance.objectNode();
        ObjectNode counts = body.putObject("taskCounts");
        ObjectNode slots = body.putObject("taskSlotCounts");
        for (String state : List.of("active", "running", "completed")) {
            counts.put(state, tasks.stream().filter(t -> t.state.equals(state)).count());
            slots.put(state, tasks.stream().filter(t -> t.state.equals(state)).mapToInt(BatchTask::requiredSlots).sum());
        }
        for (String result : List.of("success", "failure")) {
            String name = result.equals("success") ? "succeeded" : "failed";
            counts.put(name, tasks.stream().filter(t -> result.equals(t.result)).count());
            slots.put(name, tasks.stream().filter(t -> result.equals(t.result)).mapToInt(BatchTask::requiredSlots).sum());
        }
        return body;
    }

    // ------------------------------------------------------------------ tasks

    @PostMapping("/jobs/{jobId}/tasks")
    ResponseEntity<Void> addTask(@RequestAttribute(ACCOUNT) BatchAccount account, @PathVariable String jobId,
                                 @RequestBody(required = false) String body, HttpServletRequest request) {
        BatchService.Added added = batch.addTasks(account, jobId, List.of(BatchRequests.object(body, json))).get(0);
        if (added.error() != null) {
            throw added.error();
        }
        BatchTask t = added.task();
        return created(request, "/jobs/" + jobId + "/tasks/" + t.id, t.etag, t.lastModified);
    }

    @PostMapping("/jobs/{jobId}/addtaskcollection")
    ObjectNode addTaskCollection(@RequestAttribute(ACCOUNT) BatchAccount account, @PathVariable String jobId,
                                 @RequestBody(required = false) String body, HttpServletRequest request) {
        ObjectNode collection = BatchRequests.object(body, json);
        JsonNode value = collection.get("value");
        if (value == null || value.isNull()) {
            throw BatchError.missingProperty("value");
        }
        if (!value.isArray()) {
            throw BatchError.invalidPropertyValue("value", value, "An array of tasks is required.");
        }
        List<ObjectNode> tasks = new ArrayList<>();
        for (JsonNode t : value) {
            if (!(t instanceof ObjectNode o)) {
                throw BatchError.invalidBody("Every task of the collection must be an object.");
            }
            tasks.add(o);
        }
        String base = baseUrl(request);
        ObjectNode result = JsonNodeFactory.instance.objectNode();
        result.put("odata.metadata", base + "/$metadata#taskaddresult");
        ArrayNode out = result.putArray("value");
        for (BatchService.Added a : batch.addTasks(account, jobId, tasks)) {
            ObjectNode r = out.addObject();
            r.put("taskId", a.id());
            if (a.error() == null) {
                r.put("status", "success");
                r.put("eTag", a.task().etag);
                r.put("lastModified", a.task().lastModified.toString());
                r.put("location", base + "/jobs/" + jobId + "/tasks/" + a.id());
            } else {
                r.put("status", a.error().status() >= 500 ? "servererror" : "clienterror");
                ObjectNode e = r.putObject("error");
                e.put("code", a.error().code());
                e.putObject("message").put("lang", "en-US").put("value", a.error().getMessage());
                if (!a.error().values().isEmpty()) {
                    ArrayNode v = e.putArray("values");
                    a.error().values().forEach((k, val) -> v.addObject().put("key", k).put("value", val));
                }
            }
        }
        return result;
    }

    @GetMapping("/jobs/{jobId}/tasks")
    ObjectNode listTasks(@RequestAttribute(ACCOUNT) BatchAccount account, @PathVariable String jobId,
                         HttpServletRequest request) {
        String base = baseUrl(request);
        Job job = batch.job(account, jobId);
        return page(request, "jobs/" + job.id + "/tasks",
                batch.tasks(account, jobId).stream().map(t -> task(job, t, base)).toList());
    }

    @GetMapping("/jobs/{jobId}/tasks/{taskId}")
    ResponseEntity<ObjectNode> getTask(@RequestAttribute(ACCOUNT) BatchAccount account, @PathVariable String jobId,
                                       @PathVariable String taskId, HttpServletRequest request) {
        Job job = batch.job(account, jobId);
        BatchTask t = batch.task(account, jobId, taskId);
        return withEtag(select(task(job, t, baseUrl(request)), request), t.etag, t.lastModified);
    }

    @DeleteMapping("/jobs/{jobId}/tasks/{taskId}")
    ResponseEntity<Void> deleteTask(@RequestAttribute(ACCOUNT) BatchAccount account, @PathVariable String jobId,
                                    @PathVariable String taskId) {
        batch.deleteTask(account, jobId, taskId);
        return ResponseEntity.ok().header("request-id", UUID.randomUUID().toString()).build();
    }

    @PostMapping("/jobs/{jobId}/tasks/{taskId}/terminate")
    ResponseEntity<Void> terminateTask(@RequestAttribute(ACCOUNT) BatchAccount account, @PathVariable String jobId,
                                       @PathVariable String taskId) {
        batch.terminateTask(account, jobId, taskId);
        return ResponseEntity.noContent().header("request-id", UUID.randomUUID().toString()).build();
    }

    @GetMapping("/jobs/{jobId}/tasks/{taskId}/files")
    ObjectNode taskFiles(@RequestAttribute(ACCOUNT) BatchAccount account, @PathVariable String jobId,
                         @PathVariable String taskId, @RequestParam(defaultValue = "false") boolean recursive,
                         HttpServletRequest request) {
        BatchTask t = batch.task(account, jobId, taskId);
        String base = baseUrl(request) + "/jobs/" + jobId + "/tasks/" + taskId + "/files/";
        return fileList(request, batch.taskDirectory(account, jobId, t), recursive, base);
    }

    @GetMapping("/jobs/{jobId}/tasks/{taskId}/files/**")
    ResponseEntity<Resource> taskFile(@RequestAttribute(ACCOUNT) BatchAccount account, @PathVariable String jobId,
                                      @PathVariable String taskId, HttpServletRequest request) {
        BatchTask t = batch.task(account, jobId, taskId);
        return file(BatchService.file(batch.taskDirectory(account, jobId, t), filePath(request)));
    }

    // ------------------------------------------------------------------ representations

    private ObjectNode pool(Pool p, String base) {
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        o.put("id", p.id);
        copy(p.spec, o, "displayName");
        o.put("url", base + "/pools/" + p.id);
        o.put("eTag", p.etag);
        o.put("lastModified", p.lastModified.toString());
        o.put("creationTime", p.created.toString());
        o.put("state", p.state);
        o.put("stateTransitionTime", p.created.toString());
        o.put("allocationState", p.allocationState);
        o.put("allocationStateTransitionTime", p.allocationStateTime.toString());
        o.put("vmSize", p.vmSize());
        o.put("resizeTimeout", p.spec.path("resizeTimeout").asString("PT15M"));
        if (p.resizeErrors != null && !p.resizeErrors.isEmpty()) {
            o.set("resizeErrors", p.resizeErrors);
        }
        List<Node> nodes = batch.nodes(p);
        o.put("currentDedicatedNodes", nodes.stream().filter(n -> n.dedicated && !n.state.equals("leavingpool")).count());
        o.put("currentLowPriorityNodes", nodes.stream().filter(n -> !n.dedicated && !n.state.equals("leavingpool")).count());
        o.put("targetDedicatedNodes", p.targetDedicated);
        o.put("targetLowPriorityNodes", p.targetLowPriority);
        o.put("enableAutoScale", false);
        o.put("enableInterNodeCommunication", p.spec.path("enableInterNodeCommunication").asBoolean(false));
        o.put("taskSlotsPerNode", p.taskSlotsPerNode());
        o.putObject("taskSchedulingPolicy").put("nodeFillType", p.packs() ? "pack" : "spread");
        for (String f : List.of("virtualMachineConfiguration", "startTask", "metadata", "networkConfiguration",
                "userAccounts", "applicationPackageReferences", "targetNodeCommunicationMode")) {
            copy(p.spec, o, f);
        }
        return o;
    }

    private ObjectNode node(Pool pool, Node n, String base) {
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        List<BatchTask> running = batch.runningOn(n);
        o.put("id", n.id);
        o.put("url", base + "/pools/" + pool.id + "/nodes/" + n.id);
        o.put("state", n.state);
        o.put("schedulingState", n.schedulingState);
        o.put("stateTransitionTime", n.stateTime.toString());
        o.put("lastBootTime", n.allocationTime.toString());
        o.put("allocationTime", n.allocationTime.toString());
        o.put("ipAddress", "10.0." + (Math.abs(n.vmId.hashCode()) % 250) + "." + (4 + Math.abs(n.id.hashCode()) % 250));
        o.put("affinityId", "TVM:" + n.id);
        o.put("vmSize", pool.vmSize());
        o.put("runningTasksCount", running.size());
        o.put("runningTaskSlotsCount", running.stream().mapToInt(BatchTask::requiredSlots).sum());
        o.put("isDedicated", n.dedicated);
        // not in Azure's node shape: where the placement engine put the node's VM
        if (n.faultDomain != null) {
            o.put("platformFaultDomain", n.faultDomain);
            o.put("platformUpdateDomain", n.updateDomain);
        }
        if (n.startTaskInfo != null) {
            o.set("startTaskInfo", n.startTaskInfo);
        }
        if (pool.spec.has("startTask")) {
            o.set("startTask", pool.spec.get("startTask"));
        }
        ArrayNode recent = o.putArray("recentTasks");
        for (BatchTask t : running) {
            recent.addObject().put("taskUrl", base + "/jobs/" + t.jobKey + "/tasks/" + t.id).put("jobId", t.jobKey)
                    .put("taskId", t.id).put("taskState", t.state);
        }
        o.putObject("nodeAgentInfo").put("version", "1.12.0").put("lastUpdateTime", n.allocationTime.toString());
        ObjectNode vm = o.putObject("virtualMachineInfo");
        JsonNode image = pool.spec.path("virtualMachineConfiguration").path("imageReference");
        if (image.isObject()) {
            vm.set("imageReference", image);
        }
        return o;
    }

    private ObjectNode job(Job j, String base) {
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        o.put("id", j.id);
        copy(j.spec, o, "displayName");
        o.put("url", base + "/jobs/" + j.id);
        o.put("eTag", j.etag);
        o.put("lastModified", j.lastModified.toString());
        o.put("creationTime", j.created.toString());
        o.put("state", j.state);
        o.put("stateTransitionTime", j.stateTime.toString());
        o.put("priority", j.spec.path("priority").asInt(0));
        o.put("maxParallelTasks", j.spec.path("maxParallelTasks").asInt(-1));
        o.put("allowTaskPreemption", j.spec.path("allowTaskPreemption").asBoolean(false));
        o.put("usesTaskDependencies", j.usesTaskDependencies());
        o.put("onAllTasksComplete", j.spec.path("onAllTasksComplete").asString("noaction"));
        o.put("onTaskFailure", j.spec.path("onTaskFailure").asString("noaction"));
        ObjectNode constraints = o.putObject("constraints");
        constraints.put("maxWallClockTime", j.spec.path("constraints").path("maxWallClockTime")
                .asString("P10675199DT2H48M5.4775807S"));
        constraints.put("maxTaskRetryCount", j.maxTaskRetryCount());
        o.set("poolInfo", j.spec.get("poolInfo"));
        for (String f : List.of("commonEnvironmentSettings", "metadata", "jobManagerTask", "jobPreparationTask",
                "jobReleaseTask")) {
            copy(j.spec, o, f);
        }
        ObjectNode exec = o.putObject("executionInfo");
        exec.put("startTime", j.created.toString());
        exec.put("poolId", j.spec.path("poolInfo").path("poolId").asString());
        if (j.endTime != null) {
            exec.put("endTime", j.endTime.toString());
        }
        if (j.terminateReason != null) {
            exec.put("terminateReason", j.terminateReason);
        }
        return o;
    }

    private ObjectNode task(Job job, BatchTask t, String base) {
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        o.put("id", t.id);
        copy(t.spec, o, "displayName");
        o.put("url", base + "/jobs/" + job.id + "/tasks/" + t.id);
        o.put("eTag", t.etag);
        o.put("creationTime", t.created.toString());
        o.put("lastModified", t.lastModified.toString());
        o.put("state", t.state);
        o.put("stateTransitionTime", t.stateTime.toString());
        o.put("commandLine", t.spec.path("commandLine").asString());
        for (String f : List.of("environmentSettings", "resourceFiles", "outputFiles", "dependsOn", "exitConditions",
                "userIdentity", "affinityInfo", "containerSettings")) {
            copy(t.spec, o, f);
        }
        o.put("requiredSlots", t.requiredSlots());
        ObjectNode constraints = o.putObject("constraints");
        constraints.put("maxWallClockTime", t.spec.path("constraints").path("maxWallClockTime")
                .asString("P10675199DT2H48M5.4775807S"));
        constraints.put("retentionTime", t.spec.path("constraints").path("retentionTime").asString("P7D"));
        constraints.put("maxTaskRetryCount", t.maxRetries(job));
        ObjectNode exec = o.putObject("executionInfo");
        if (t.startTime != null) {
            exec.put("startTime", t.startTime.toString());
        }
        if (t.endTime != null && t.state.equals("completed")) {
            exec.put("endTime", t.endTime.toString());
        }
        if (t.exitCode != null) {
            exec.put("exitCode", t.exitCode);
        }
        if (t.failureInfo != null) {
            exec.set("failureInfo", t.failureInfo);
        }
        exec.put("retryCount", t.retryCount);
        exec.put("requeueCount", t.requeueCount);
        if (t.result != null) {
            exec.put("result", t.result);
        }
        if (t.nodeId != null) {
            ObjectNode info = o.putObject("nodeInfo");
            info.put("affinityId", "TVM:" + t.nodeId);
            info.put("nodeUrl", base + "/pools/" + job.spec.path("poolInfo").path("poolId").asString() + "/nodes/" + t.nodeId);
            info.put("poolId", job.spec.path("poolInfo").path("poolId").asString());
            info.put("nodeId", t.nodeId);
            info.put("taskRootDirectory", "workitems/" + job.id + "/job-1/" + t.id);
            info.put("taskRootDirectoryUrl", base + "/pools/" + job.spec.path("poolInfo").path("poolId").asString()
                    + "/nodes/" + t.nodeId + "/files/workitems/" + job.id + "/job-1/" + t.id);
        }
        return o;
    }

    private static void copy(JsonNode from, ObjectNode to, String field) {
        JsonNode v = from.get(field);
        if (v != null && !v.isNull()) {
            to.set(field, v);
        }
    }

    // ------------------------------------------------------------------ conventions

    /**
     * A page of a list: {@code $filter} applied, {@code $select} kept, {@code maxresults} (1 to 1000) items at most,
     * then {@code odata.nextLink} with {@code $skiptoken} (the last id of the page) while more remain.
     */
    private ObjectNode page(HttpServletRequest request, String collection, List<ObjectNode> items) {
        Predicate<JsonNode> filter = ODataFilter.parse(request.getParameter("$filter"));
        int max = pageSize;
        String maxResults = request.getParameter("maxresults");
        if (maxResults != null) {
            try {
                max = Integer.parseInt(maxResults);
            } catch (NumberFormatException e) {
                max = -1;
            }
            if (max < 1 || max > 1000) {
                throw BatchError.invalidQuery("maxresults", maxResults, "An integer from 1 to 1000 is required.");
            }
        }
        String after = request.getParameter("$skiptoken");
        List<ObjectNode> matching = items.stream().filter(filter)
                .sorted(Comparator.comparing((ObjectNode o) -> o.path("id").asString().toLowerCase(Locale.ROOT)))
                .filter(o -> after == null || o.path("id").asString().toLowerCase(Locale.ROOT)
                        .compareTo(after.toLowerCase(Locale.ROOT)) > 0)
                .toList();
        String base = baseUrl(request);
        ObjectNode body = JsonNodeFactory.instance.objectNode();
        body.put("odata.metadata", base + "/$metadata#" + collection);
        ArrayNode value = body.putArray("value");
        matching.stream().limit(max).forEach(o -> value.add(select(o, request)));
        if (matching.size() > max) {
            String last = matching.get(max - 1).path("id").asString();
            StringBuilder next = new StringBuilder(base).append('/').append(collection).append("?api-version=")
                    .append(encode(request.getParameter("api-version")));
            for (String p : List.of("$filter", "$select", "$expand", "maxresults")) {
                if (request.getParameter(p) != null) {
                    next.append('&').append(p).append('=').append(encode(request.getParameter(p)));
                }
            }
            next.append("&$skiptoken=").append(encode(last));
            body.put("odata.nextLink", next.toString());
        }
        return body;
    }

    private static String encode(String s) {
        return java.net.URLEncoder.encode(s, java.nio.charset.StandardCharsets.UTF_8).replace("+", "%20");
    }

    /** {@code $select=id,state}: only those properties. */
    private static ObjectNode select(ObjectNode item, HttpServletRequest request) {
        String select = request.getParameter("$select");
        if (select == null || select.isBlank()) {
            return item;
        }
        ObjectNode selected = JsonNodeFactory.instance.objectNode();
        for (String f : select.split(",")) {
            JsonNode v = item.get(f.strip());
            if (v != null) {
                selected.set(f.strip(), v);
            }
        }
        return selected;
    }

    private ObjectNode fileList(HttpServletRequest request, Path root, boolean recursive, String base) {
        List<ObjectNode> files = new ArrayList<>();
        for (Path p : BatchService.files(root, recursive)) {
            String name = root.relativize(p).toString();
            ObjectNode f = JsonNodeFactory.instance.objectNode();
            f.put("name", name);
            f.put("url", base + name);
            boolean directory = Files.isDirectory(p);
            f.put("isDirectory", directory);
            ObjectNode props = f.putObject("properties");
            try {
                props.put("lastModified", Files.getLastModifiedTime(p).toInstant().toString());
                props.put("contentLength", directory ? 0 : Files.size(p));
            } catch (IOException e) {
                continue;
            }
            props.put("contentType", "application/octet-stream");
            f.put("id", name);
            files.add(f);
        }
        ObjectNode page = page(request, "files", files);
        page.get("value").forEach(f -> ((ObjectNode) f).remove("id"));
        return page;
    }

    /**
     * The file path of {@code /batch/{e}/jobs/{j}/tasks/{t}/files/{path}} or {@code /batch/{e}/pools/{p}/nodes/{n}/files/{path}}:
     * everything after the seventh segment, decoded (ids may be "files" too).
     */
    private static String filePath(HttpServletRequest request) {
        String[] segments = request.getRequestURI().split("/", -1);
        StringBuilder path = new StringBuilder();
        for (int i = 8; i < segments.length; i++) {
            path.append(i == 8 ? "" : "/").append(java.net.URLDecoder.decode(segments[i].replace("+", "%2B"),
                    java.nio.charset.StandardCharsets.UTF_8));
        }
        return path.toString();
    }

    private static ResponseEntity<Resource> file(Path file) {
        try {
            Instant modified = Files.getLastModifiedTime(file).toInstant();
            return ResponseEntity.ok().contentType(MediaType.APPLICATION_OCTET_STREAM)
                    .header("ocp-batch-file-isdirectory", "false")
                    .header("ocp-batch-file-url", file.getFileName().toString())
                    .header(HttpHeaders.LAST_MODIFIED, RFC_1123.format(modified))
                    .contentLength(Files.size(file))
                    .body(new FileSystemResource(file));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static ResponseEntity<Void> created(HttpServletRequest request, String path, String etag, Instant modified) {
        String url = baseUrl(request) + path;
        return ResponseEntity.status(201).header("ETag", etag).header(HttpHeaders.LAST_MODIFIED, RFC_1123.format(modified))
                .header("DataServiceId", url).header(HttpHeaders.LOCATION, url)
                .header("request-id", UUID.randomUUID().toString()).build();
    }

    private static ResponseEntity<Void> accepted() {
        return ResponseEntity.accepted().header("request-id", UUID.randomUUID().toString()).build();
    }

    private static ResponseEntity<ObjectNode> withEtag(ObjectNode body, String etag, Instant modified) {
        return ResponseEntity.ok().header("ETag", etag).header(HttpHeaders.LAST_MODIFIED, RFC_1123.format(modified))
                .header("request-id", UUID.randomUUID().toString()).body(body);
    }
}
