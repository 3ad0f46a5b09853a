package dev.cirrus.serverless.workflow;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.cirrus.contracts.arm.PageRequest;
import dev.cirrus.contracts.arm.Preconditions;
import dev.cirrus.plumbing.arm.ArmException;
import dev.cirrus.plumbing.arm.ArmPaging;
import dev.cirrus.serverless.workflow.engine.RunRepository;
import dev.cirrus.serverless.workflow.engine.RunViews;
import dev.cirrus.serverless.workflow.engine.Triggers;
import org.springframework.http.HttpHeaders;
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
 * {@code Microsoft.Logic/workflows} in Azure's shapes: the workflow, its versions, triggers (callback URLs, run,
 * histories, resubmit) and runs (list, get, cancel, actions, repetitions). Thin: {@link Workflows},
 * {@link Triggers} and the engine decide. A PUT answers 201 when it created the workflow, 200 otherwise.
 */
@RestController
class WorkflowController {

    static final String WORKFLOWS = "/subscriptions/{sub}/resourceGroups/{rg}/providers/Microsoft.Logic/workflows";
    static final String WORKFLOW = WORKFLOWS + "/{name}";
    private static final Pattern STATUS_FILTER = Pattern.compile("\\s*status\\s+eq\\s+'([A-Za-z]+)'\\s*");
    private static final List<String> RUN_STATUSES = List.of("Running", "Succeeded", "Failed", "Cancelled",
            "TimedOut", "Waiting", "Aborted", "Skipped", "Suspended", "Faulted", "Paused", "Ignored", "NotSpecified");

    private final Workflows workflows;
    private final Triggers triggers;
    private final RunRepository runs;
    private final RunViews views;
    private final Schedules schedules;
    private final LogicProperties properties;

    WorkflowController(Workflows workflows, Triggers triggers, RunRepository runs, RunViews views, Schedules schedules,
                       LogicProperties properties) {
        this.workflows = workflows;
        this.triggers = triggers;
        this.runs = runs;
        this.views = views;
        this.schedules = schedules;
        this.properties = properties;
    }

    // ------------------------------------------------------------------ the workflow

    @PutMapping(WORKFLOW)
    ResponseEntity<Map<String, Object>> put(@PathVariable String sub, @PathVariable String rg, @PathVariable String name,
                                            @RequestParam("api-version") String apiVersion,
                                            @RequestBody(required = false) JsonNode body,
                                            @RequestHeader(name = HttpHeaders.IF_MATCH, required = false) String ifMatch,
                                            @RequestHeader(name = HttpHeaders.IF_NONE_MATCH, required = false) String ifNoneMatch) {
        Workflows.Saved saved = workflows.createOrUpdate(sub, rg, name, body, new Preconditions(ifMatch, ifNoneMatch));
        return ResponseEntity.status(saved.created() ? 201 : 200).eTag(saved.workflow().etag()).body(view(saved.workflow()));
    }

    @PatchMapping(WORKFLOW)
    ResponseEntity<Map<String, Object>> patch(@PathVariable String sub, @PathVariable String rg, @PathVariable String name,
                                              @RequestParam("api-version") String apiVersion,
                                              @RequestBody(required = false) JsonNode body,
                                              @RequestHeader(name = HttpHeaders.IF_MATCH, required = false) String ifMatch) {
        Workflow w = workflows.patch(sub, rg, name, body, new Preconditions(ifMatch, null));
        return ResponseEntity.ok().eTag(w.etag()).body(view(w));
    }

    @GetMapping(WORKFLOW)
    ResponseEntity<Map<String, Object>> get(@PathVariable String sub, @PathVariable String rg, @PathVariable String name,
                                            @RequestParam("api-version") String apiVersion) {
        Workflow w = workflows.get(sub, rg, name);
        return ResponseEntity.ok().eTag(w.etag()).body(view(w));
    }

    @DeleteMapping(WORKFLOW)
    ResponseEntity<Void> delete(@PathVariable String sub, @PathVariable String rg, @PathVariable String name,
                                @RequestParam("api-version") String apiVersion,
                                @RequestHeader(name = HttpHeaders.IF_MATCH, required = false) String ifMatch) {
        return ResponseEntity.status(workflows.delete(sub, rg, name, new Preconditions(ifMatch, null)) ? 200 : 204).build();
    }

    @GetMapping({WORKFLOWS, "/subscriptions/{sub}/providers/Microsoft.Logic/workflows"})
    Map<String, Object> list(@PathVariable String sub, @PathVariable(required = false) String rg,
                             @RequestParam("api-version") String apiVersion) {
        PageRequest request = ArmPaging.request(properties.listPageSize());
        Workflows.Page page = workflows.list(sub, rg, request.after(), request.size());
        return page(page.workflows().stream().map(this::view).toList(), page.lastKey());
    }

    @PostMapping(WORKFLOW + "/disable")
    ResponseEntity<Void> disable(@PathVariable String sub, @PathVariable String rg, @PathVariable String name,
                                 @RequestParam("api-version") String apiVersion) {
        workflows.setState(sub, rg, name, false);
        return ResponseEntity.ok().build();
    }

    @PostMapping(WORKFLOW + "/enable")
    ResponseEntity<Void> enable(@PathVariable String sub, @PathVariable String rg, @PathVariable String name,
                                @RequestParam("api-version") String apiVersion) {
        workflows.setState(sub, rg, name, true);
        return ResponseEntity.ok().build();
    }

    // ------------------------------------------------------------------ versions

    @GetMapping(WORKFLOW + "/versions")
    Map<String, Object> versions(@PathVariable String sub, @PathVariable String rg, @PathVariable String name,
                                 @RequestParam("api-version") String apiVersion) {
        Workflow w = workflows.get(sub, rg, name);
        PageRequest request = ArmPaging.request(properties.listPageSize());
        List<WorkflowRepository.Version> rows = workflows.versions(w, request.after(), request.size() + 1);
        boolean more = rows.size() > request.size();
        List<WorkflowRepository.Version> shown = more ? rows.subList(0, request.size()) : rows;
        return page(shown.stream().map(v -> versionView(w, v)).toList(), more ? shown.getLast().name() : null);
    }

    @GetMapping(WORKFLOW + "/versions/{version}")
    Map<String, Object> version(@PathVariable String sub, @PathVariable String rg, @PathVariable String name,
                                @PathVariable String version, @RequestParam("api-version") String apiVersion) {
        Workflow w = workflows.get(sub, rg, name);
        return versionView(w, workflows.version(sub, rg, name, version));
    }

    // ------------------------------------------------------------------ triggers

    @GetMapping(WORKFLOW + "/triggers")
    Map<String, Object> triggers(@PathVariable String sub, @PathVariable String rg, @PathVariable String name,
                                 @RequestParam("api-version") String apiVersion) {
        Workflow w = workflows.get(sub, rg, name);
        return page(w.triggerNames().stream().map(t -> triggerView(w, t)).toList(), null);
    }

    @GetMapping(WORKFLOW + "/triggers/{trigger}")
    Map<String, Object> trigger(@PathVariable String sub, @PathVariable String rg, @PathVariable String name,
                                @PathVariable String trigger, @RequestParam("api-version") String apiVersion) {
        Workflow w = workflows.get(sub, rg, name);
        return triggerView(w, Workflows.requireTrigger(w, trigger));
    }

    @PostMapping(WORKFLOW + "/triggers/{trigger}/run")
    ResponseEntity<Void> runTrigger(@PathVariable String sub, @PathVariable String rg, @PathVariable String name,
                                    @PathVariable String trigger, @RequestParam("api-version") String apiVersion,
                                    @RequestBody(required = false) JsonNode body) {
        Workflow w = workflows.get(sub, rg, name);
        RunRepository.Run run = triggers.run(w, trigger, body);
        return ResponseEntity.accepted().header("x-ms-workflow-run-id", run.name()).build();
    }

    @PostMapping(WORKFLOW + "/triggers/{trigger}/listCallbackUrl")
    Map<String, Object> listCallbackUrl(@PathVariable String sub, @PathVariable String rg, @PathVariable String name,
                                        @PathVariable String trigger, @RequestParam("api-version") String apiVersion) {
        Workflow w = workflows.get(sub, rg, name);
        String t = Workflows.requireTrigger(w, trigger);
        if (!w.trigger(t).path("type").asString("").equalsIgnoreCase("Request")) {
            throw ArmException.badRequest("WorkflowTriggerCallbackNotSupported", "The workflow trigger '" + t
                    + "' is of type '" + w.trigger(t).path("type").asString() + "': only Request triggers have a "
                    + "callback URL.", null);
        }
        String sp = CallbackSigner.permission(t);
        String sig = CallbackSigner.sign(w.accessKey(), w.accessId(), sp, CallbackSigner.VERSION);
        String basePath = properties.base() + "/workflows/" + w.accessId() + "/triggers/" + t + "/paths/invoke";
        Map<String, Object> queries = new LinkedHashMap<>();
        queries.put("api-version", CallbackSigner.API_VERSION);
        queries.put("sp", sp);
        queries.put("sv", CallbackSigner.VERSION);
        queries.put("sig", sig);
        StringBuilder url = new StringBuilder(basePath);
        char sep = '?';
        for (Map.Entry<String, Object> q : queries.entrySet()) {
            url.append(sep).append(q.getKey()).append('=')
                    .append(URLEncoder.encode((String) q.getValue(), StandardCharsets.UTF_8));
            sep = '&';
        }
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("value", url.toString());
        view.put("method", w.trigger(t).path("inputs").path("method").asString("POST"));
        view.put("basePath", basePath);
        view.put("queries", queries);
        return view;
    }

    @GetMapping(WORKFLOW + "/triggers/{trigger}/histories")
    Map<String, Object> histories(@PathVariable String sub, @PathVariable String rg, @PathVariable String name,
                                  @PathVariable String trigger, @RequestParam("api-version") String apiVersion) {
        Workflow w = workflows.get(sub, rg, name);
        String t = Workflows.requireTrigger(w, trigger);
        PageRequest request = ArmPaging.request(properties.listPageSize());
        List<RunRepository.History> rows = runs.histories(w.key(), t, request.after(), request.size() + 1);
        boolean more = rows.size() > request.size();
        List<RunRepository.History> shown = more ? rows.subList(0, request.size()) : rows;
        return page(shown.stream().map(h -> views.history(w, h)).toList(), more ? shown.getLast().name() : null);
    }

    @GetMapping(WORKFLOW + "/triggers/{trigger}/histories/{history}")
    Map<String, Object> history(@PathVariable String sub, @PathVariable String rg, @PathVariable String name,
                                @PathVariable String trigger, @PathVariable String history,
                                @RequestParam("api-version") String apiVersion) {
        Workflow w = workflows.get(sub, rg, name);
        String t = Workflows.requireTrigger(w, trigger);
        return views.history(w, runs.history(w.key(), t, history).orElseThrow(() -> ArmException.notFound(
                "WorkflowTriggerHistoryNotFound", "The workflow '" + name + "' trigger '" + t + "' history '"
                        + history + "' could not be found.")));
    }

    @PostMapping(WORKFLOW + "/triggers/{trigger}/histories/{history}/resubmit")
    ResponseEntity<Void> resubmit(@PathVariable String sub, @PathVariable String rg, @PathVariable String name,
                                  @PathVariable String trigger, @PathVariable String history,
                                  @RequestParam("api-version") String apiVersion) {
        Workflow w = workflows.get(sub, rg, name);
        RunRepository.Run run = triggers.resubmit(w, trigger, history);
        return ResponseEntity.accepted().header("x-ms-workflow-run-id", run.name()).build();
    }

    // ------------------------------------------------------------------ runs

    @GetMapping(WORKFLOW + "/runs")
    Map<String, Object> runs(@PathVariable String sub, @PathVariable String rg, @PathVariable String name,
                             @RequestParam("api-version") String apiVersion,
                             @RequestParam(name = "$filter", required = false) String filter) {
        Workflow w = workflows.get(sub, rg, name);
        String status = null;
        if (filter != null) {
            Matcher m = STATUS_FILTER.matcher(filter);
            if (!m.matches()) {
                throw ArmException.badRequest("InvalidFilter", "The filter '" + filter + "' is not supported: use "
                        + "\"status eq '<status>'\".", "$filter");
            }
            status = RUN_STATUSES.stream().filter(m.group(1)::equalsIgnoreCase).findFirst().orElseThrow(() ->
                    ArmException.badRequest("InvalidFilter", "The run status '" + m.group(1) + "' is not valid: use "
                            + String.join(", ", RUN_STATUSES) + ".", "$filter"));
        }
        PageRequest request = ArmPaging.request(properties.listPageSize());
        List<RunRepository.Run> rows = runs.listRuns(w.key(), status, request.after(), request.size() + 1);
        boolean more = rows.size() > request.size();
        List<RunRepository.Run> shown = more ? rows.subList(0, request.size()) : rows;
        return page(shown.stream().map(r -> views.run(w, r)).toList(), more ? shown.getLast().name() : null);
    }

    @GetMapping(WORKFLOW + "/runs/{run}")
    Map<String, Object> run(@PathVariable String sub, @PathVariable String rg, @PathVariable String name,
                            @PathVariable String run, @RequestParam("api-version") String apiVersion) {
        Workflow w = workflows.get(sub, rg, name);
        return views.run(w, views.requireRun(w, run));
    }

    @PostMapping(WORKFLOW + "/runs/{run}/cancel")
    ResponseEntity<Void> cancel(@PathVariable String sub, @PathVariable String rg, @PathVariable String name,
                                @PathVariable String run, @RequestParam("api-version") String apiVersion) {
        Workflow w = workflows.get(sub, rg, name);
        views.cancel(w, run);
        return ResponseEntity.ok().build();
    }

    @GetMapping(WORKFLOW + "/runs/{run}/actions")
    Map<String, Object> actions(@PathVariable String sub, @PathVariable String rg, @PathVariable String name,
                                @PathVariable String run, @RequestParam("api-version") String apiVersion) {
        Workflow w = workflows.get(sub, rg, name);
        return page(views.actions(w, views.requireRun(w, run)), null);
    }

    @GetMapping(WORKFLOW + "/runs/{run}/actions/{action}")
    Map<String, Object> action(@PathVariable String sub, @PathVariable String rg, @PathVariable String name,
                               @PathVariable String run, @PathVariable String action,
                               @RequestParam("api-version") String apiVersion) {
        Workflow w = workflows.get(sub, rg, name);
        return views.action(w, views.requireRun(w, run), action);
    }

    @GetMapping(WORKFLOW + "/runs/{run}/actions/{action}/repetitions")
    Map<String, Object> repetitions(@PathVariable String sub, @PathVariable String rg, @PathVariable String name,
                                    @PathVariable String run, @PathVariable String action,
                                    @RequestParam("api-version") String apiVersion) {
        Workflow w = workflows.get(sub, rg, name);
        return page(views.repetitions(w, views.requireRun(w, run), action), null);
    }

    @GetMapping(WORKFLOW + "/runs/{run}/actions/{action}/repetitions/{repetition}")
    Map<String, Object> repetition(@PathVariable String sub, @PathVariable String rg, @PathVariable String name,
                                   @PathVariable String run, @PathVariable String action,
                                   @PathVariable String repetition, @RequestParam("api-version") String apiVersion) {
        Workflow w = workflows.get(sub, rg, name);
        return views.repetition(w, views.requireRun(w, run), action, repetition);
    }

    // ------------------------------------------------------------------ views

    private static Map<String, Object> page(List<? extends Object> values, String lastKey) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("value", values);
        if (lastKey != null) {
            body.put("nextLink", ArmPaging.nextLink(lastKey));
        }
        return body;
    }

    Map<String, Object> view(Workflow w) {
        Map<String, Object> props = new LinkedHashMap<>();
        props.put("provisioningState", "Succeeded");
        props.put("createdTime", w.createdAt().toString());
        props.put("changedTime", w.changedAt().toString());
        props.put("state", w.state());
        props.put("version", w.version());
        props.put("accessEndpoint", properties.base() + "/workflows/" + w.accessId());
        props.put("endpointsConfiguration", Map.of(
                "workflow", Map.of("outgoingIpAddresses", List.of(), "accessEndpointIpAddresses", List.of()),
                "connector", Map.of("outgoingIpAddresses", List.of())));
        props.put("definition", w.definition());
        props.put("parameters", w.parameters());
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("id", w.resourceId());
        view.put("name", w.name());
        view.put("type", Workflows.TYPE);
        view.put("location", w.location());
        view.put("tags", w.tags());
        view.put("properties", props);
        return view;
    }

    private static Map<String, Object> versionView(Workflow w, WorkflowRepository.Version v) {
        Map<String, Object> props = new LinkedHashMap<>();
        props.put("createdTime", v.createdAt().toString());
        props.put("changedTime", v.changedAt().toString());
        props.put("state", v.state());
        props.put("version", v.name());
        props.put("definition", v.definition());
        props.put("parameters", v.parameters());
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("id", w.resourceId() + "/versions/" + v.name());
        view.put("name", v.name());
        view.put("type", Workflows.TYPE + "/versions");
        view.put("properties", props);
        return view;
    }

    private Map<String, Object> triggerView(Workflow w, String t) {
        JsonNode def = w.trigger(t);
        Map<String, Object> props = new LinkedHashMap<>();
        props.put("provisioningState", "Succeeded");
        props.put("createdTime", w.createdAt().toString());
        props.put("changedTime", w.changedAt().toString());
        props.put("state", w.state());
        runs.lastHistory(w.key(), t).ifPresent(h -> {
            props.put("status", h.status());
            props.put("lastExecutionTime", h.startTime().toString());
        });
        schedules.nextDue(w.key(), t).ifPresent(due -> props.put("nextExecutionTime", due.toString()));
        if (def.has("recurrence")) {
            props.put("recurrence", def.get("recurrence"));
        }
        props.put("workflow", Map.of("id", w.resourceId() + "/versions/" + w.version(), "name", w.version(),
                "type", Workflows.TYPE + "/versions"));
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("id", w.resourceId() + "/triggers/" + t);
        view.put("name", t);
        view.put("type", Workflows.TYPE + "/triggers");
        view.put("properties", props);
        return view;
    }
}
