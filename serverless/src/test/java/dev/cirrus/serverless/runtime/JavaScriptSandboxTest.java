package dev.cirrus.serverless.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

class JavaScriptSandboxTest {

    static final JsonMapper JSON = JsonMapper.builder().build();
    static JavaScriptRuntime runtime;
    static final ExecutionLimits LIMITS = new ExecutionLimits(Duration.ofMillis(500), 64L * 1024 * 1024);

    @BeforeAll
    static void start() {
        runtime = new JavaScriptRuntime(JSON, Duration.ofMillis(5));
    }

    @AfterAll
    static void stop() {
        runtime.close();
    }

    static FunctionInstance instance(String body) {
        return runtime.start(new AppCode(Map.of("f", new AppCode.FunctionCode("f",
                Map.of("index.js", "module.exports = async function (context, req) {" + body + "};"), "index.js", null))));
    }

    static InvocationOutcome call(FunctionInstance instance) {
        ObjectNode bindings = JSON.createObjectNode();
        bindings.putObject("req").put("method", "GET").put("body", "hi");
        return instance.invoke("f", new Invocation("inv-1", "req", bindings, JSON.createObjectNode()), LIMITS);
    }

    @Test
    void anAsyncFunctionsReturnValueContextResAndLogsComeBack() {
        try (FunctionInstance instance = instance(
                "context.log('hello', {a: 1}); context.res = {status: 201, body: req.body}; return 42;")) {
            InvocationOutcome outcome = call(instance);
            assertThat(outcome.status()).isEqualTo(InvocationOutcome.Status.SUCCEEDED);
            assertThat(outcome.returnValue().asInt()).isEqualTo(42);
            assertThat(outcome.res().path("status").asInt()).isEqualTo(201);
            assertThat(outcome.res().path("body").asString()).isEqualTo("hi");
            assertThat(outcome.logs()).containsExactly("hello {\"a\":1}");
        }
    }

    @Test
    void moduleStateSurvivesBetweenCallsOnAWarmInstanceButNotAcrossInstances() {
        String code = "globalThis.n = (globalThis.n || 0) + 1; return globalThis.n;";
        try (FunctionInstance first = instance(code); FunctionInstance second = instance(code)) {
            assertThat(call(first).returnValue().asInt()).isEqualTo(1);
            assertThat(call(first).returnValue().asInt()).isEqualTo(2);
            assertThat(call(second).returnValue().asInt()).isEqualTo(1);
        }
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "Java classes      | return Java.type('java.lang.System').exit(1);",
            "Polyglot eval     | return Polyglot.eval('python', '1');",
            "host files        | return require('fs').readFileSync('/etc/passwd', 'utf8');",
            "child processes   | return require('child_process').execSync('id');",
            "environment       | return process.env.HOME;",
            "load a host file  | return load('/etc/passwd');",
            "a thrown error    | throw new Error('boom');",
            "garbage returned  | const a = {}; a.self = a; return a;",
            "a BigInt returned | return 10n;",
            "never settles     | return new Promise(() => {});",
    })
    void escapesAndBadCodeEndAsAFailedExecutionWithAClearErrorAndTheNextCallStillWorks(String attempt, String body) {
        try (FunctionInstance instance = runtime.start(new AppCode(Map.of(
                "f", new AppCode.FunctionCode("f", Map.of("index.js",
                        "module.exports = async function (context, req) { if (req.body === 'ok') return 'fine'; " + body + " };"),
                        "index.js", null))))) {
            InvocationOutcome outcome = call(instance);
            assertThat(outcome.status()).as(attempt).isEqualTo(InvocationOutcome.Status.FAILED);
            assertThat(outcome.error()).as(attempt).isNotBlank().doesNotContain("/root").doesNotContain("root:x:0");
            ObjectNode ok = JSON.createObjectNode();
            ok.putObject("req").put("body", "ok");
            InvocationOutcome next = instance.invoke("f", new Invocation("inv-2", "req", ok, JSON.createObjectNode()), LIMITS);
            assertThat(next.status()).as(attempt).isEqualTo(InvocationOutcome.Status.SUCCEEDED);
            assertThat(next.returnValue().asString()).isEqualTo("fine");
        }
    }

    @Test
    void aFunctionThatNeverReturnsIsStoppedAtItsTimeoutAndItsInstanceIsRetired() {
        try (FunctionInstance instance = instance("while (true) {}")) {
            InvocationOutcome outcome = call(instance);
            assertThat(outcome.status()).isEqualTo(InvocationOutcome.Status.TIMED_OUT);
            assertThat(outcome.duration()).isBetween(Duration.ofMillis(450), Duration.ofSeconds(5));
            assertThat(outcome.error()).contains("Timeout");
            assertThat(instance.usable()).isFalse();
        }
        try (FunctionInstance fresh = instance("return 'alive';")) {
            assertThat(call(fresh).returnValue().asString()).isEqualTo("alive");
        }
    }

    @Test
    void aFunctionThatAllocatesTooMuchIsStoppedBeforeItHarmsTheHost() {
        try (FunctionInstance instance = instance("const keep = []; while (true) { keep.push(new Array(100000).fill(1.5)); }")) {
            ObjectNode bindings = JSON.createObjectNode();
            bindings.putObject("req");
            InvocationOutcome outcome = instance.invoke("f", new Invocation("inv-1", "req", bindings, JSON.createObjectNode()),
                    new ExecutionLimits(Duration.ofSeconds(20), 64L * 1024 * 1024));
            assertThat(outcome.status()).isEqualTo(InvocationOutcome.Status.MEMORY_EXCEEDED);
            assertThat(outcome.error()).contains("allocated more than 64 MB");
            assertThat(instance.usable()).isFalse();
        }
    }

    static InstanceFiles files(String index, String other) {
        return new InstanceFiles(index, other);
    }

    record InstanceFiles(String index, String lib) {
        FunctionInstance start() {
            return runtime.start(new AppCode(Map.of("f", new AppCode.FunctionCode("f",
                    Map.of("index.js", index, "lib.js", lib), "index.js", null))));
        }
    }

    @Test
    void aSyntaxErrorInARequiredModuleIsAFailedExecutionNamingItAndTheInstanceStillStarts() {
        try (FunctionInstance instance = files("module.exports = async function (context, req) {"
                + " if (req.body === 'ok') return 'fine'; return require('./lib').x; };", "module.exports = { x: ; };").start()) {
            InvocationOutcome outcome = call(instance);
            assertThat(outcome.status()).isEqualTo(InvocationOutcome.Status.FAILED);
            assertThat(outcome.error()).contains("SyntaxError");
        }
    }

    @Test
    void codeThatBreaksOutOfItsModuleWrapperRunsOnlyInsideAnInvocationAndItsLimits() {
        // the module text closes the CommonJS wrapper and loops: it must not run while the instance starts (no
        // limits are watched then), only when required by an invocation, where the timeout stops it
        try (FunctionInstance instance = files("module.exports = async function (context, req) { return require('./lib'); };",
                "}); while (true) {} (function () {").start()) {
            InvocationOutcome outcome = call(instance);
            assertThat(outcome.status()).isEqualTo(InvocationOutcome.Status.TIMED_OUT);
        }
    }

    @Test
    void aModuleRequiredInTwoInstancesRunsSeparatelyInEachThoughItsParsedCodeIsShared() {
        InstanceFiles app = files("const lib = require('./lib'); module.exports = async function () { return lib.next(); };",
                "let n = 0; module.exports = { next: () => ++n };");
        try (FunctionInstance first = app.start(); FunctionInstance second = app.start()) {
            assertThat(call(first).returnValue().asInt()).isEqualTo(1);
            assertThat(call(first).returnValue().asInt()).isEqualTo(2);
            assertThat(call(second).returnValue().asInt()).isEqualTo(1);
        }
    }
}
