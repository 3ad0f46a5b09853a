package dev.cirrus.serverless.runtime;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;

import dev.cirrus.serverless.execution.ExecutionRecord;
import dev.cirrus.serverless.execution.ExecutionRecorder;
import dev.cirrus.serverless.function.FunctionConfig;
import dev.cirrus.serverless.function.FunctionDefinition;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;

/**
 * Runs one execution of a function, whatever its trigger: borrows an instance (warm, or cold-started), invokes,
 * sends the Kafka output bindings of a success, gives the instance back, and records the execution.
 */
@Component
public class FunctionHost {

    /**
     * The outcome and the facts recorded about it; {@code stoppedAtHttpCap}: an HTTP execution that ran into
     * {@code cirrus.functions.http-response-cap} (230 s, Azure's front end) before its own functionTimeout.
     */
    public record Execution(UUID invocationId, InvocationOutcome outcome, boolean cold, boolean stoppedAtHttpCap) {
    }

    private final InstancePool pool;
    private final ExecutionRecorder recorder;
    private final KafkaOutput kafka;
    private final FunctionsProperties properties;
    private final Clock clock;

    private final dev.cirrus.serverless.functionapp.HostingPlans plans;

    FunctionHost(InstancePool pool, ExecutionRecorder recorder, KafkaOutput kafka, FunctionsProperties properties, Clock clock,
                 dev.cirrus.serverless.functionapp.HostingPlans plans) {
        this.plans = plans;
        this.pool = pool;
        this.recorder = recorder;
        this.kafka = kafka;
        this.properties = properties;
        this.clock = clock;
    }

    /** Checks a successful outcome's output (e.g. an HTTP response); returns why it is unusable, or null. */
    @FunctionalInterface
    public interface OutputCheck {
        String problem(InvocationOutcome outcome);
    }

    public Execution execute(AppDefinition definition, FunctionDefinition function, Invocation invocation) {
        return execute(definition, function, invocation, outcome -> null);
    }

    /** The app's functionTimeout on its plan (host.json's, or the plan's default). */
    public Duration timeoutOf(dev.cirrus.serverless.functionapp.FunctionApp app) {
        return app.functionTimeout(plans.consumption(app));
    }

    /**
     * Runs the execution and records it, whatever happens once an instance was lent: a thrown error, a limit, an
     * output too large, even the heap running out while the output is copied ({@link OutOfMemoryError}: the
     * instance is discarded and the execution is MemoryExceeded) are recorded, published and billed as Azure bills
     * a failed execution. Only a call that never got an instance (429, an unsupported runtime) is not an execution.
     */
    public Execution execute(AppDefinition definition, FunctionDefinition function, Invocation invocation,
                             OutputCheck check) {
        Duration timeout = timeoutOf(definition.app());
        boolean capped = false;
        if (function.config().isHttp() && timeout.compareTo(properties.httpResponseCap()) > 0) {
            timeout = properties.httpResponseCap();
            capped = true;
        }
        ExecutionLimits limits = new ExecutionLimits(timeout, properties.maxMemoryMb() * 1024L * 1024L,
                properties.maxOutputBytes());
        Instant start = clock.instant();
        InstancePool.Lease lease = pool.acquire(definition);
        long startNanos = System.nanoTime();
        long threadId = Thread.currentThread().threadId();
        long allocatedBefore = SandboxWatchdog.allocatedBytes(threadId);
        InvocationOutcome outcome;
        try {
            try {
                outcome = lease.instance().invoke(function.name(), invocation, limits);
            } finally {
                pool.release(lease, definition.version());
            }
            if (outcome.status() == InvocationOutcome.Status.SUCCEEDED) {
                String problem = check.problem(outcome);
                if (problem != null) {
                    outcome = InvocationOutcome.failed(InvocationOutcome.Status.FAILED, problem, outcome.logs(),
                            outcome.allocatedBytes(), outcome.duration());
                }
            }
            if (outcome.status() == InvocationOutcome.Status.SUCCEEDED) {
                outcome = sendOutputs(function.config(), outcome, invocation.invocationId());
            }
        } catch (OutOfMemoryError e) {
            lease.instance().close();
            outcome = InvocationOutcome.failed(InvocationOutcome.Status.MEMORY_EXCEEDED, "The execution exhausted the "
                    + "host's memory (" + e.getMessage() + "): it was stopped and its instance discarded", List.of(),
                    SandboxWatchdog.allocatedBytes(threadId) - allocatedBefore,
                    Duration.ofNanos(System.nanoTime() - startNanos));
        } catch (RuntimeException e) {
            lease.instance().close();
            outcome = InvocationOutcome.failed(InvocationOutcome.Status.FAILED, "The host failed running the function: "
                    + e, List.of(), SandboxWatchdog.allocatedBytes(threadId) - allocatedBefore,
                    Duration.ofNanos(System.nanoTime() - startNanos));
        }
        UUID id = UUID.fromString(invocation.invocationId());
        int memoryMb = (int) Math.max(1, (outcome.allocatedBytes() + (1 << 20) - 1) >> 20);
        recorder.record(new ExecutionRecord(id, definition.app().key(), function.name(), function.config().triggerKind(),
                start, outcome.duration().toMillis(), memoryMb, statusName(outcome.status()), lease.cold(),
                outcome.error(), outcome.logs()), definition.app());
        return new Execution(id, outcome, lease.cold(),
                capped && outcome.status() == InvocationOutcome.Status.TIMED_OUT);
    }

    private InvocationOutcome sendOutputs(FunctionConfig config, InvocationOutcome outcome, String invocationId) {
        for (FunctionConfig.Binding binding : config.bindings()) {
            if (!binding.type().equalsIgnoreCase("kafka")) {
                continue;
            }
            JsonNode value = binding.name().equals("$return") ? outcome.returnValue()
                    : outcome.bindings() == null ? null : outcome.bindings().get(binding.name());
            if (value == null || value.isNull()) {
                continue;
            }
            List<JsonNode> messages = new ArrayList<>();
            if (value.isArray()) {
                value.forEach(messages::add);
            } else {
                messages.add(value);
            }
            try {
                for (JsonNode message : messages) {
                    kafka.send(binding.text("topic", null), null, message.isString() ? message.asString() : message.toString());
                }
            } catch (IllegalStateException e) {
                return InvocationOutcome.failed(InvocationOutcome.Status.FAILED, "Kafka output binding '"
                        + binding.name() + "' failed: " + e.getMessage(), outcome.logs(), outcome.allocatedBytes(),
                        outcome.duration());
            }
        }
        return outcome;
    }

    static String statusName(InvocationOutcome.Status status) {
        return switch (status) {
            case SUCCEEDED -> "Succeeded";
            case FAILED -> "Failed";
            case TIMED_OUT -> "TimedOut";
            case MEMORY_EXCEEDED -> "MemoryExceeded";
        };
    }

    static String lower(String s) {
        return s.toLowerCase(Locale.ROOT);
    }
}
