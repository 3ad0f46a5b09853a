package dev.cirrus.serverless.workflow.engine;

import java.time.Duration;
import java.time.Instant;
import java.util.Locale;

import dev.cirrus.serverless.workflow.Recurrence;
import dev.cirrus.serverless.workflow.Schedules;
import dev.cirrus.serverless.workflow.Workflow;
import dev.cirrus.serverless.workflow.WorkflowRepository;
import dev.cirrus.serverless.workflow.expression.Evaluator;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Fires due Recurrence and Http polling triggers. Each due schedule row is claimed ({@code FOR UPDATE SKIP LOCKED}),
 * its run started and its next due time stored in one transaction: a restart re-reads the due time, so a run that was
 * due while the service was down starts once when it is back (not once per missed occurrence), and a run that
 * started is never started again.
 */
@Component
class TriggerScheduler {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private final Schedules schedules;
    private final WorkflowRepository workflows;
    private final Engine engine;
    private final TransactionTemplate tx;
    private final HttpCalls http = new HttpCalls();

    TriggerScheduler(Schedules schedules, WorkflowRepository workflows, Engine engine, TransactionTemplate tx) {
        this.schedules = schedules;
        this.workflows = workflows;
        this.engine = engine;
        this.tx = tx;
    }

    void tick() {
        tx.executeWithoutResult(s -> {
            Instant now = engine.now();
            for (Schedules.Due due : schedules.claimDue(now, 20)) {
                Workflow w = workflows.findByKey(due.workflowKey()).orElse(null);
                if (w == null || w.triggerName(due.trigger()) == null) {
                    continue;
                }
                JsonNode trigger = w.trigger(due.trigger());
                Recurrence recurrence = Recurrence.read(trigger.get("recurrence"), "recurrence");
                fire(w, due, trigger);
                Instant after = now.isAfter(due.due()) ? now : due.due();
                schedules.moveTo(w.key(), due.trigger(), recurrence.next(after, due.due()));
            }
        });
    }

    private void fire(Workflow w, Schedules.Due due, JsonNode trigger) {
        String type = trigger.path("type").asString("").toLowerCase(Locale.ROOT);
        if (type.equals("recurrence")) {
            ObjectNode outputs = NODES.objectNode();
            outputs.put("scheduledTime", due.due().toString());
            engine.start(w, due.trigger(), null, outputs);
            return;
        }
        JsonNode inputs = Evaluator.resolve(trigger.get("inputs"), new TriggerScope(engine.clock(), w));
        HttpCalls.Answer answer = http.call(inputs, Duration.ofSeconds(30));
        if (answer.statusCode() == 200) {
            engine.start(w, due.trigger(), inputs, answer.outputs());
        } else if (answer.statusCode() == 202) {
            engine.skipped(w, due.trigger(), inputs, answer.outputs(), null, "Skipped");
        } else {
            engine.skipped(w, due.trigger(), inputs, answer.outputs(), Outcome.error(answer.statusCode() == 0
                    ? "BadRequest" : "Http" + answer.statusCode(), answer.failure() == null
                    ? "The polling request answered " + answer.statusCode() + "." : answer.failure()), "Failed");
        }
    }
}
