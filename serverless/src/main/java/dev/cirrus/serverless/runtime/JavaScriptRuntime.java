package dev.cirrus.serverless.runtime;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.graalvm.polyglot.Context;
import org.graalvm.polyglot.Engine;
import org.graalvm.polyglot.EnvironmentAccess;
import org.graalvm.polyglot.HostAccess;
import org.graalvm.polyglot.PolyglotAccess;
import org.graalvm.polyglot.PolyglotException;
import org.graalvm.polyglot.Source;
import org.graalvm.polyglot.Value;
import org.graalvm.polyglot.io.IOAccess;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * JavaScript functions in GraalJS sandboxes. One {@link Engine} is shared (its parsed sources and warm interpreter
 * make a cold start cost a context, a few milliseconds); each instance is its own {@link Context} with no host
 * access at all: no Java classes or objects, no files, no environment, no processes, no threads, no native code,
 * no other polyglot language. Values cross the boundary only as JSON strings. Limits are enforced from outside
 * by {@link SandboxWatchdog}, which cancels the context.
 */
public final class JavaScriptRuntime implements LanguageRuntime, AutoCloseable {

    private final Engine engine;
    private final Source hostShim;
    private final ObjectMapper json;
    private final SandboxWatchdog watchdog;
    private static final int MAX_CACHED_SOURCES = 1024;
    private final Map<ModuleKey, Source> sources = new java.util.LinkedHashMap<>(64, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<ModuleKey, Source> eldest) {
            return size() > MAX_CACHED_SOURCES;
        }
    };

    public JavaScriptRuntime(ObjectMapper json, Duration watchdogPeriod) {
        this(json, watchdogPeriod, SandboxWatchdog.DEFAULT_HEAP_GUARD);
    }

    /** @param heapGuardFraction the share of the heap that may survive a collection while invocations run */
    JavaScriptRuntime(ObjectMapper json, Duration watchdogPeriod, double heapGuardFraction) {
        this.json = json;
        this.engine = Engine.newBuilder("js")
                .option("engine.WarnInterpreterOnly", "false")
                .build();
        this.hostShim = Source.newBuilder("js", readShim(), "host.js").cached(true).buildLiteral();
        this.watchdog = new SandboxWatchdog(Math.max(1, watchdogPeriod.toMillis()), heapGuardFraction);
        warmUp();
    }

    @Override
    public String workerRuntime() {
        return "node";
    }

    @Override
    public FunctionInstance start(AppCode code) {
        Context context = Context.newBuilder("js")
                .engine(engine)
                .allowHostAccess(HostAccess.NONE)
                .allowIO(IOAccess.NONE)
                .allowCreateProcess(false)
                .allowCreateThread(false)
                .allowNativeAccess(false)
                .allowEnvironmentAccess(EnvironmentAccess.NONE)
                .allowPolyglotAccess(PolyglotAccess.NONE)
                .option("js.print", "false")
                .option("js.load", "false")
                .option("js.console", "false")
                .build();
        try {
            context.eval(hostShim);
            Value define = context.getBindings("js").getMember("__cirrusDefine");
            Value parsed = context.getBindings("js").getMember("__cirrusParsed");
            for (AppCode.FunctionCode function : code.functions().values()) {
                define.execute(function.name(), json.writeValueAsString(function.files()), function.scriptFile(),
                        function.entryPoint());
                for (Map.Entry<String, String> file : function.files().entrySet()) {
                    if (!file.getKey().endsWith(".js")) {
                        continue;
                    }
                    try {
                        // parsed, not run: the module's code runs at require, inside an invocation and its limits
                        parsed.execute(function.name(), file.getKey(),
                                context.parse(moduleSource(function.name() + "/" + file.getKey(), file.getValue())));
                    } catch (PolyglotException e) {
                        if (!e.isSyntaxError()) {
                            throw e;
                        }
                        // left to the shim's eval at require time, which reports the error as the execution's
                    }
                }
            }
            return new JsInstance(context);
        } catch (RuntimeException e) {
            context.close(true);
            throw e;
        }
    }

    /**
     * The module wrapper of one file as a cached {@link Source}: the shared engine keeps what it parsed, so the next
     * instance of the app (a cold start) does not parse the same code again. The last {@value #MAX_CACHED_SOURCES}
     * used modules are kept.
     */
    private Source moduleSource(String name, String text) {
        ModuleKey key = new ModuleKey(name, text);
        synchronized (sources) {
            Source source = sources.get(key);
            if (source == null) {
                source = Source.newBuilder("js", "(function (exports, require, module, __filename, __dirname) {" + text
                        + "\n})", name).cached(true).buildLiteral();
                sources.put(key, source);
            }
            return source;
        }
    }

    private record ModuleKey(String name, String text) {
    }

    @Override
    public void close() {
        watchdog.close();
        engine.close(true);
    }

    /** The first context of an engine takes a second or more; pay it at start-up, not on a user's first call. */
    private void warmUp() {
        ObjectNode bindings = json.createObjectNode();
        bindings.putObject("req").put("method", "GET");
        AppCode code = new AppCode(Map.of("warmup", new AppCode.FunctionCode("warmup",
                Map.of("index.js", "module.exports = async function (context, req) { context.log('warm'); "
                        + "return { status: 200, body: JSON.stringify({ ok: [1, 2, 3].map(x => x * 2) }) }; };"),
                "index.js", null)));
        for (int i = 0; i < 3; i++) {
            try (FunctionInstance instance = start(code)) {
                instance.invoke("warmup", new Invocation("warmup", "req", bindings, json.createObjectNode()),
                        new ExecutionLimits(Duration.ofSeconds(30), Long.MAX_VALUE));
            }
        }
    }

    private static String readShim() {
        try (InputStream in = JavaScriptRuntime.class.getResourceAsStream("/runtime/host.js")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private final class JsInstance implements FunctionInstance {
        private final Context context;
        private final Value invoke;
        private final Value outcome;
        private volatile boolean usable = true;

        JsInstance(Context context) {
            this.context = context;
            Value bindings = context.getBindings("js");
            this.invoke = bindings.getMember("__cirrusInvoke");
            this.outcome = bindings.getMember("__cirrusOutcome");
        }

        @Override
        public InvocationOutcome invoke(String functionName, Invocation invocation, ExecutionLimits limits) {
            long started = System.nanoTime();
            long threadId = Thread.currentThread().threadId();
            long allocatedBefore = SandboxWatchdog.allocatedBytes(threadId);
            SandboxWatchdog.Watched watched = watchdog.watch(limits, () -> context.close(true));
            String result;
            try {
                Value state = invoke.execute(functionName, json.writeValueAsString(invocation));
                result = outcome.execute(state, (double) limits.maxOutputChars()).asString();
            } catch (PolyglotException e) {
                usable = false;
                return limitOutcome(watched, e, limits, started, allocatedBefore, threadId);
            } catch (IllegalStateException e) {
                // the watchdog closed the context between two calls into it
                usable = false;
                return limitOutcome(watched, null, limits, started, allocatedBefore, threadId);
            } finally {
                watchdog.unwatch(watched);
            }
            Duration duration = Duration.ofNanos(System.nanoTime() - started);
            long allocated = SandboxWatchdog.allocatedBytes(threadId) - allocatedBefore;
            if (watched.verdict != null) {
                usable = false;
                return limitOutcome(watched, null, limits, started, allocatedBefore, threadId);
            }
            JsonNode parsed = json.readTree(result);
            List<String> logs = new ArrayList<>();
            parsed.path("logs").forEach(line -> logs.add(line.asString()));
            return switch (parsed.path("status").asString()) {
                case "ok" -> new InvocationOutcome(InvocationOutcome.Status.SUCCEEDED, parsed.get("returnValue"),
                        parsed.get("res"), parsed.get("bindings"), null, logs, allocated, duration);
                case "pending" -> InvocationOutcome.failed(InvocationOutcome.Status.FAILED,
                        "The function's promise never settled: it awaits something that can never complete",
                        logs, allocated, duration);
                default -> InvocationOutcome.failed(InvocationOutcome.Status.FAILED,
                        parsed.path("error").asString(), logs, allocated, duration);
            };
        }

        private InvocationOutcome limitOutcome(SandboxWatchdog.Watched watched, PolyglotException e,
                                               ExecutionLimits limits, long started, long allocatedBefore,
                                               long threadId) {
            Duration duration = Duration.ofNanos(System.nanoTime() - started);
            long allocated = SandboxWatchdog.allocatedBytes(threadId) - allocatedBefore;
            context.close(true);
            InvocationOutcome.Status verdict = watched.verdict;
            if (verdict == InvocationOutcome.Status.TIMED_OUT) {
                return InvocationOutcome.failed(verdict, "Timeout value of " + limits.timeout()
                        + " exceeded by function: the execution was stopped", List.of(), allocated, duration);
            }
            if (verdict == InvocationOutcome.Status.MEMORY_EXCEEDED && watched.reason != null) {
                return InvocationOutcome.failed(verdict, watched.reason, List.of(), allocated, duration);
            }
            if (verdict == InvocationOutcome.Status.MEMORY_EXCEEDED) {
                return InvocationOutcome.failed(verdict, "The function allocated more than "
                        + limits.maxAllocatedBytes() / (1024 * 1024) + " MB: the execution was stopped",
                        List.of(), allocated, duration);
            }
            if (e != null && e.isResourceExhausted()) {
                return InvocationOutcome.failed(InvocationOutcome.Status.MEMORY_EXCEEDED,
                        "The function exhausted a resource (" + e.getMessage() + "): the execution was stopped",
                        List.of(), allocated, duration);
            }
            return InvocationOutcome.failed(InvocationOutcome.Status.FAILED,
                    "The function's sandbox failed: " + (e == null ? "closed" : e.getMessage()), List.of(),
                    allocated, duration);
        }

        @Override
        public boolean usable() {
            return usable;
        }

        @Override
        public void close() {
            usable = false;
            try {
                context.close(true);
            } catch (RuntimeException ignored) {
                // already closed by the watchdog
            }
        }
    }
}
