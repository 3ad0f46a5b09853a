package dev.cirrus.serverless.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * The heap guard of the sandbox's watchdog: when a collection leaves more of the heap in use than the guard allows,
 * the running execution that allocated most is stopped as MemoryExceeded, whatever its own limits. The guard is
 * set to 0 here, so the first collection during the execution trips it (the service uses 85 % of the heap).
 */
class HeapGuardTest {

    static final JsonMapper JSON = JsonMapper.builder().build();

    @Test
    void anExecutionThatKeepsAllocatingIsStoppedWhenACollectionLeavesTheHeapOverTheGuard() {
        try (JavaScriptRuntime runtime = new JavaScriptRuntime(JSON, Duration.ofMillis(5), 0.0);
             FunctionInstance instance = runtime.start(new AppCode(Map.of("f", new AppCode.FunctionCode("f",
                     Map.of("index.js", "module.exports = async function () { let kept = [];"
                             + " while (true) { kept.push(new Array(1000).fill(1)); if (kept.length > 2000) kept = []; } };"),
                     "index.js", null))))) {
            ObjectNode bindings = JSON.createObjectNode();
            InvocationOutcome outcome = instance.invoke("f", new Invocation("inv-1", null, bindings, JSON.createObjectNode()),
                    new ExecutionLimits(Duration.ofSeconds(60), Long.MAX_VALUE));
            assertThat(outcome.status()).isEqualTo(InvocationOutcome.Status.MEMORY_EXCEEDED);
            assertThat(outcome.error()).contains("memory is nearly exhausted").contains("allocated the most");
            assertThat(outcome.duration()).isLessThan(Duration.ofSeconds(60));
            assertThat(instance.usable()).isFalse();
        }
    }
}
