package dev.cirrus.serverless.workflow.engine;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import dev.cirrus.plumbing.arm.ArmException;
import dev.cirrus.serverless.workflow.Names;
import dev.cirrus.serverless.workflow.Workflow;
import dev.cirrus.serverless.workflow.WorkflowRepository;
import dev.cirrus.serverless.workflow.expression.Evaluator;
import dev.cirrus.serverless.workflow.expression.ExpressionException;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * The durable workflow engine. A run is rows: the run, and one row per execution of an action (per repetition in a
 * loop). A worker claims one runnable row ({@link RunRepository#claim}, {@code FOR UPDATE SKIP LOCKED}), executes the
 * action, and stores its result together with the rows of the actions it makes ready in one transaction, so a kill
 * at any point leaves the run where the last commit put it and a restarted service resumes it.
 *
 * <p>An action with an external effect (Http) is stored as started (status Running, a lease as its due time) and
 * committed before the call; its answer is stored in a second transaction. A Running row whose lease ran out was
 * interrupted by a crash: it is called again only while its retry policy has attempts left, else it fails.
 */
@Service
public class Engine {

    public static final Set<String> TERMINAL = Set.of("Succeeded", "Failed", "Skipped", "TimedOut", "Cancelled");
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final Duration HTTP_TIMEOUT = Duration.ofSeconds(120);

    private final RunRepository runs;
    private final WorkflowRepository workflows;
    private final TransactionTemplate tx;
    private final Clock clock;
    private final Duration lease;
    private final HttpCalls http = new HttpCalls();
    private final Actions actions;
    private final RunEvents events;
    private volatile Runnable wake = () -> { };

    Engine(RunRepository runs, WorkflowRepository workflows, TransactionTemplate tx, Clock clock,
           dev.cirrus.serverless.workflow.LogicProperties properties, RunEvents events) {
        this.runs = runs;
        this.workflows = workflows;
        this.tx = tx;
        this.clock = clock;
        this.lease = properties.actionLease();
        this.events = events;
        this.actions = new Actions();
    }

    void onWork(Runnable wake) {
        this.wake = wake;
    }

    java.time.Clock clock() {
        return clock;
    }

    Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MICROS);
    }

    // ------------------------------------------------------------------------------------------ starting runs

    /**
     * Starts a run of the workflow's current version from a trigger's firing (inputs and outputs as the trigger
     * recorded them), with its trigger history, in the caller's transaction; workers are woken after it commits.
     */
    public RunRepository.Run start(Workflow w, String trigger, JsonNode inputs, JsonNode outputs) {
        Instant now = now();
        String name = Names.run(now);
        ObjectNode record = NODES.objectNode();
        record.put("name", trigger);
        if (inputs != null) {
            record.set("inputs", inputs);
        }
        if (outputs != null) {
            record.set("outputs", outputs);
        }
        record.put("startTime", now.toString());
        record.put("endTime", now.toString());
        record.put("scheduledTime", now.toString());
        record.put("status", "Succeeded");
        record.put("code", "OK");
        record.put("originHistoryName", name);
        RunRepository.Run run = new RunRepository.Run(w.key(), name, w.version(), "Running", record, null, null, null,
                NODES.objectNode(), now, null);
        runs.insertRun(run);
        runs.insertHistory(new RunRepository.History(w.key(), trigger, name, "Succeeded", true, name, inputs, outputs,
                null, now, now));
        events.runStarted(w, run);
        Step step = new Step(w, w.definition(), run, new ArrayList<>(), now);
        startBranch(step, step.index.top(), "");
        finish(step);
        afterCommit();
        return step.run;
    }

    /** Records a trigger check that did not fire (a Recurrence never skips; a polling trigger may). */
    public void skipped(Workflow w, String trigger, JsonNode inputs, JsonNode outputs, JsonNode error, String status) {
        Instant now = now();
        runs.insertHistory(new RunRepository.History(w.key(), trigger, Names.run(now), status, false, null, inputs,
                outputs, error, now, now));
    }

    /** Cancels a running run: it and every action not yet finished become Cancelled. */
    public RunRepository.Run cancel(Workflow w, String runName) {
        return tx.execute(s -> {
            RunRepository.Run run = runs.findRunForUpdate(w.key(), runName).orElseThrow(() -> runNotFound(w, runName));
            if (!run.running()) {
                throw ArmException.conflict("WorkflowRunCancelNotAllowed", "The workflow run '" + runName + "' "
                        + "cannot be cancelled: its status is '" + run.status() + "'.");
            }
            Instant now = now();
            RunRepository.Run cancelled = new RunRepository.Run(run.workflowKey(), run.name(), run.version(),
                    "Cancelled", run.trigger(), Outcome.error("Cancelled", "The run was cancelled."), run.outputs(),
                    run.response(), run.variables(), run.startTime(), now);
            runs.updateRun(cancelled);
            runs.cancelPending(w.key(), runName, now);
            events.runCompleted(w, cancelled);
            return cancelled;
        });
    }

    public static ArmException runNotFound(Workflow w, String run) {
        return ArmException.notFound("WorkflowRunNotFound", "The workflow '" + w.name() + "' run '" + run
                + "' could not be found.");
    }

    private void afterCommit() {
        if (org.springframework.transaction.support.TransactionSynchronizationManager.isSynchronizationActive()) {
            org.springframework.transaction.support.TransactionSynchronizationManager.registerSynchronization(
                    new org.springframework.transaction.support.TransactionSynchronization() {
                        @Override
                        public void afterCommit() {
                            wake.run();
                        }
                    });
        } else {
            wake.run();
        }
    }

    // ------------------------------------------------------------------------------------------ one step

    /** An external call a step started: performed outside any transaction. */
    private record External(RunRepository.ActionRow row, JsonNode inputs, Duration timeout) {
    }

    /** Executes one runnable action if there is one; false when there was none. */
    boolean step() {
        Object[] started = new Object[1];
        Boolean found = tx.execute(s -> {
            Optional<RunRepository.ActionRow> claimed = runs.claim(now());
            if (claimed.isEmpty()) {
                return false;
            }
            started[0] = execute(claimed.get());
            return true;
        });
        if (started[0] instanceof External ext) {
            HttpCalls.Answer answer = http.call(ext.inputs(), ext.timeout());
            tx.executeWithoutResult(s -> complete(ext, answer));
        }
        return Boolean.TRUE.equals(found);
    }

    private Step load(RunRepository.ActionRow row) {
        RunRepository.Run run = runs.findRunForUpdate(row.workflowKey(), row.run()).orElseThrow();
        Workflow w = workflows.findByKey(row.workflowKey()).orElseThrow();
        JsonNode definition = workflows.version(w.key(), run.version()).map(WorkflowRepository.Version::definition)
                .orElse(w.definition());
        return new Step(w, definition, run, runs.actions(w.key(), run.name()), now());
    }

    private Object execute(RunRepository.ActionRow claimed) {
        Step step = load(claimed);
        RunRepository.ActionRow row = step.row(claimed.name(), claimed.repetition());
        DefinitionIndex.Action action = step.index.action(row.name());
        if (action == null || !step.run.running()) {
            return null;
        }
        JsonNode node = action.node();
        if (action.type().equals("http")) {
            Retry retry = Retry.of(node.path("inputs").path("retryPolicy"));
            if (row.status().equals("Running") && row.attempts() >= retry.maxAttempts()) {
                // started before a crash, and its policy allows no other attempt: never called twice
                settleWith(step, row, new Outcome("Failed", row.inputs(), null, Outcome.error("ActionInterrupted",
                        "The action was interrupted while its request was in flight (the service restarted); its "
                                + "retry policy allows no further attempt, so the request is not sent again.")));
                finish(step);
                return null;
            }
            JsonNode inputs;
            try {
                inputs = Evaluator.resolve(node.path("inputs"), step.scope(action, row.repetition()));
            } catch (ExpressionException e) {
                settleWith(step, row, Outcome.failed(null, null, e.code(), templateMessage(row.name(), e)));
                finish(step);
                return null;
            }
            Instant now = step.now;
            RunRepository.ActionRow running = row.with("Running", inputs, null, null, row.state(), row.attempts() + 1,
                    now.plus(lease), row.startTime() == null ? now : row.startTime(), null);
            step.save(running);
            Duration timeout = HTTP_TIMEOUT;
            Duration limit = parseDuration(node.path("limit").path("timeout").asString(null));
            if (limit != null && limit.compareTo(timeout) < 0) {
                timeout = limit;
            }
            return new External(running, inputs, timeout);
        }
        Outcome outcome = executeInternal(step, action, row);
        if (outcome != null) {
            settleWith(step, row, outcome);
        }
        finish(step);
        return null;
    }

    private void complete(External ext, HttpCalls.Answer answer) {
        // the run first, then the row: the order of every other transaction that locks both
        runs.findRunForUpdate(ext.row().workflowKey(), ext.row().run());
        RunRepository.ActionRow current = runs.actionForUpdate(ext.row().workflowKey(), ext.row().run(),
                ext.row().name(), ext.row().repetition()).orElse(null);
        if (current == null || !current.status().equals("Running") || current.attempts() != ext.row().attempts()) {
            return; // cancelled meanwhile, or taken over after the lease ran out
        }
        Step step = load(current);
        RunRepository.ActionRow row = step.row(current.name(), current.repetition());
        DefinitionIndex.Action action = step.index.action(row.name());
        boolean success = answer.statusCode() >= 200 && answer.statusCode() < 400;
        if (!success) {
            Retry retry = Retry.of(action.node().path("inputs").path("retryPolicy"));
            if (answer.retryable() && row.attempts() < retry.maxAttempts() && step.run.running()) {
                Instant due = step.now.plus(retry.delay(row.attempts()));
                step.save(row.with("Ready", row.inputs(), answer.outputs(), null, row.state(), row.attempts(), due,
                        row.startTime(), null));
                finish(step);
                return;
            }
        }
        Outcome outcome;
        if (success) {
            outcome = Outcome.succeeded(ext.inputs(), answer.outputs());
        } else if (answer.statusCode() == 0) {
            outcome = Outcome.failed(ext.inputs(), null, "BadRequest", answer.failure());
        } else {
            outcome = Outcome.failed(ext.inputs(), answer.outputs(), reason(answer.statusCode()),
                    "The HTTP request answered " + answer.statusCode() + ".");
        }
        if (!step.run.running()) {
            step.save(row.with(outcome.status(), outcome.inputs(), outcome.outputs(), outcome.error(), row.state(),
                    row.attempts(), row.dueAt(), row.startTime(), step.now));
            return;
        }
        settleWith(step, row, outcome);
        finish(step);
    }

    private static String reason(int status) {
        return switch (status) {
            case 400 -> "BadRequest";
            case 401 -> "Unauthorized";
            case 403 -> "Forbidden";
            case 404 -> "NotFound";
            case 408 -> "RequestTimeout";
            case 409 -> "Conflict";
            case 429 -> "TooManyRequests";
            case 500 -> "InternalServerError";
            case 502 -> "BadGateway";
            case 503 -> "ServiceUnavailable";
            case 504 -> "GatewayTimeout";
            default -> "Http" + status;
        };
    }

    static String templateMessage(String action, ExpressionException e) {
        return "Unable to process template language expressions in action '" + action + "' inputs: '"
                + e.getMessage() + "'.";
    }

    static Duration parseDuration(String text) {
        if (text == null) {
            return null;
        }
        try {
            return Duration.parse(text.toUpperCase(Locale.ROOT));
        } catch (RuntimeException e) {
            return null;
        }
    }

    // ------------------------------------------------------------------------------------------ internal actions

    /** Executes an action that has no external effect; null when the action is not finished by it (a container). */
    private Outcome executeInternal(Step step, DefinitionIndex.Action action, RunRepository.ActionRow row) {
        JsonNode node = action.node();
        RunScope scope = step.scope(action, row.repetition());
        try {
            switch (action.type()) {
                case "scope" -> {
                    step.save(started(row, step.now, "Waiting", null));
                    startBranch(step, step.index.branchesOf(action.name()).get("actions"), row.repetition());
                    return null;
                }
                case "if" -> {
                    JsonNode value = Evaluator.resolve(node.get("expression"), scope);
                    if (value.isObject() && isConditionObject(value)) {
                        value = NODES.booleanNode(Actions.condition(value));
                    }
                    if (!value.isBoolean()) {
                        return Outcome.failed(null, null, "InvalidTemplate", "The execution of template action '"
                                + action.name() + "' failed: the result of the evaluation of 'if' expression is of "
                                + "type '" + typeName(value) + "'. The result must be a boolean.");
                    }
                    String chosen = value.booleanValue() ? "actions" : "else";
                    ObjectNode state = NODES.objectNode().put("branch", chosen);
                    ObjectNode inputs = NODES.objectNode().put("expressionResult", value.booleanValue());
                    step.save(started(row, step.now, "Waiting", state).with("Waiting", inputs, null, null, state, 1,
                            row.dueAt(), step.now, null));
                    skipBranches(step, action.name(), chosen, row.repetition());
                    startBranch(step, step.index.branchesOf(action.name()).get(chosen), row.repetition());
                    return null;
                }
                case "switch" -> {
                    JsonNode value = Evaluator.resolve(node.get("expression"), scope);
                    String chosen = "default";
                    for (String c : node.path("cases").propertyNames()) {
                        JsonNode kase = Evaluator.resolve(node.path("cases").path(c).get("case"), scope);
                        if (Evaluator.same(kase, value)) {
                            chosen = "case:" + c;
                            break;
                        }
                    }
                    ObjectNode state = NODES.objectNode().put("branch", chosen);
                    step.save(started(row, step.now, "Waiting", state).with("Waiting",
                            NODES.objectNode().set("expressionValue", value), null, null, state, 1, row.dueAt(),
                            step.now, null));
                    skipBranches(step, action.name(), chosen, row.repetition());
                    startBranch(step, step.index.branchesOf(action.name()).get(chosen), row.repetition());
                    return null;
                }
                case "foreach" -> {
                    JsonNode items = Evaluator.resolve(node.get("foreach"), scope);
                    if (!items.isArray()) {
                        return Outcome.failed(null, null, "InvalidTemplate", "The execution of template action '"
                                + action.name() + "' failed: the result of the evaluation of 'foreach' expression is "
                                + "of type '" + typeName(items) + "'. The result must be a valid array.");
                    }
                    int concurrency = node.path("operationOptions").asString("").equalsIgnoreCase("Sequential") ? 1
                            : node.path("runtimeConfiguration").path("concurrency").path("repetitions").asInt(20);
                    ObjectNode state = NODES.objectNode();
                    state.set("items", items);
                    state.put("concurrency", Math.max(1, concurrency));
                    state.put("next", 0);
                    state.put("done", 0);
                    state.put("failed", false);
                    RunRepository.ActionRow waiting = started(row, step.now, "Waiting", state)
                            .with("Waiting", NODES.objectNode().put("count", items.size()), null, null, state, 1,
                                    row.dueAt(), step.now, null);
                    step.save(waiting);
                    if (items.isEmpty()) {
                        return Outcome.succeeded(waiting.inputs(), null);
                    }
                    for (int i = 0; i < Math.min(items.size(), Math.max(1, concurrency)); i++) {
                        startIteration(step, action.name(), row.repetition());
                    }
                    return null;
                }
                case "until" -> {
                    ObjectNode state = NODES.objectNode();
                    state.put("count", 0);
                    state.put("started", step.now.toString());
                    step.save(started(row, step.now, "Waiting", state));
                    startBranch(step, step.index.branchesOf(action.name()).get("actions"), iteration(row.repetition(), 0));
                    return null;
                }
                case "terminate" -> {
                    JsonNode inputs = Evaluator.resolve(node.get("inputs"), scope);
                    terminate(step, row, inputs);
                    return null;
                }
                case "wait" -> {
                    if (row.state() != null && row.state().has("until")) {
                        return Outcome.succeeded(row.inputs(), null);
                    }
                    JsonNode inputs = Evaluator.resolve(node.get("inputs"), scope);
                    Instant until = Actions.waitUntil(inputs, step.now);
                    ObjectNode state = NODES.objectNode().put("until", until.toString());
                    step.save(row.with("Ready", inputs, null, null, state, 1, until, step.now, null));
                    return null;
                }
                case "response" -> {
                    JsonNode inputs = Evaluator.resolve(node.get("inputs"), scope);
                    if (step.run.response() != null) {
                        return Outcome.failed(inputs, null, "ActionResponseAlreadySent", "The response for this "
                                + "request has already been sent by another Response action.");
                    }
                    step.run = step.withRun("Running", null, null, inputs, step.run.variables(), null);
                    return Outcome.succeeded(inputs, NODES.objectNode().put("statusCode",
                            inputs.path("statusCode").asInt(200)));
                }
                default -> {
                    Actions.Result result = actions.run(action, node, scope, step.variables(), step.now);
                    if (result.variables() != null) {
                        step.run = step.withRun("Running", null, null, step.run.response(), result.variables(), null);
                    }
                    return result.outcome();
                }
            }
        } catch (ExpressionException e) {
            return Outcome.failed(null, null, e.code(), templateMessage(action.name(), e));
        }
    }

    private static boolean isConditionObject(JsonNode value) {
        return value.has("and") || value.has("or") || value.has("not") || value.has("equals") || value.has("greater")
                || value.has("less") || value.has("greaterOrEquals") || value.has("lessOrEquals")
                || value.has("contains");
    }

    private static String typeName(JsonNode v) {
        if (v == null || v.isNull()) {
            return "Null";
        }
        if (v.isString()) {
            return "String";
        }
        if (v.isObject()) {
            return "Object";
        }
        if (v.isArray()) {
            return "Array";
        }
        if (v.isBoolean()) {
            return "Boolean";
        }
        return v.isIntegralNumber() ? "Integer" : "Float";
    }

    private static RunRepository.ActionRow started(RunRepository.ActionRow row, Instant now, String status,
                                                   JsonNode state) {
        return row.with(status, row.inputs(), null, null, state, row.attempts() + 1, row.dueAt(),
                row.startTime() == null ? now : row.startTime(), null);
    }

    private void terminate(Step step, RunRepository.ActionRow row, JsonNode inputs) {
        String status = Actions.canonicalRunStatus(inputs.path("runStatus").asString("Failed"));
        JsonNode runError = inputs.get("runError");
        ObjectNode error = null;
        if (!status.equals("Succeeded")) {
            error = Outcome.error(runError == null ? "Terminated" : runError.path("code").asString("Terminated"),
                    runError == null ? "The run was terminated by the action '" + row.name() + "'."
                            : runError.path("message").asString(""));
        }
        step.save(row.with("Succeeded", inputs, null, null, row.state(), row.attempts() + 1, row.dueAt(), step.now,
                step.now));
        step.run = step.withRun(status, error, null, step.run.response(), step.run.variables(), step.now);
        step.terminated = true;
    }

    // ------------------------------------------------------------------------------------------ settling

    private void settleWith(Step step, RunRepository.ActionRow row, Outcome outcome) {
        RunRepository.ActionRow done = row.with(outcome.status(), outcome.inputs(), outcome.outputs(), outcome.error(),
                row.state(), Math.max(1, row.attempts()), row.dueAt(), row.startTime() == null ? step.now
                        : row.startTime(), step.now);
        step.save(done);
        events.actionCompleted(step.workflow, step.run, done);
        settle(step, done);
    }

    /** After a row became terminal: its successors made ready or skipped, its branch completed when it was the last. */
    private void settle(Step step, RunRepository.ActionRow done) {
        if (step.terminated) {
            return;
        }
        DefinitionIndex.Action action = step.index.action(done.name());
        DefinitionIndex.Branch branch = action.branch();
        String rep = done.repetition();
        for (String successor : action.successors()) {
            if (step.row(successor, rep) != null) {
                continue;
            }
            JsonNode runAfter = branch.actions().path(successor).path("runAfter");
            boolean ready = true;
            boolean satisfied = true;
            for (String before : runAfter.propertyNames()) {
                RunRepository.ActionRow b = step.row(before, rep);
                if (b == null || !b.terminal()) {
                    ready = false;
                    break;
                }
                List<String> allowed = new ArrayList<>();
                runAfter.path(before).forEach(s -> allowed.add(s.asString("").toLowerCase(Locale.ROOT)));
                if (allowed.isEmpty()) {
                    allowed.add("succeeded");
                }
                satisfied &= allowed.contains(b.status().toLowerCase(Locale.ROOT));
            }
            if (!ready) {
                continue;
            }
            if (satisfied) {
                step.insert(successor, rep, "Ready");
            } else {
                RunRepository.ActionRow skipped = step.insert(successor, rep, "Skipped");
                settle(step, skipped);
            }
        }
        if (!branchComplete(step, branch, rep)) {
            return;
        }
        if (branch.container() == null) {
            completeRun(step);
        } else {
            branchDone(step, branch, rep);
        }
    }

    private boolean branchComplete(Step step, DefinitionIndex.Branch branch, String rep) {
        for (String name : branch.actions().propertyNames()) {
            RunRepository.ActionRow r = step.row(name, rep);
            if (r == null || !r.terminal()) {
                return false;
            }
        }
        return true;
    }

    /** A failure no action of the branch ran after: the branch (and its container, or the run) failed. */
    private boolean unhandledFailure(Step step, DefinitionIndex.Branch branch, String rep) {
        for (String name : branch.actions().propertyNames()) {
            RunRepository.ActionRow r = step.row(name, rep);
            if (r == null || !(r.status().equals("Failed") || r.status().equals("TimedOut"))) {
                continue;
            }
            boolean handled = false;
            for (String successor : step.index.action(name).successors()) {
                RunRepository.ActionRow s = step.row(successor, rep);
                handled |= s != null && !s.status().equals("Skipped");
            }
            if (!handled) {
                return true;
            }
        }
        return false;
    }

    private void branchDone(Step step, DefinitionIndex.Branch branch, String rep) {
        DefinitionIndex.Action container = step.index.action(branch.container());
        boolean failed = unhandledFailure(step, branch, rep);
        String containerRep = container.isLoop() ? parent(rep) : rep;
        RunRepository.ActionRow row = step.row(container.name(), containerRep);
        if (row == null || row.terminal()) {
            return;
        }
        switch (container.type()) {
            case "foreach" -> {
                ObjectNode state = (ObjectNode) row.state().deepCopy();
                state.put("done", state.path("done").asInt() + 1);
                state.put("failed", state.path("failed").asBoolean() || failed);
                RunRepository.ActionRow updated = row.with(row.status(), row.inputs(), null, null, state,
                        row.attempts(), row.dueAt(), row.startTime(), null);
                step.save(updated);
                int total = state.path("items").size();
                if (state.path("next").asInt() < total) {
                    startIteration(step, container.name(), containerRep);
                    return;
                }
                if (state.path("done").asInt() >= total) {
                    finishContainer(step, step.row(container.name(), containerRep), state.path("failed").asBoolean());
                }
            }
            case "until" -> {
                ObjectNode state = (ObjectNode) row.state().deepCopy();
                int count = state.path("count").asInt() + 1;
                state.put("count", count);
                step.save(row.with(row.status(), row.inputs(), null, null, state, row.attempts(), row.dueAt(),
                        row.startTime(), null));
                boolean stop;
                try {
                    JsonNode value = Evaluator.resolve(container.node().get("expression"),
                            step.scope(container, rep));
                    if (value.isObject() && isConditionObject(value)) {
                        value = NODES.booleanNode(Actions.condition(value));
                    }
                    stop = value.isBoolean() && value.booleanValue();
                } catch (ExpressionException e) {
                    settleWith(step, step.row(container.name(), containerRep), Outcome.failed(null, null, e.code(),
                            templateMessage(container.name(), e)));
                    return;
                }
                int limit = container.node().path("limit").path("count").asInt(60);
                Duration timeout = parseDuration(container.node().path("limit").path("timeout").asString("PT1H"));
                Instant started = Instant.parse(state.path("started").asString());
                boolean outOfTime = timeout != null && !step.now.isBefore(started.plus(timeout));
                if (stop || count >= limit || outOfTime || failed) {
                    finishContainer(step, step.row(container.name(), containerRep), failed);
                } else {
                    startBranch(step, branch, iteration(containerRep, count));
                }
            }
            default -> finishContainer(step, row, failed);
        }
    }

    private void finishContainer(Step step, RunRepository.ActionRow row, boolean failed) {
        Outcome outcome = failed ? new Outcome("Failed", row.inputs(), null, Outcome.error("ActionFailed",
                "An action failed. No dependent actions succeeded.")) : Outcome.succeeded(row.inputs(), null);
        settleWith(step, row, outcome);
    }

    private void completeRun(Step step) {
        if (!step.run.running()) {
            return;
        }
        boolean failed = unhandledFailure(step, step.index.top(), "");
        JsonNode outputs = null;
        JsonNode declared = step.definition.path("outputs");
        if (declared.isObject() && !declared.isEmpty()) {
            ObjectNode out = NODES.objectNode();
            RunScope scope = step.scope(null, "");
            for (String name : declared.propertyNames()) {
                ObjectNode o = out.putObject(name);
                o.put("type", declared.path(name).path("type").asString("String"));
                try {
                    o.set("value", Evaluator.resolve(declared.path(name).get("value"), scope));
                } catch (ExpressionException e) {
                    o.set("error", Outcome.error(e.code(), e.getMessage()));
                }
            }
            outputs = out;
        }
        step.run = step.withRun(failed ? "Failed" : "Succeeded", failed ? Outcome.error("ActionFailed",
                "An action failed. No dependent actions succeeded.") : null, outputs, step.run.response(),
                step.run.variables(), step.now);
    }

    // ------------------------------------------------------------------------------------------ branches and loops

    private void startBranch(Step step, DefinitionIndex.Branch branch, String rep) {
        if (branch == null) {
            return;
        }
        List<String> roots = DefinitionIndex.roots(branch);
        if (branch.actions().isEmpty()) {
            if (branch.container() == null) {
                completeRun(step);
            } else {
                branchDone(step, branch, rep);
            }
            return;
        }
        for (String root : roots) {
            step.insert(root, rep, "Ready");
        }
    }

    private void skipBranches(Step step, String container, String chosen, String rep) {
        for (Map.Entry<String, DefinitionIndex.Branch> b : step.index.branchesOf(container).entrySet()) {
            if (!b.getKey().equals(chosen)) {
                for (String name : b.getValue().actions().propertyNames()) {
                    step.insert(name, rep, "Skipped");
                }
            }
        }
    }

    private void startIteration(Step step, String foreach, String containerRep) {
        RunRepository.ActionRow row = step.row(foreach, containerRep);
        ObjectNode state = (ObjectNode) row.state().deepCopy();
        int i = state.path("next").asInt();
        state.put("next", i + 1);
        step.save(row.with(row.status(), row.inputs(), null, null, state, row.attempts(), row.dueAt(), row.startTime(),
                null));
        startBranch(step, step.index.branchesOf(foreach).get("actions"), iteration(containerRep, i));
    }

    static String iteration(String containerRep, int i) {
        String segment = String.format("%06d", i);
        return containerRep.isEmpty() ? segment : containerRep + "-" + segment;
    }

    static String parent(String rep) {
        int dash = rep.lastIndexOf('-');
        return dash < 0 ? "" : rep.substring(0, dash);
    }

    // ------------------------------------------------------------------------------------------ the step's state

    private void finish(Step step) {
        if (!step.run.equals(step.original)) {
            runs.updateRun(step.run);
            if (!step.run.running()) {
                if (step.terminated) {
                    runs.cancelPending(step.run.workflowKey(), step.run.name(), step.now);
                }
                events.runCompleted(step.workflow, step.run);
            }
        }
        if (step.madeWork) {
            afterCommit();
        }
    }

    /** The rows of one run as one step sees and changes them; every change is written at once. */
    private final class Step {
        final Workflow workflow;
        final JsonNode definition;
        final DefinitionIndex index;
        final RunRepository.Run original;
        RunRepository.Run run;
        final Instant now;
        final Map<String, RunRepository.ActionRow> rows = new HashMap<>();
        final List<RunRepository.ActionRow> all;
        boolean terminated;
        boolean madeWork;

        Step(Workflow workflow, JsonNode definition, RunRepository.Run run, List<RunRepository.ActionRow> all,
             Instant now) {
            this.workflow = workflow;
            this.definition = definition;
            this.index = new DefinitionIndex(definition);
            this.original = run;
            this.run = run;
            this.now = now;
            this.all = all;
            all.forEach(r -> rows.put(r.name() + "|" + r.repetition(), r));
        }

        RunRepository.ActionRow row(String name, String rep) {
            return rows.get(name + "|" + rep);
        }

        void save(RunRepository.ActionRow r) {
            RunRepository.ActionRow old = rows.put(r.name() + "|" + r.repetition(), r);
            if (old == null) {
                runs.insertAction(r);
                all.add(r);
            } else {
                runs.updateAction(r);
                all.replaceAll(x -> x.name().equals(r.name()) && x.repetition().equals(r.repetition()) ? r : x);
            }
        }

        RunRepository.ActionRow insert(String name, String rep, String status) {
            boolean skipped = status.equals("Skipped");
            RunRepository.ActionRow r = new RunRepository.ActionRow(workflow.key(), run.name(), name, rep, status,
                    null, null, skipped ? Outcome.error("ActionSkipped", "The execution of template action '" + name
                    + "' is skipped: the 'runAfter' condition for it was not satisfied.") : null, null, 0, now,
                    skipped ? now : null, skipped ? now : null);
            save(r);
            madeWork |= !skipped;
            return r;
        }

        JsonNode variables() {
            return run.variables() == null ? NODES.objectNode() : run.variables();
        }

        RunScope scope(DefinitionIndex.Action action, String rep) {
            ObjectNode values = NODES.objectNode();
            variables().properties().forEach(e -> values.set(e.getKey(), e.getValue().path("value")));
            return new RunScope(clock, workflow, definition, run, index, all,
                    action == null ? List.of() : loopsOf(action), rep, values);
        }

        private List<String> loopsOf(DefinitionIndex.Action action) {
            List<String> loops = new ArrayList<>(action.loops());
            if (action.type().equals("until")) {
                // an Until's expression is evaluated in its iteration (iterationIndexes), a Foreach's outside it
                loops.add(action.name());
            }
            return loops;
        }

        RunRepository.Run withRun(String status, JsonNode error, JsonNode outputs, JsonNode response,
                                  JsonNode variables, Instant end) {
            return new RunRepository.Run(run.workflowKey(), run.name(), run.version(), status, run.trigger(),
                    error == null ? run.error() : error, outputs == null ? run.outputs() : outputs, response,
                    variables, run.startTime(), end);
        }
    }
}
