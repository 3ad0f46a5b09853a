package dev.cirrus.serverless.workflow.engine;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import dev.cirrus.plumbing.arm.ArmException;
import dev.cirrus.serverless.workflow.CallbackSigner;
import dev.cirrus.serverless.workflow.LogicProperties;
import dev.cirrus.serverless.workflow.Workflow;
import dev.cirrus.serverless.workflow.WorkflowRepository;
import dev.cirrus.serverless.workflow.Workflows;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Firing triggers by hand or by call: {@code …/triggers/{t}/run} (ARM), a Request trigger's callback URL (the data
 * plane: the {@code sig} checked, the body checked against the trigger's {@code schema}, the caller answered by a
 * Response action or with 202), and {@code …/histories/{h}/resubmit} (a new run from a history's recorded outputs).
 */
@Service
public class Triggers {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    /** What a callback's caller gets: a status, headers and a body. */
    public record Answer(int status, Map<String, String> headers, JsonNode body) {
    }

    private final WorkflowRepository workflows;
    private final RunRepository runs;
    private final Engine engine;
    private final TransactionTemplate tx;
    private final LogicProperties properties;

    Triggers(WorkflowRepository workflows, RunRepository runs, Engine engine, TransactionTemplate tx,
             LogicProperties properties) {
        this.workflows = workflows;
        this.runs = runs;
        this.engine = engine;
        this.tx = tx;
        this.properties = properties;
    }

    /** {@code POST …/triggers/{t}/run}: fires the trigger now (a Request trigger with an empty body). */
    public RunRepository.Run run(Workflow w, String trigger, JsonNode body) {
        String name = Workflows.requireTrigger(w, trigger);
        refuseDisabled(w);
        JsonNode outputs = NODES.objectNode().set("body", body == null ? NODES.nullNode() : body);
        return tx.execute(s -> engine.start(w, name, null, outputs));
    }

    /** {@code POST …/histories/{h}/resubmit}: a new run with the history's inputs and outputs. */
    public RunRepository.Run resubmit(Workflow w, String trigger, String history) {
        String name = Workflows.requireTrigger(w, trigger);
        RunRepository.History h = runs.history(w.key(), name, history).orElseThrow(() -> ArmException.notFound(
                "WorkflowTriggerHistoryNotFound", "The workflow '" + w.name() + "' trigger '" + name
                        + "' history '" + history + "' could not be found."));
        refuseDisabled(w);
        if (!h.fired()) {
            throw ArmException.conflict("WorkflowTriggerHistoryNotFired", "The trigger history '" + history
                    + "' did not fire a run: there is nothing to resubmit.");
        }
        return tx.execute(s -> engine.start(w, name, h.inputs(), h.outputs()));
    }

    /**
     * A call of a Request trigger's callback URL. Refused with Azure's codes when the signature is missing or wrong
     * (401), the workflow is disabled (409), the trigger is not a Request trigger (400) or the body does not match the
     * schema (400); otherwise a run starts and the caller waits for its Response action, if the definition has one.
     */
    public Answer invoke(String accessId, String trigger, String method, String sp, String sv, String sig,
                         JsonNode body, Map<String, String> headers, Map<String, String> queries, String relativePath) {
        if (sig == null || sig.isEmpty()) {
            throw new ArmException(401, "DirectApiAuthorizationRequired", "The request must be authenticated only by "
                    + "Shared Access scheme: the 'sig' query parameter is missing.", null);
        }
        Workflow w = workflows.findByAccessId(accessId).orElseThrow(() -> new ArmException(401,
                "DirectApiInvalidAuthorizationSignature", "The provided authorization signature is not valid.", null));
        String name = w.triggerName(trigger);
        if (name == null || !CallbackSigner.permission(name).equals(sp)
                || !CallbackSigner.verify(w.accessKey(), w.accessId(), sp, sv, sig)) {
            throw new ArmException(401, "DirectApiInvalidAuthorizationSignature", "The provided authorization "
                    + "signature is not valid.", null);
        }
        JsonNode definition = w.trigger(name);
        if (!definition.path("type").asString("").equalsIgnoreCase("Request")) {
            throw ArmException.badRequest("WorkflowTriggerIsNotEnabledForDirectAccess", "The workflow trigger '" + name
                    + "' is not of type 'Request': it cannot be called.", null);
        }
        refuseDisabled(w);
        String expectedMethod = definition.path("inputs").path("method").asString(null);
        if (expectedMethod != null && !expectedMethod.equalsIgnoreCase(method)) {
            throw new ArmException(405, "TriggerRequestMethodNotValid", "The HTTP method for this request is not "
                    + "valid: expected '" + expectedMethod.toUpperCase(Locale.ROOT) + "' and actual '" + method + "'.",
                    null);
        }
        JsonNode schema = definition.path("inputs").get("schema");
        if (schema != null && schema.isObject() && !schema.isEmpty()) {
            List<String> errors = JsonSchemas.validate(schema, body);
            if (!errors.isEmpty()) {
                throw ArmException.badRequest("TriggerInputSchemaMismatch", "The input body for trigger '" + name
                        + "' of type 'Request' did not match its schema definition. Error details: '"
                        + String.join(" ", errors) + "'.", null);
            }
        }
        ObjectNode outputs = NODES.objectNode();
        ObjectNode h = outputs.putObject("headers");
        headers.forEach(h::put);
        if (body != null) {
            outputs.set("body", body);
        }
        if (!queries.isEmpty()) {
            ObjectNode q = outputs.putObject("queries");
            queries.forEach(q::put);
        }
        if (relativePath != null && !relativePath.isEmpty()) {
            outputs.putObject("relativePathParameters").put("path", relativePath);
        }
        RunRepository.Run run = tx.execute(s -> engine.start(w, name, null, outputs));
        Map<String, String> runHeaders = Map.of("x-ms-workflow-run-id", run.name(), "x-ms-workflow-name", w.name(),
                "x-ms-workflow-version", run.version());
        if (!new DefinitionIndex(w.definition()).hasResponse()) {
            return new Answer(202, runHeaders, null);
        }
        Instant deadline = engine.now().plus(properties.syncResponseTimeout());
        Duration pause = Duration.ofMillis(5);
        while (engine.now().isBefore(deadline)) {
            RunRepository.Run current = runs.findRun(w.key(), run.name()).orElse(null);
            if (current == null) {
                break;
            }
            if (current.response() != null) {
                return response(current.response(), runHeaders);
            }
            if (!current.running()) {
                throw new ArmException(502, "NoResponse", "The server did not receive a response from an upstream "
                        + "server: the run ended with status '" + current.status() + "' before a Response action ran.",
                        null);
            }
            try {
                Thread.sleep(pause.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
            pause = pause.toMillis() < 100 ? pause.multipliedBy(2) : pause;
        }
        return new Answer(202, runHeaders, null);
    }

    private static Answer response(JsonNode response, Map<String, String> runHeaders) {
        Map<String, String> headers = new java.util.LinkedHashMap<>(runHeaders);
        response.path("headers").properties().forEach(e -> headers.put(e.getKey(), e.getValue().isString()
                ? e.getValue().stringValue() : e.getValue().toString()));
        return new Answer(response.path("statusCode").asInt(200), headers, response.get("body"));
    }

    private static void refuseDisabled(Workflow w) {
        if (!w.enabled()) {
            throw ArmException.conflict("WorkflowDisabled", "The workflow '" + w.name() + "' is disabled: enable it "
                    + "before its triggers can run.");
        }
    }
}
