package dev.cirrus.serverless.workflow.engine;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.cirrus.plumbing.arm.ArmException;
import dev.cirrus.serverless.workflow.Workflow;
import dev.cirrus.serverless.workflow.WorkflowRepository;
import dev.cirrus.serverless.workflow.Workflows;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;

/**
 * Runs, their actions and repetitions, and trigger histories in Azure's shapes ({@code @azure/arm-logic}'s
 * WorkflowRun, WorkflowRunAction, WorkflowRunActionRepositoryDefinition, WorkflowTriggerHistory). Inputs and outputs
 * are given inline ({@code inputs}, {@code outputs}) rather than as links to content blobs.
 */
@Component
public class RunViews {

    private final RunRepository runs;
    private final WorkflowRepository workflows;
    private final Engine engine;

    RunViews(RunRepository runs, WorkflowRepository workflows, Engine engine) {
        this.runs = runs;
        this.workflows = workflows;
        this.engine = engine;
    }

    public RunRepository.Run requireRun(Workflow w, String run) {
        return runs.findRun(w.key(), run).orElseThrow(() -> Engine.runNotFound(w, run));
    }

    public void cancel(Workflow w, String run) {
        engine.cancel(w, run);
    }

    public Map<String, Object> run(Workflow w, RunRepository.Run r) {
        Map<String, Object> props = new LinkedHashMap<>();
        props.put("startTime", r.startTime().toString());
        if (r.endTime() != null) {
            props.put("endTime", r.endTime().toString());
        }
        props.put("status", r.status());
        if (r.error() != null) {
            props.put("code", r.error().path("code").asString());
            props.put("error", r.error());
        }
        props.put("correlation", Map.of("clientTrackingId", r.name()));
        props.put("workflow", Map.of("id", w.resourceId() + "/versions/" + r.version(), "name", r.version(),
                "type", Workflows.TYPE + "/versions"));
        props.put("trigger", r.trigger());
        props.put("outputs", r.outputs() == null ? Map.of() : r.outputs());
        if (r.response() != null) {
            props.put("response", Map.of("name", "Response", "status", "Succeeded"));
        }
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("id", w.resourceId() + "/runs/" + r.name());
        view.put("name", r.name());
        view.put("type", Workflows.TYPE + "/runs");
        view.put("properties", props);
        return view;
    }

    /** One entry per action that ran: its top-level row, or for an action in a loop its latest repetition. */
    public List<Object> actions(Workflow w, RunRepository.Run r) {
        Map<String, RunRepository.ActionRow> latest = new LinkedHashMap<>();
        for (RunRepository.ActionRow row : runs.actions(w.key(), r.name())) {
            RunRepository.ActionRow seen = latest.get(row.name());
            if (seen == null || row.repetition().isEmpty() || !seen.repetition().isEmpty()
                    && row.repetition().compareTo(seen.repetition()) > 0) {
                latest.put(row.name(), row);
            }
        }
        List<Object> out = new ArrayList<>();
        latest.values().forEach(row -> out.add(action(w, r, row, repetitionCount(w, r, row.name()))));
        return out;
    }

    public Map<String, Object> action(Workflow w, RunRepository.Run r, String name) {
        return actions(w, r).stream().map(o -> castMap(o)).filter(m -> m.get("name").equals(name)).findFirst()
                .orElseThrow(() -> ArmException.notFound("WorkflowRunActionNotFound", "The workflow '" + w.name()
                        + "' run '" + r.name() + "' action '" + name + "' could not be found."));
    }

    public List<Object> repetitions(Workflow w, RunRepository.Run r, String name) {
        List<Object> out = new ArrayList<>();
        DefinitionIndex index = index(w, r);
        DefinitionIndex.Action action = index.action(name);
        for (RunRepository.ActionRow row : runs.actions(w.key(), r.name())) {
            if (row.name().equals(name) && !row.repetition().isEmpty()) {
                out.add(repetitionView(w, r, row, action));
            }
        }
        if (out.isEmpty() && (action == null || action.loops().isEmpty())) {
            throw ArmException.notFound("WorkflowRunActionRepetitionNotFound", "The workflow '" + w.name()
                    + "' run '" + r.name() + "' action '" + name + "' has no repetitions: it is not in a loop.");
        }
        return out;
    }

    public Map<String, Object> repetition(Workflow w, RunRepository.Run r, String name, String repetition) {
        return repetitions(w, r, name).stream().map(RunViews::castMap).filter(m -> m.get("name").equals(repetition))
                .findFirst().orElseThrow(() -> ArmException.notFound("WorkflowRunActionRepetitionNotFound",
                        "The workflow '" + w.name() + "' run '" + r.name() + "' action '" + name + "' repetition '"
                                + repetition + "' could not be found."));
    }

    public Map<String, Object> history(Workflow w, RunRepository.History h) {
        Map<String, Object> props = new LinkedHashMap<>();
        props.put("startTime", h.startTime().toString());
        props.put("endTime", h.endTime().toString());
        props.put("scheduledTime", h.startTime().toString());
        props.put("status", h.status());
        props.put("code", h.error() == null ? "OK" : h.error().path("code").asString());
        if (h.error() != null) {
            props.put("error", h.error());
        }
        props.put("fired", h.fired());
        if (h.runName() != null) {
            props.put("run", Map.of("id", w.resourceId() + "/runs/" + h.runName(), "name", h.runName(),
                    "type", Workflows.TYPE + "/runs"));
        }
        if (h.inputs() != null) {
            props.put("inputs", h.inputs());
        }
        if (h.outputs() != null) {
            props.put("outputs", h.outputs());
        }
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("id", w.resourceId() + "/triggers/" + h.trigger() + "/histories/" + h.name());
        view.put("name", h.name());
        view.put("type", Workflows.TYPE + "/triggers/histories");
        view.put("properties", props);
        return view;
    }

    private int repetitionCount(Workflow w, RunRepository.Run r, String name) {
        return (int) runs.actions(w.key(), r.name()).stream()
                .filter(row -> row.name().equals(name) && !row.repetition().isEmpty()).count();
    }

    private Map<String, Object> action(Workflow w, RunRepository.Run r, RunRepository.ActionRow row, int repetitions) {
        Map<String, Object> props = properties(row);
        if (repetitions > 0) {
            props.put("repetitionCount", repetitions);
        }
        if (row.state() != null && row.state().has("items")) {
            props.put("iterationCount", row.state().path("items").size());
        }
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("id", w.resourceId() + "/runs/" + r.name() + "/actions/" + row.name());
        view.put("name", row.name());
        view.put("type", Workflows.TYPE + "/runs/actions");
        view.put("properties", props);
        return view;
    }

    private Map<String, Object> repetitionView(Workflow w, RunRepository.Run r, RunRepository.ActionRow row,
                                               DefinitionIndex.Action action) {
        Map<String, Object> props = properties(row);
        List<Map<String, Object>> indexes = new ArrayList<>();
        String[] segments = row.repetition().split("-");
        List<String> loops = action == null ? List.of() : action.loops();
        for (int i = 0; i < segments.length; i++) {
            indexes.add(Map.of("scopeName", i < loops.size() ? loops.get(i) : "", "itemIndex",
                    Integer.parseInt(segments[i])));
        }
        props.put("repetitionIndexes", indexes);
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("id", w.resourceId() + "/runs/" + r.name() + "/actions/" + row.name() + "/repetitions/"
                + row.repetition());
        view.put("name", row.repetition());
        view.put("type", Workflows.TYPE + "/runs/actions/repetitions");
        view.put("properties", props);
        return view;
    }

    private static Map<String, Object> properties(RunRepository.ActionRow row) {
        Map<String, Object> props = new LinkedHashMap<>();
        if (row.startTime() != null) {
            props.put("startTime", row.startTime().toString());
        }
        if (row.endTime() != null) {
            props.put("endTime", row.endTime().toString());
        }
        String status = switch (row.status()) {
            case "Ready" -> row.attempts() > 0 ? "Running" : "Waiting";
            case "Waiting" -> "Running";
            default -> row.status();
        };
        props.put("status", status);
        JsonNode record = RunScope.record(row);
        props.put("code", record.path("code").asString());
        if (row.error() != null) {
            props.put("error", row.error());
        }
        if (row.inputs() != null) {
            props.put("inputs", row.inputs());
        }
        if (row.outputs() != null) {
            props.put("outputs", row.outputs());
        }
        props.put("trackingId", row.run() + "/" + row.name() + (row.repetition().isEmpty() ? "" : "/" + row.repetition()));
        props.put("correlation", Map.of("actionTrackingId", row.run() + "/" + row.name()));
        props.put("retryHistory", List.of());
        return props;
    }

    private DefinitionIndex index(Workflow w, RunRepository.Run r) {
        JsonNode definition = workflows.version(w.key(), r.version()).map(WorkflowRepository.Version::definition)
                .orElse(w.definition());
        return new DefinitionIndex(definition);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> castMap(Object o) {
        return (Map<String, Object>) o;
    }
}
