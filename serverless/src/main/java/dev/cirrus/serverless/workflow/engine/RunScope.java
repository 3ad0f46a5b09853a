package dev.cirrus.serverless.workflow.engine;

import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import dev.cirrus.serverless.workflow.Workflow;
import dev.cirrus.serverless.workflow.Workflows;
import dev.cirrus.serverless.workflow.expression.Scope;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * What an action's expressions see, read from the run's rows: the trigger record, each action's result in the
 * nearest repetition (the action's own loop iteration first, then the enclosing ones, then the top level), the run's
 * variables, the workflow's parameters, and the current items of the loops around the action.
 */
final class RunScope implements Scope {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private final Clock clock;
    private final Workflow workflow;
    private final JsonNode definition;
    private final RunRepository.Run run;
    private final DefinitionIndex index;
    private final Map<String, Map<String, RunRepository.ActionRow>> rows = new HashMap<>();
    private final List<String> loops;
    private final String repetition;
    private final JsonNode variables;

    RunScope(Clock clock, Workflow workflow, JsonNode definition, RunRepository.Run run, DefinitionIndex index,
             List<RunRepository.ActionRow> all, List<String> loops, String repetition, JsonNode variables) {
        this.clock = clock;
        this.workflow = workflow;
        this.definition = definition;
        this.run = run;
        this.index = index;
        this.loops = loops;
        this.repetition = repetition;
        this.variables = variables;
        for (RunRepository.ActionRow r : all) {
            rows.computeIfAbsent(r.name(), k -> new HashMap<>()).put(r.repetition(), r);
        }
    }

    /** The row of an action as seen from this repetition: the same iteration, else the enclosing ones, else top. */
    RunRepository.ActionRow row(String name) {
        Map<String, RunRepository.ActionRow> byRep = rows.get(name);
        if (byRep == null) {
            return null;
        }
        String rep = repetition;
        while (true) {
            RunRepository.ActionRow r = byRep.get(rep);
            if (r != null) {
                return r;
            }
            if (rep.isEmpty()) {
                return null;
            }
            int dash = rep.lastIndexOf('-');
            rep = dash < 0 ? "" : rep.substring(0, dash);
        }
    }

    /** An action's result record, as {@code actions('name')} gives it. */
    static JsonNode record(RunRepository.ActionRow r) {
        ObjectNode o = NODES.objectNode();
        o.put("name", r.name());
        if (r.inputs() != null) {
            o.set("inputs", r.inputs());
        }
        if (r.outputs() != null) {
            o.set("outputs", r.outputs());
        }
        if (r.startTime() != null) {
            o.put("startTime", r.startTime().toString());
        }
        if (r.endTime() != null) {
            o.put("endTime", r.endTime().toString());
        }
        o.put("status", r.status());
        if (r.error() != null) {
            o.set("error", r.error());
            o.put("code", r.error().path("code").asString(""));
        } else if (r.outputs() != null && r.outputs().has("statusCode")) {
            o.put("code", r.outputs().path("statusCode").asString());
        } else {
            o.put("code", r.status().equals("Succeeded") ? "OK" : r.status());
        }
        return o;
    }

    @Override
    public Clock clock() {
        return clock;
    }

    @Override
    public JsonNode trigger() {
        return run.trigger();
    }

    @Override
    public JsonNode action(String name) {
        RunRepository.ActionRow r = row(name);
        if (r == null) {
            return null;
        }
        return record(r);
    }

    @Override
    public JsonNode variable(String name) {
        return variables.get(name);
    }

    @Override
    public JsonNode parameter(String name) {
        JsonNode given = workflow.parameters().path(name);
        if (given.has("value")) {
            return given.get("value");
        }
        JsonNode declared = definition.path("parameters").path(name);
        return declared.has("defaultValue") ? declared.get("defaultValue") : null;
    }

    @Override
    public JsonNode item(String loop) {
        int depth = loops.indexOf(loop);
        if (depth < 0 || !index.action(loop).type().equals("foreach")) {
            return null;
        }
        return itemAt(depth);
    }

    @Override
    public JsonNode currentItem() {
        for (int depth = loops.size() - 1; depth >= 0; depth--) {
            if (index.action(loops.get(depth)).type().equals("foreach")) {
                return itemAt(depth);
            }
        }
        return null;
    }

    private JsonNode itemAt(int depth) {
        String[] segments = repetition.split("-");
        if (depth >= segments.length) {
            return null;
        }
        String loopRep = String.join("-", java.util.Arrays.copyOfRange(segments, 0, depth));
        RunRepository.ActionRow loopRow = rows.getOrDefault(loops.get(depth), Map.of()).get(loopRep);
        if (loopRow == null || loopRow.state() == null) {
            return null;
        }
        return loopRow.state().path("items").path(Integer.parseInt(segments[depth]));
    }

    @Override
    public JsonNode iterationIndex(String loop) {
        int depth = loops.indexOf(loop);
        if (depth < 0 || !index.action(loop).type().equals("until")) {
            return null;
        }
        String[] segments = repetition.split("-");
        return depth < segments.length ? NODES.numberNode(Integer.parseInt(segments[depth])) : null;
    }

    @Override
    public JsonNode result(String scope) {
        DefinitionIndex.Action container = index.action(scope);
        if (container == null) {
            return null;
        }
        Map<String, DefinitionIndex.Branch> branches = index.branchesOf(scope);
        if (branches.isEmpty()) {
            return null;
        }
        ArrayNode out = NODES.arrayNode();
        for (DefinitionIndex.Branch b : branches.values()) {
            for (String child : b.actions().propertyNames()) {
                RunRepository.ActionRow r = row(child);
                if (r != null) {
                    out.add(record(r));
                }
            }
        }
        return out;
    }

    @Override
    public JsonNode workflow() {
        ObjectNode w = NODES.objectNode();
        w.put("id", workflow.resourceId());
        w.put("name", workflow.name());
        w.put("type", Workflows.TYPE);
        w.put("location", workflow.location());
        ObjectNode r = w.putObject("run");
        r.put("id", workflow.resourceId() + "/runs/" + run.name());
        r.put("name", run.name());
        r.put("type", Workflows.TYPE + "/runs");
        w.putObject("tags").setAll(tags());
        return w;
    }

    private ObjectNode tags() {
        ObjectNode t = NODES.objectNode();
        workflow.tags().forEach(t::put);
        return t;
    }
}
