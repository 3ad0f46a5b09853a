package dev.cirrus.serverless.workflow.engine;

import java.util.List;

import dev.cirrus.contracts.events.CloudEvent;
import dev.cirrus.contracts.events.EventTypes;
import dev.cirrus.contracts.events.Topics;
import dev.cirrus.contracts.events.WorkflowRunData;
import dev.cirrus.plumbing.events.Outbox;
import dev.cirrus.serverless.workflow.Workflow;
import org.springframework.stereotype.Component;
import tools.jackson.databind.ObjectMapper;

/**
 * A run's events on {@code cirrus.serverless}, through the outbox in the step's transaction:
 * {@code Microsoft.Logic.WorkflowRunStarted} and {@code Microsoft.Logic.WorkflowRunCompleted}, whose counts of
 * trigger and action executions (every attempt of every executed action, loop repetitions included; skipped actions
 * are not executions) billing meters at Consumption's built-in rate.
 */
@Component
class RunEvents {

    private final Outbox outbox;
    private final ObjectMapper json;
    private final RunRepository runs;

    RunEvents(Outbox outbox, ObjectMapper json, RunRepository runs) {
        this.outbox = outbox;
        this.json = json;
        this.runs = runs;
    }

    void runStarted(Workflow w, RunRepository.Run run) {
        publish(w, run, EventTypes.WORKFLOW_RUN_STARTED, 1, 0);
    }

    void runCompleted(Workflow w, RunRepository.Run run) {
        List<RunRepository.ActionRow> rows = runs.actions(w.key(), run.name());
        int executions = rows.stream().filter(r -> !r.status().equals("Skipped") && r.attempts() > 0)
                .mapToInt(RunRepository.ActionRow::attempts).sum();
        publish(w, run, EventTypes.WORKFLOW_RUN_COMPLETED, 1, executions);
    }

    void actionCompleted(Workflow w, RunRepository.Run run, RunRepository.ActionRow row) {
        // the run's completion carries the executions; no event per action (a Foreach of thousands would flood)
    }

    private void publish(Workflow w, RunRepository.Run run, String type, int triggers, int actions) {
        WorkflowRunData data = new WorkflowRunData(w.subscriptionId(), w.resourceGroup(), w.name(), w.location(),
                run.name(), run.status(), triggers, actions, 0, 0);
        outbox.append(Topics.SERVERLESS, CloudEvent.of("serverless", type, w.resourceId(), run.endTime() == null
                ? run.startTime() : run.endTime(), json.valueToTree(data)));
    }
}
