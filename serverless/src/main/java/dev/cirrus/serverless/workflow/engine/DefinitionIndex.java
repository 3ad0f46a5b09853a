package dev.cirrus.serverless.workflow.engine;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import tools.jackson.databind.JsonNode;

/**
 * A validated definition's actions by name: each one's node, type, the branch it is in (the action list that holds
 * it, with its container and branch key) and the loops (Foreach, Until) around it, outermost first: a repetition
 * string has one six-digit segment per loop, in that order.
 */
final class DefinitionIndex {

    /** One action list: the top level (container null), a Scope's, Foreach's or Until's, or an If/Switch branch. */
    record Branch(String container, String key, JsonNode actions) {
    }

    /** An action: its node and type, the branch it is in, and the loops around it. */
    record Action(String name, String type, JsonNode node, Branch branch, List<String> loops) {

        List<String> successors() {
            List<String> out = new ArrayList<>();
            for (String other : branch.actions().propertyNames()) {
                if (branch.actions().path(other).path("runAfter").has(name)) {
                    out.add(other);
                }
            }
            return out;
        }

        boolean isLoop() {
            return type.equals("foreach") || type.equals("until");
        }
    }

    private final Map<String, Action> actions = new HashMap<>();
    private final Map<String, Map<String, Branch>> branches = new HashMap<>();
    private final Branch top;

    DefinitionIndex(JsonNode definition) {
        top = new Branch(null, "", definition.path("actions"));
        add(top, List.of());
    }

    private void add(Branch branch, List<String> loops) {
        for (String name : branch.actions().propertyNames()) {
            JsonNode node = branch.actions().get(name);
            String type = node.path("type").asString("").toLowerCase(Locale.ROOT);
            Action action = new Action(name, type, node, branch, loops);
            actions.put(name, action);
            List<String> inner = loops;
            if (action.isLoop()) {
                inner = new ArrayList<>(loops);
                inner.add(name);
            }
            Map<String, Branch> own = new LinkedHashMap<>();
            switch (type) {
                case "if" -> {
                    own.put("actions", new Branch(name, "actions", node.path("actions")));
                    own.put("else", new Branch(name, "else", node.path("else").path("actions")));
                }
                case "switch" -> {
                    for (String c : node.path("cases").propertyNames()) {
                        own.put("case:" + c, new Branch(name, "case:" + c, node.path("cases").path(c).path("actions")));
                    }
                    own.put("default", new Branch(name, "default", node.path("default").path("actions")));
                }
                case "foreach", "until", "scope" -> own.put("actions", new Branch(name, "actions", node.path("actions")));
                default -> {
                }
            }
            branches.put(name, own);
            for (Branch b : own.values()) {
                add(b, inner);
            }
        }
    }

    Branch top() {
        return top;
    }

    Action action(String name) {
        return actions.get(name);
    }

    Map<String, Branch> branchesOf(String container) {
        return branches.getOrDefault(container, Map.of());
    }

    /** The actions of a branch that run first: those without {@code runAfter} (or with an empty one). */
    static List<String> roots(Branch branch) {
        List<String> out = new ArrayList<>();
        for (String name : branch.actions().propertyNames()) {
            JsonNode runAfter = branch.actions().path(name).path("runAfter");
            if (!runAfter.isObject() || runAfter.isEmpty()) {
                out.add(name);
            }
        }
        return out;
    }

    /** Whether the definition has a Response action anywhere (a Request trigger's caller then waits for it). */
    boolean hasResponse() {
        return actions.values().stream().anyMatch(a -> a.type().equals("response"));
    }
}
