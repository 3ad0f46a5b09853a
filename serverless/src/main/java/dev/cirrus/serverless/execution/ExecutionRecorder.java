package dev.cirrus.serverless.execution;

import java.sql.Timestamp;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import dev.cirrus.contracts.events.CloudEvent;
import dev.cirrus.contracts.events.EventTypes;
import dev.cirrus.contracts.events.FunctionExecutionData;
import dev.cirrus.contracts.events.Topics;
import dev.cirrus.plumbing.events.Outbox;
import dev.cirrus.serverless.functionapp.FunctionApp;
import dev.cirrus.serverless.functionapp.HostingPlans;
import jakarta.annotation.PreDestroy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.ObjectMapper;

/**
 * Stores executions and their {@code Microsoft.Web.FunctionExecuted} events, off the request path: a writer thread
 * takes what has queued up and writes the rows and the outbox events of a batch in one transaction, so an
 * execution is recorded if and only if its event is published. The cost: a crash can lose the executions of the
 * last few milliseconds (never one without the other).
 */
@Component
public class ExecutionRecorder {

    private static final Logger log = LoggerFactory.getLogger(ExecutionRecorder.class);

    private record Pending(ExecutionRecord execution, FunctionApp app) {
    }

    private final BlockingQueue<Pending> queue = new LinkedBlockingQueue<>(100_000);
    private final JdbcTemplate jdbc;
    private final TransactionTemplate transactions;
    private final Outbox outbox;
    private final ObjectMapper json;
    private final Thread writer;
    private volatile boolean running = true;

    private final HostingPlans plans;
    /** The meter of each execution status (a handful), so recording one builds no meter id. */
    private final java.util.Map<String, io.micrometer.core.instrument.Counter> executionCounters =
            new java.util.concurrent.ConcurrentHashMap<>();

    ExecutionRecorder(JdbcTemplate jdbc, TransactionTemplate transactions, Outbox outbox, ObjectMapper json, Clock clock,
                      HostingPlans plans) {
        this.plans = plans;
        this.jdbc = jdbc;
        this.transactions = transactions;
        this.outbox = outbox;
        this.json = json;
        this.writer = Thread.ofPlatform().name("execution-recorder").daemon().start(this::drain);
    }

    /**
     * Counts the execution on the meter {@code cirrus.functions.executions{status}} (Micrometer's global registry:
     * Prometheus's {@code cirrus_functions_executions_total}) and queues it to be stored and published.
     */
    public void record(ExecutionRecord execution, FunctionApp app) {
        executionCounters.computeIfAbsent(execution.status(), status -> io.micrometer.core.instrument.Counter
                .builder("cirrus.functions.executions").description("Function executions, by how they ended")
                .tag("status", status).register(io.micrometer.core.instrument.Metrics.globalRegistry)).increment();
        if (!queue.offer(new Pending(execution, app))) {
            log.error("execution queue full; execution {} not recorded", execution.id());
        }
    }

    private void drain() {
        List<Pending> batch = new ArrayList<>();
        while (running || !queue.isEmpty()) {
            try {
                Pending first = queue.poll(200, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                batch.add(first);
                queue.drainTo(batch, 499);
                write(batch);
            } catch (InterruptedException e) {
                running = false;
            } catch (RuntimeException e) {
                log.warn("could not record {} executions, retrying: {}", batch.size(), e.getMessage());
                try {
                    Thread.sleep(1000);
                } catch (InterruptedException ie) {
                    running = false;
                }
                continue;
            }
            batch.clear();
        }
    }

    private void write(List<Pending> batch) {
        transactions.executeWithoutResult(status -> {
            jdbc.batchUpdate("insert into executions(id, app_id, function_name, trigger_type, started_at, duration_ms, memory_mb,"
                            + " status, cold_start, error, logs) values (?,?,?,?,?,?,?,?,?,?,?::jsonb) on conflict (id) do nothing",
                    batch, batch.size(), (ps, p) -> {
                        ExecutionRecord e = p.execution();
                        ps.setObject(1, e.id());
                        ps.setString(2, e.appKey());
                        ps.setString(3, e.functionName());
                        ps.setString(4, e.trigger());
                        ps.setTimestamp(5, Timestamp.from(e.start()));
                        ps.setLong(6, e.durationMs());
                        ps.setInt(7, e.memoryMb());
                        ps.setString(8, e.status());
                        ps.setBoolean(9, e.coldStart());
                        ps.setString(10, e.error());
                        ps.setString(11, json.writeValueAsString(e.logs()));
                    });
            // the plan each app is billed through (null on Consumption), looked up once per app and batch
            java.util.Map<String, java.util.Optional<String>> billedPlans = new java.util.HashMap<>();
            for (Pending p : batch) {
                ExecutionRecord e = p.execution();
                FunctionApp app = p.app();
                String billedPlan = billedPlans.computeIfAbsent(app.key(),
                        k -> java.util.Optional.ofNullable(plans.billedPlan(app))).orElse(null);
                FunctionExecutionData data = new FunctionExecutionData(app.subscriptionId(), app.resourceGroup(), app.name(),
                        e.functionName(), app.location(), e.id().toString(), e.start(), e.durationMs(), e.memoryMb(),
                        e.status(), e.trigger(), e.coldStart(), billedPlan);
                // subject = the app's id: billing meters per app, and one app's executions share a partition
                outbox.append(Topics.SERVERLESS, CloudEvent.of("serverless", EventTypes.FUNCTION_EXECUTED,
                        app.resourceId(), e.start(), json.valueToTree(data)));
            }
        });
    }

    @PreDestroy
    void stop() throws InterruptedException {
        running = false;
        writer.join(5000);
    }
}
