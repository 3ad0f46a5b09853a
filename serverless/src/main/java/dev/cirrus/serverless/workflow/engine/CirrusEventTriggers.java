package dev.cirrus.serverless.workflow.engine;

import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import dev.cirrus.contracts.events.CloudEvent;
import dev.cirrus.plumbing.events.InboxConsumer;
import dev.cirrus.serverless.workflow.Workflow;
import dev.cirrus.serverless.workflow.WorkflowRepository;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * The {@code CirrusEvent} trigger, Cirrus's own (the way Event Grid triggers are used on Azure): a workflow runs for
 * each Cirrus lifecycle event on {@code inputs.topic} whose type is {@code inputs.eventType} ({@code *} for any) and,
 * when given, whose subject begins with {@code inputs.subjectBeginsWith}; the trigger's body is the CloudEvent.
 * Each watched topic has one plumbing {@link InboxConsumer} (group {@code serverless-workflows-{topic}}), and a run
 * starts in the inbox transaction of its event: one run per event and trigger, even across restarts. Only events
 * after the workflow was last saved fire it (a new consumer group reads its topic from the start).
 */
@Component
class CirrusEventTriggers implements AutoCloseable {

    static final String TYPE = "CirrusEvent";

    private final WorkflowRepository workflows;
    private final Engine engine;
    private final JdbcTemplate jdbc;
    private final TransactionTemplate tx;
    private final ObjectMapper json;
    private final String bootstrap;
    private final Map<String, InboxConsumer> consumers = new ConcurrentHashMap<>();

    CirrusEventTriggers(WorkflowRepository workflows, Engine engine, JdbcTemplate jdbc, TransactionTemplate tx,
                        ObjectMapper json, @Value("${cirrus.kafka.bootstrap-servers:}") String bootstrap) {
        this.workflows = workflows;
        this.engine = engine;
        this.jdbc = jdbc;
        this.tx = tx;
        this.json = json;
        this.bootstrap = bootstrap;
    }

    /** Starts a consumer for each topic an enabled workflow now watches (called by the scheduler thread). */
    void refresh() {
        if (bootstrap == null || bootstrap.isBlank()) {
            return;
        }
        Set<String> topics = new HashSet<>();
        for (Workflow w : workflows.enabledWithTriggerTypes(List.of(TYPE))) {
            for (String t : w.triggerNames()) {
                JsonNode trigger = w.trigger(t);
                if (trigger.path("type").asString("").equalsIgnoreCase(TYPE)) {
                    topics.add(trigger.path("inputs").path("topic").asString());
                }
            }
        }
        for (String topic : topics) {
            consumers.computeIfAbsent(topic, tp -> {
                InboxConsumer consumer = new InboxConsumer("serverless-workflows-" + tp, List.of(tp), bootstrap, jdbc,
                        tx, json, event -> fire(tp, event));
                consumer.start();
                return consumer;
            });
        }
    }

    private void fire(String topic, CloudEvent event) {
        for (Workflow w : workflows.enabledWithTriggerTypes(List.of(TYPE))) {
            if (event.time() != null && event.time().isBefore(w.changedAt())) {
                continue;
            }
            for (String t : w.triggerNames()) {
                JsonNode inputs = w.trigger(t).path("inputs");
                if (!w.trigger(t).path("type").asString("").equalsIgnoreCase(TYPE)
                        || !inputs.path("topic").asString("").equals(topic)) {
                    continue;
                }
                String type = inputs.path("eventType").asString("");
                if (!type.equals("*") && !type.equalsIgnoreCase(event.type())) {
                    continue;
                }
                String prefix = inputs.path("subjectBeginsWith").asString(null);
                if (prefix != null && (event.subject() == null || !event.subject().toLowerCase(Locale.ROOT)
                        .startsWith(prefix.toLowerCase(Locale.ROOT)))) {
                    continue;
                }
                ObjectNode outputs = json.createObjectNode();
                outputs.putObject("headers").put("topic", topic);
                outputs.set("body", json.valueToTree(event));
                engine.start(w, t, null, outputs);
            }
        }
    }

    @Override
    public void close() {
        consumers.values().forEach(InboxConsumer::close);
        consumers.clear();
    }
}
