package dev.cirrus.computevm.batch.service;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

import dev.cirrus.computevm.size.SizeCatalogue;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Reads and checks the bodies of the Batch service API (pure functions of the body): every refusal is Batch's
 * {@code MissingRequiredProperty} / {@code InvalidPropertyValue} / {@code InvalidRequestBody} naming the property, so a
 * refused call changes nothing.
 */
final class BatchRequests {

    /** Batch's ids: letters, digits, hyphens and underscores, 1 to 64 characters. */
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9_-]{1,64}");
    static final Set<String> DEALLOCATION_OPTIONS = Set.of("requeue", "terminate", "taskcompletion", "retaineddata");

    private BatchRequests() {
    }

    static ObjectNode object(String body, ObjectMapper json) {
        if (body == null || body.isBlank()) {
            throw BatchError.invalidBody("The request body is empty.");
        }
        JsonNode node;
        try {
            node = json.readTree(body);
        } catch (JacksonException e) {
            throw BatchError.invalidBody("The request body is not valid JSON: " + e.getOriginalMessage());
        }
        if (!(node instanceof ObjectNode o)) {
            throw BatchError.invalidBody("The request body must be a JSON object.");
        }
        return o;
    }

    static String id(JsonNode body, String property) {
        JsonNode id = body.get(property);
        if (id == null || id.isNull()) {
            throw BatchError.missingProperty(property);
        }
        if (!id.isString() || !ID.matcher(id.asString()).matches()) {
            throw BatchError.invalidPropertyValue(property, id.isString() ? id.asString() : id,
                    "An id can contain letters, digits, hyphens and underscores and cannot be longer than 64 characters.");
        }
        return id.asString();
    }

    static String requiredString(JsonNode body, String property, String path) {
        JsonNode v = body.get(property);
        if (v == null || v.isNull()) {
            throw BatchError.missingProperty(path);
        }
        if (!v.isString() || v.asString().isBlank()) {
            throw BatchError.invalidPropertyValue(path, v, "A non-empty string is required.");
        }
        return v.asString();
    }

    static Integer integer(JsonNode body, String property, String path, int min, int max) {
        JsonNode v = body.get(property);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isIntegralNumber() || v.asLong() < min || v.asLong() > max) {
            throw BatchError.invalidPropertyValue(path, v, "An integer from " + min + " to " + max + " is required.");
        }
        return v.asInt();
    }

    static Boolean bool(JsonNode body, String property, String path) {
        JsonNode v = body.get(property);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isBoolean()) {
            throw BatchError.invalidPropertyValue(path, v, "true or false is required.");
        }
        return v.asBoolean();
    }

    static String oneOf(JsonNode body, String property, String path, Set<String> allowed) {
        JsonNode v = body.get(property);
        if (v == null || v.isNull()) {
            return null;
        }
        String lower = v.isString() ? v.asString().toLowerCase(Locale.ROOT) : null;
        if (lower == null || !allowed.contains(lower)) {
            throw BatchError.invalidPropertyValue(path, v, "One of " + allowed.stream().sorted().toList() + " is required.");
        }
        return lower;
    }

    static Duration duration(JsonNode body, String property, String path) {
        JsonNode v = body.get(property);
        if (v == null || v.isNull()) {
            return null;
        }
        try {
            Duration d = Duration.parse(v.asString());
            if (!v.isString() || d.isNegative() || d.isZero()) {
                throw BatchError.invalidPropertyValue(path, v, "A positive ISO 8601 duration is required.");
            }
            return d;
        } catch (DateTimeParseException e) {
            throw BatchError.invalidPropertyValue(path, v, "An ISO 8601 duration (e.g. PT10M) is required.");
        }
    }

    static void environment(JsonNode parent, String path) {
        JsonNode list = parent.get("environmentSettings");
        if (list == null || list.isNull()) {
            return;
        }
        if (!list.isArray()) {
            throw BatchError.invalidPropertyValue(path, list, "An array of {name, value} is required.");
        }
        for (JsonNode s : list) {
            if (!s.isObject()) {
                throw BatchError.invalidPropertyValue(path, s, "An array of {name, value} is required.");
            }
            requiredString(s, "name", path + ".name");
        }
    }

    /** {@code constraints} of a task or job: maxWallClockTime, retentionTime, maxTaskRetryCount (-1 = unlimited). */
    static void constraints(JsonNode parent, String path) {
        JsonNode c = parent.get("constraints");
        if (c == null || c.isNull()) {
            return;
        }
        if (!c.isObject()) {
            throw BatchError.invalidPropertyValue(path, c, "An object is required.");
        }
        duration(c, "maxWallClockTime", path + ".maxWallClockTime");
        duration(c, "retentionTime", path + ".retentionTime");
        integer(c, "maxTaskRetryCount", path + ".maxTaskRetryCount", -1, Integer.MAX_VALUE);
    }

    /** A pool to add: returns the checked body. */
    static ObjectNode pool(ObjectNode body, SizeCatalogue sizes) {
        id(body, "id");
        String vmSize = requiredString(body, "vmSize", "vmSize");
        var size = sizes.all().stream().filter(s -> s.name().equalsIgnoreCase(vmSize)).findFirst()
                .orElseThrow(() -> BatchError.invalidPropertyValue("vmSize", vmSize,
                        "The VM size is not one of the sizes the service offers."));
        body.put("vmSize", size.name());
        Boolean autoScale = bool(body, "enableAutoScale", "enableAutoScale");
        if (Boolean.TRUE.equals(autoScale) || body.has("autoScaleFormula")) {
            throw BatchError.invalidPropertyValue("enableAutoScale", true,
                    "Autoscale formulas are not served by Cirrus yet: give the pool a fixed size.");
        }
        Integer dedicated = integer(body, "targetDedicatedNodes", "targetDedicatedNodes", 0, 1000);
        Integer low = integer(body, "targetLowPriorityNodes", "targetLowPriorityNodes", 0, 1000);
        if (dedicated == null && low == null) {
            throw BatchError.missingProperty("targetDedicatedNodes");
        }
        // Azure's limit: 256 slots, and at most 4 per core
        integer(body, "taskSlotsPerNode", "taskSlotsPerNode", 1, Math.min(256, 4 * size.numberOfCores()));
        JsonNode policy = body.get("taskSchedulingPolicy");
        if (policy != null && !policy.isNull()) {
            if (!policy.isObject() || !policy.has("nodeFillType")) {
                throw BatchError.missingProperty("taskSchedulingPolicy.nodeFillType");
            }
            oneOf(policy, "nodeFillType", "taskSchedulingPolicy.nodeFillType", Set.of("spread", "pack"));
        }
        duration(body, "resizeTimeout", "resizeTimeout");
        JsonNode start = body.get("startTask");
        if (start != null && !start.isNull()) {
            if (!start.isObject()) {
                throw BatchError.invalidPropertyValue("startTask", start, "An object is required.");
            }
            requiredString(start, "commandLine", "startTask.commandLine");
            environment(start, "startTask.environmentSettings");
            integer(start, "maxTaskRetryCount", "startTask.maxTaskRetryCount", -1, Integer.MAX_VALUE);
            bool(start, "waitForSuccess", "startTask.waitForSuccess");
        }
        return body;
    }

    /** A job to add. */
    static ObjectNode job(ObjectNode body) {
        id(body, "id");
        JsonNode poolInfo = body.get("poolInfo");
        if (poolInfo == null || poolInfo.isNull()) {
            throw BatchError.missingProperty("poolInfo");
        }
        if (!poolInfo.isObject()) {
            throw BatchError.invalidPropertyValue("poolInfo", poolInfo, "An object is required.");
        }
        if (poolInfo.has("autoPoolSpecification")) {
            throw BatchError.invalidPropertyValue("poolInfo.autoPoolSpecification", "{...}",
                    "Auto pools are not served by Cirrus yet: name an existing pool with poolId.");
        }
        id(poolInfo, "poolId");
        integer(body, "priority", "priority", -1000, 1000);
        integer(body, "maxParallelTasks", "maxParallelTasks", -1, Integer.MAX_VALUE);
        constraints(body, "constraints");
        oneOf(body, "onAllTasksComplete", "onAllTasksComplete", Set.of("noaction", "terminatejob"));
        oneOf(body, "onTaskFailure", "onTaskFailure", Set.of("noaction", "performexitoptionsjobaction"));
        bool(body, "usesTaskDependencies", "usesTaskDependencies");
        environment(body, "commonEnvironmentSettings");
        JsonNode common = body.get("commonEnvironmentSettings");
        if (common != null && common.isArray()) {
            for (JsonNode s : common) {
                requiredString(s, "name", "commonEnvironmentSettings.name");
            }
        }
        return body;
    }

    /** A task to add to {@code job}; dependencies are checked against the call's other tasks by the caller. */
    static ObjectNode task(ObjectNode body, boolean usesTaskDependencies) {
        id(body, "id");
        requiredString(body, "commandLine", "commandLine");
        environment(body, "environmentSettings");
        constraints(body, "constraints");
        integer(body, "requiredSlots", "requiredSlots", 1, 256);
        JsonNode deps = body.get("dependsOn");
        if (deps != null && !deps.isNull()) {
            if (!usesTaskDependencies) {
                throw new BatchError(409, "TaskDependenciesNotSpecifiedOnJob", "The Task has dependencies but the "
                        + "job does not use task dependencies (usesTaskDependencies).");
            }
            if (!deps.isObject()) {
                throw BatchError.invalidPropertyValue("dependsOn", deps, "An object is required.");
            }
            JsonNode ids = deps.get("taskIds");
            if (ids != null && !ids.isNull()) {
                if (!ids.isArray()) {
                    throw BatchError.invalidPropertyValue("dependsOn.taskIds", ids, "An array of task ids is required.");
                }
                for (JsonNode id : ids) {
                    if (!id.isString() || !ID.matcher(id.asString()).matches()) {
                        throw BatchError.invalidPropertyValue("dependsOn.taskIds", id, "Not a task id.");
                    }
                    if (id.asString().equalsIgnoreCase(body.get("id").asString())) {
                        throw BatchError.invalidPropertyValue("dependsOn.taskIds", id, "A task cannot depend on itself.");
                    }
                }
            }
            JsonNode ranges = deps.get("taskIdRanges");
            if (ranges != null && !ranges.isNull()) {
                if (!ranges.isArray()) {
                    throw BatchError.invalidPropertyValue("dependsOn.taskIdRanges", ranges, "An array is required.");
                }
                for (JsonNode r : ranges) {
                    Integer start = integer(r, "start", "dependsOn.taskIdRanges.start", 0, Integer.MAX_VALUE);
                    Integer end = integer(r, "end", "dependsOn.taskIdRanges.end", 0, Integer.MAX_VALUE);
                    if (start == null || end == null || start > end) {
                        throw BatchError.invalidPropertyValue("dependsOn.taskIdRanges", r,
                                "A range needs start and end with start <= end.");
                    }
                }
            }
        }
        return body;
    }

    /**
     * Checks the dependencies of tasks added together: each named parent exists already ({@code existing} keys) or is
     * in the same call, and the call adds no cycle. Returns the refusal per task id key (tasks without one are fine).
     */
    static Map<String, BatchError> dependencyProblems(List<ObjectNode> tasks, Set<String> existing) {
        Map<String, BatchError> problems = new HashMap<>();
        Map<String, List<String>> edges = new HashMap<>();
        Set<String> inCall = new HashSet<>();
        tasks.forEach(t -> inCall.add(BatchStore.idKey(t.get("id").asString())));
        for (ObjectNode t : tasks) {
            String key = BatchStore.idKey(t.get("id").asString());
            List<String> parents = new java.util.ArrayList<>();
            for (JsonNode id : t.path("dependsOn").path("taskIds")) {
                String parent = BatchStore.idKey(id.asString());
                if (!existing.contains(parent) && !inCall.contains(parent)) {
                    problems.put(key, BatchError.invalidPropertyValue("dependsOn.taskIds", id.asString(),
                            "The task depends on a task that does not exist in the job."));
                }
                parents.add(parent);
            }
            edges.put(key, parents);
        }
        // a cycle can only run through tasks of this call: the existing ones were checked when they were added
        for (String start : edges.keySet()) {
            if (reaches(start, start, edges, new HashSet<>())) {
                problems.put(start, BatchError.invalidPropertyValue("dependsOn.taskIds", start,
                        "The task's dependencies form a cycle."));
            }
        }
        return problems;
    }

    private static boolean reaches(String from, String target, Map<String, List<String>> edges, Set<String> seen) {
        for (String next : edges.getOrDefault(from, List.of())) {
            if (next.equals(target)) {
                return true;
            }
            if (seen.add(next) && reaches(next, target, edges, seen)) {
                return true;
            }
        }
        return false;
    }
}
