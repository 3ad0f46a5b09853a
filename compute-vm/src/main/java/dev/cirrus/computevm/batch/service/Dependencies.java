package dev.cirrus.computevm.batch.service;

import java.util.Map;

import tools.jackson.databind.JsonNode;

/**
 * When a task with {@code dependsOn} may run: every task it names ({@code taskIds}) and every task whose id is a
 * number in one of its {@code taskIdRanges} (inclusive) has completed successfully (exit code 0: Azure's default
 * {@code dependencyAction} for 0 is satisfy, for any other code block). A failed parent blocks its dependents for
 * good: they stay active. Example: {@code {"taskIds":["prep"],"taskIdRanges":[{"start":1,"end":3}]}} waits for
 * prep, 1, 2 and 3.
 */
final class Dependencies {

    private Dependencies() {
    }

    static boolean satisfied(JsonNode dependsOn, Map<String, BatchTask> tasksByKey) {
        for (JsonNode id : dependsOn.path("taskIds")) {
            BatchTask parent = tasksByKey.get(BatchStore.idKey(id.asString()));
            if (parent == null || !succeeded(parent)) {
                return false;
            }
        }
        for (JsonNode range : dependsOn.path("taskIdRanges")) {
            long start = range.path("start").asLong();
            long end = range.path("end").asLong();
            for (BatchTask t : tasksByKey.values()) {
                Long n = number(t.id);
                if (n != null && n >= start && n <= end && !succeeded(t)) {
                    return false;
                }
            }
        }
        return true;
    }

    private static boolean succeeded(BatchTask t) {
        return t.state.equals("completed") && "success".equals(t.result);
    }

    static Long number(String id) {
        if (id.isEmpty() || id.length() > 18 || !id.chars().allMatch(Character::isDigit)) {
            return null;
        }
        return Long.parseLong(id);
    }
}
