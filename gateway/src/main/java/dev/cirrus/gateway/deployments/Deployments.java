package dev.cirrus.gateway.deployments;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorCompletionService;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Pattern;

import dev.cirrus.contracts.arm.ArmError;
import dev.cirrus.contracts.arm.ArmErrorException;
import dev.cirrus.gateway.deployments.template.DeploymentScope;
import dev.cirrus.gateway.deployments.template.JsonDocument;
import dev.cirrus.gateway.deployments.template.PlannedResource;
import dev.cirrus.gateway.deployments.template.ResourceReader;
import dev.cirrus.gateway.deployments.template.Template;
import dev.cirrus.gateway.deployments.template.TemplateException;
import dev.cirrus.gateway.deployments.template.TemplateHashes;
import dev.cirrus.gateway.deployments.template.Values;
import dev.cirrus.gateway.provider.ProviderRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.stereotype.Service;

/**
 * Template deployments: accept (validate the template, store the deployment as Accepted), run in the background,
 * answer GET/list/operations, cancel, delete.
 *
 * <p>A run creates the planned resources through {@link GatewayLoopback} with the caller's Authorization header, a
 * resource as soon as everything it depends on has succeeded, up to {@code maxInFlight} at once, each followed to
 * the end of its long-running operation. The first failure stops new work; the deployment ends Failed with
 * {@code DeploymentFailed} and one detail per failed operation. In Complete mode the group's resources that the
 * template does not name are deleted after the rest succeeded.
 *
 * <p>A gateway restart ends a deployment that was running: the caller's token is not kept anywhere but memory, so
 * the run cannot go on as that caller. At start-up such deployments are marked Failed with
 * {@code DeploymentInterrupted} (their finished operations stay listed); deploying again with the same name
 * resumes by replaying it, which is idempotent for every resource already created.
 */
@Service
public class Deployments implements ApplicationRunner {

    static final String TYPE = "Microsoft.Resources/deployments";
    private static final Logger log = LoggerFactory.getLogger(Deployments.class);
    private static final Pattern NAME = Pattern.compile("[-\\w._()]+");
    private static final Set<String> TERMINAL = Set.of("succeeded", "failed", "canceled");

    private final DeploymentRepository repository;
    private final GatewayLoopback gateway;
    private final DeploymentsProperties properties;
    private final Clock clock;
    private final ProviderRegistry registry;
    private final ExecutorService workers = Executors.newVirtualThreadPerTaskExecutor();
    private final Map<String, AtomicBoolean> running = new ConcurrentHashMap<>();
    private final java.util.concurrent.atomic.AtomicInteger operationsInFlight =
            new java.util.concurrent.atomic.AtomicInteger();
    private final java.util.concurrent.atomic.AtomicInteger peakOperationsInFlight =
            new java.util.concurrent.atomic.AtomicInteger();

    Deployments(DeploymentRepository repository, GatewayLoopback gateway, DeploymentsProperties properties,
                Clock clock, ProviderRegistry registry) {
        this.repository = repository;
        this.gateway = gateway;
        this.properties = properties;
        this.clock = clock;
        this.registry = registry;
    }

    /** What a PUT or validate asks for, already read from the request. */
    record Request(DeploymentScope scope, String id, String mode, JsonDocument template,
                   Map<String, Object> parameters, Map<String, Object> body, String authorization) { }

    @Override
    public void run(ApplicationArguments args) {
        for (Map<String, Object> resource : repository.unfinished()) {
            String id = (String) resource.get("id");
            Map<String, Object> props = props(resource);
            props.put("provisioningState", "Failed");
            props.put("error", error("DeploymentInterrupted", "The gateway restarted while the deployment was "
                    + "running; its remaining resources were not deployed. Deploy it again to finish it.", List.of()));
            repository.update(id, "Failed", resource, clock.instant());
            log.info("deployment {} was interrupted by a restart and is marked Failed", id);
        }
    }

    static void checkName(String name) {
        if (name.length() > 64) {
            throw ArmErrorException.badRequest("DeploymentNameLengthLimitExceeded", "The provided deployment name '"
                    + name + "' has a length of '" + name.length() + "' which exceeds the maximum length of '64'. "
                    + "Please see the deployment reference for usage details.", "name");
        }
        if (!NAME.matcher(name).matches()) {
            throw ArmErrorException.badRequest("InvalidDeploymentName", "The deployment name '" + name + "' is not "
                    + "valid. It may contain only alphanumerics, underscores, parentheses, hyphens and periods.",
                    "name");
        }
    }

    /** Checks the template and parameters (400 InvalidTemplate on a bad one); nothing is stored. */
    Map<String, Object> validate(Request request) {
        Template template = load(request);
        List<PlannedResource> plan = plan(template);
        preflight(request, plan);
        Map<String, Object> resource = resource(request, template, "Succeeded");
        List<Object> validated = new ArrayList<>();
        plan.stream().filter(PlannedResource::enabled).forEach(r -> validated.add(Map.of("id", r.id())));
        props(resource).put("validatedResources", validated);
        props(resource).remove("timestamp");
        props(resource).remove("duration");
        return resource;
    }

    /** Accepts a deployment: 201 with the Accepted deployment; the run goes on in the background. */
    Map<String, Object> create(Request request) {
        String key = DeploymentRepository.key(request.id());
        Template template = load(request);
        preflight(request, plan(template));
        Map<String, Object> resource = resource(request, template, "Accepted");
        // the run changes its own copy; the answer is the deployment as accepted
        @SuppressWarnings("unchecked")
        Map<String, Object> answer = (Map<String, Object>) Values.copy(resource);
        AtomicBoolean cancel = new AtomicBoolean();
        if (running.putIfAbsent(key, cancel) != null) {
            throw new ArmErrorException(409, "DeploymentActive", "Unable to edit or replace deployment '"
                    + request.scope().deploymentName() + "': previous deployment is still active (state: Running). "
                    + "Please see the deployment reference for usage details.", null);
        }
        try {
            repository.save(request.id(), request.scope().scopeId(), request.scope().deploymentName(), "Accepted",
                    template.definition(), resource, clock.instant());
        } catch (RuntimeException e) {
            running.remove(key);
            throw e;
        }
        workers.submit(() -> {
            try {
                execute(request, template, resource, cancel);
            } catch (RuntimeException | Error e) {
                log.warn("deployment {} stopped unexpectedly", request.id(), e);
                finish(request.id(), resource, "Failed", error("DeploymentFailed", "The deployment stopped "
                        + "unexpectedly: " + e.getMessage(), List.of()));
            } finally {
                running.remove(key);
            }
        });
        return answer;
    }

    Map<String, Object> get(String id, String name) {
        return repository.find(id).map(DeploymentRepository.Stored::resource)
                .orElseThrow(() -> notFound(name));
    }

    List<Map<String, Object>> list(String scopeId) {
        return repository.list(scopeId);
    }

    List<Map<String, Object>> operations(String id, String name) {
        get(id, name);
        return repository.operations(id);
    }

    Map<String, Object> exportTemplate(String id, String name) {
        return Map.of("template", repository.find(id).map(DeploymentRepository.Stored::template)
                .orElseThrow(() -> notFound(name)));
    }

    /** Cancels an Accepted or Running deployment; others answer 409 DeploymentCannotBeCancelled. */
    void cancel(String id, String name) {
        DeploymentRepository.Stored stored = repository.find(id).orElseThrow(() -> notFound(name));
        AtomicBoolean flag = running.get(DeploymentRepository.key(id));
        if (flag == null || TERMINAL.contains(stored.state().toLowerCase(Locale.ROOT))) {
            throw new ArmErrorException(409, "DeploymentCannotBeCancelled", "The deployment '" + name + "' cannot "
                    + "be cancelled: its provisioning state is '" + stored.state() + "'.", null);
        }
        flag.set(true);
    }

    /** Deletes the deployment's record (not its resources, as in ARM); a running one answers 409. */
    boolean delete(String id, String name) {
        if (running.containsKey(DeploymentRepository.key(id))) {
            throw new ArmErrorException(409, "DeploymentActive", "The deployment '" + name + "' is still running; "
                    + "cancel it before deleting it.", null);
        }
        return repository.delete(id);
    }

    /** The status document an Azure-AsyncOperation URL answers. */
    Map<String, Object> status(String id, String name) {
        Map<String, Object> resource = get(id, name);
        Map<String, Object> props = props(resource);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("status", props.get("provisioningState"));
        if (props.get("error") != null) {
            out.put("error", props.get("error"));
        }
        return out;
    }

    // ------------------------------------------------------------------------------------------ what-if

    /** A what-if being computed or computed: its subscription, when it was asked, its result once there is one. */
    private record WhatIfRun(String subscriptionId, Instant asked, java.util.concurrent.atomic.AtomicReference<
            Map<String, Object>> result) { }

    /** What-if results are kept this long for their Location to be read, as ARM keeps them for a while. */
    private static final Duration WHAT_IF_KEPT = Duration.ofHours(1);
    private static final int WHAT_IF_MAX = 1000;
    private final Map<String, WhatIfRun> whatIfs = new ConcurrentHashMap<>();

    /**
     * Starts a what-if: the template is checked at once (400 as for a PUT), then every resource it would write
     * is compared, in the background, with the resource as a GET through the gateway answers it, as the caller.
     * The answer is the operation's id, whose result {@link #whatIfResult} gives.
     */
    String whatIf(Request request, String resultFormat) {
        Template template = load(request);
        preflight(request, plan(template));
        Instant now = clock.instant();
        whatIfs.values().removeIf(run -> run.asked().plus(WHAT_IF_KEPT).isBefore(now));
        if (whatIfs.size() >= WHAT_IF_MAX) {
            throw new ArmErrorException(429, "TooManyRequests", "Too many what-if operations are kept; retry the "
                    + "request later.", null);
        }
        String operationId = UUID.randomUUID().toString();
        WhatIfRun run = new WhatIfRun(request.scope().subscriptionId(), now,
                new java.util.concurrent.atomic.AtomicReference<>());
        whatIfs.put(operationId, run);
        workers.submit(() -> {
            Map<String, Object> result = new LinkedHashMap<>();
            try {
                List<Object> changes = whatIfChanges(request, template,
                        !"ResourceIdOnly".equalsIgnoreCase(resultFormat));
                result.put("status", "Succeeded");
                result.put("properties", Map.of("changes", changes));
            } catch (TemplateException e) {
                result.put("status", "Failed");
                result.put("error", errorMap(new ArmError(e.code(), e.getMessage(), e.target())));
            } catch (ArmErrorException e) {
                result.put("status", "Failed");
                result.put("error", errorMap(e.error()));
            } catch (RuntimeException e) {
                log.warn("what-if {} stopped unexpectedly", request.id(), e);
                result.put("status", "Failed");
                result.put("error", errorMap(new ArmError("InternalServerError", "The what-if operation stopped "
                        + "unexpectedly: " + e.getMessage(), null)));
            }
            run.result().set(result);
        });
        return operationId;
    }

    /** The what-if's result: empty while it is computed; 404 {@code OperationNotFound} for an unknown id. */
    java.util.Optional<Map<String, Object>> whatIfResult(String subscriptionId, String operationId) {
        WhatIfRun run = whatIfs.get(operationId.toLowerCase(Locale.ROOT));
        if (run == null || !run.subscriptionId().equalsIgnoreCase(subscriptionId)) {
            throw new ArmErrorException(404, "OperationNotFound", "The operation '" + operationId + "' could not "
                    + "be found.", null);
        }
        return java.util.Optional.ofNullable(run.result().get());
    }

    private List<Object> whatIfChanges(Request request, Template template, boolean full) {
        Loopback reader = new Loopback(request.authorization(), UUID.randomUUID().toString());
        Set<Object> secrets = template.secureValues();
        List<Object> changes = new ArrayList<>();
        Set<String> named = new HashSet<>();
        for (PlannedResource r : template.plan()) {
            if (!r.enabled()) {
                continue;
            }
            named.add(key(r.id()));
            Map<String, Object> change = new LinkedHashMap<>();
            change.put("resourceId", r.id());
            if (r.isNestedDeployment()) {
                change.put("changeType", "Unsupported");
                change.put("unsupportedReason", "Changes made by a nested deployment are not predicted: its "
                        + "resources are known only when it runs.");
                changes.add(change);
                continue;
            }
            Template.Preview preview = template.previewBody(r, reader);
            Map<String, Object> desired = new LinkedHashMap<>();
            desired.put("id", r.id());
            desired.put("name", r.name().contains("/") ? r.name().substring(r.name().lastIndexOf('/') + 1)
                    : r.name());
            desired.put("type", r.type());
            desired.put("apiVersion", r.apiVersion());
            desired.putAll(preview.body());
            GatewayLoopback.Answer current = gateway.call("GET", r.id() + "?api-version=" + r.apiVersion(), null,
                    request.authorization(), reader.correlationId);
            ArmError refused = current.status() >= 400 ? armError(current.object(), current.status()) : null;
            if (current.status() == 404 && !"NotFound".equals(refused.code())) {
                change.put("changeType", "Create");
                if (full) {
                    change.put("after", masked(desired, secrets));
                }
            } else if (refused != null) {
                change.put("changeType", "Unsupported");
                change.put("unsupportedReason", refused.code() + ": " + refused.message());
            } else {
                Map<String, Object> before = current.object();
                List<Map<String, Object>> delta = WhatIfChanges.delta(desired, before);
                change.put("changeType", !preview.complete() ? "Deploy" : delta.isEmpty() ? "NoChange" : "Modify");
                if (full) {
                    change.put("before", before);
                    change.put("after", masked(WhatIfChanges.merged(before, desired), secrets));
                    change.put("delta", masked(delta, secrets));
                }
            }
            changes.add(change);
        }
        if (request.scope().resourceGroup() != null) {
            boolean complete = "complete".equalsIgnoreCase(request.mode());
            GatewayLoopback.Answer list = gateway.call("GET", request.scope().resourceGroupId()
                    + "/resources?api-version=2021-04-01", null, request.authorization(), reader.correlationId);
            if (list.object().get("value") instanceof List<?> items) {
                for (Object item : items) {
                    @SuppressWarnings("unchecked")
                    Map<String, Object> resource = (Map<String, Object>) item;
                    Object id = resource.get("id");
                    if (!(id instanceof String resourceId) || named.contains(key(resourceId))
                            || key(resourceId).contains("/providers/" + key(TYPE) + "/")) {
                        continue;
                    }
                    Map<String, Object> change = new LinkedHashMap<>();
                    change.put("resourceId", resourceId);
                    change.put("changeType", complete ? "Delete" : "Ignore");
                    if (full) {
                        change.put("before", resource);
                    }
                    changes.add(change);
                }
            }
        }
        return changes;
    }

    /** Secure parameter values never leave the gateway: what-if shows them as ARM shows hidden values. */
    private static Object masked(Object value, Set<Object> secrets) {
        if (secrets.isEmpty()) {
            return value;
        }
        if (value instanceof Map<?, ?> map) {
            Map<String, Object> out = new LinkedHashMap<>();
            map.forEach((k, v) -> out.put((String) k, masked(v, secrets)));
            return out;
        }
        if (value instanceof List<?> list) {
            return new ArrayList<>(list.stream().map(v -> masked(v, secrets)).toList());
        }
        return value != null && secrets.contains(value) ? "*******" : value;
    }

    /** Whether a provisioning state is one a deployment ends in (Succeeded, Failed, Canceled). */
    static boolean isTerminal(Object state) {
        return state != null && TERMINAL.contains(state.toString().toLowerCase(Locale.ROOT));
    }

    // ------------------------------------------------------------------------------------------ the run

    private void execute(Request request, Template template, Map<String, Object> resource, AtomicBoolean cancel) {
        String id = request.id();
        String correlationId = (String) props(resource).get("correlationId");
        props(resource).put("provisioningState", "Running");
        repository.update(id, "Running", resource, clock.instant());
        Instant started = clock.instant();
        List<PlannedResource> plan = template.plan();
        Loopback reader = new Loopback(request.authorization(), correlationId);
        Map<String, String> states = new HashMap<>();
        List<Object> failures = new ArrayList<>();
        List<Object> outputResources = new ArrayList<>();
        int position = 0;
        ExecutorCompletionService<Outcome> inFlight = new ExecutorCompletionService<>(workers);
        Set<String> started_ = new HashSet<>();
        int active = 0;
        List<Outcome> unsaved = new ArrayList<>();
        for (PlannedResource r : plan) {
            if (!r.enabled()) {
                states.put(key(r.id()), "skipped");
            }
        }
        while (true) {
            boolean stop = !failures.isEmpty() || cancel.get();
            if (!stop) {
                for (PlannedResource r : plan) {
                    if (active >= properties.maxInFlight()) {
                        break;
                    }
                    if (states.containsKey(key(r.id())) || started_.contains(key(r.id()))) {
                        continue;
                    }
                    boolean ready = r.dependsOn().stream().allMatch(d -> {
                        String state = states.get(key(d));
                        return "succeeded".equals(state) || "skipped".equals(state);
                    });
                    if (ready) {
                        started_.add(key(r.id()));
                        int at = position++;
                        inFlight.submit(() -> counted(() -> deployOne(request, template, r, reader, at)));
                        active++;
                    }
                }
            }
            // the finished operations are stored once what they unblocked has started: the store is not on the
            // critical path of a dependency chain
            for (Outcome finished : unsaved) {
                repository.saveOperation(id, finished.operationId(), finished.position(), finished.operation());
            }
            unsaved.clear();
            if (active == 0) {
                break;
            }
            try {
                Future<Outcome> done = inFlight.take();
                active--;
                Outcome outcome = done.get();
                states.put(key(outcome.resource().id()), outcome.succeeded() ? "succeeded" : "failed");
                unsaved.add(outcome);
                if (outcome.succeeded()) {
                    outputResources.add(Map.of("id", outcome.resource().id()));
                } else {
                    failures.add(outcome.error());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (java.util.concurrent.ExecutionException e) {
                failures.add(new ArmError("DeploymentFailed", String.valueOf(e.getCause().getMessage()), null));
            }
        }
        props(resource).put("outputResources", outputResources);
        props(resource).put("duration", Duration.between(started, clock.instant()).toString());
        if (cancel.get() && failures.isEmpty()) {
            finish(id, resource, "Canceled", null);
            return;
        }
        if (!failures.isEmpty()) {
            finish(id, resource, "Failed", error("DeploymentFailed", "At least one resource deployment operation "
                    + "failed. Please list deployment operations for details.", failures));
            return;
        }
        try {
            if ("complete".equalsIgnoreCase(request.mode()) && request.scope().resourceGroup() != null) {
                deleteUnlisted(request, plan, reader);
            }
            Map<String, Object> outputs = template.outputs(reader);
            if (!outputs.isEmpty()) {
                props(resource).put("outputs", outputs);
            }
            finish(id, resource, "Succeeded", null);
        } catch (TemplateException | ArmErrorException e) {
            ArmError cause = e instanceof TemplateException t ? new ArmError(t.code(), t.getMessage(), t.target())
                    : ((ArmErrorException) e).error();
            finish(id, resource, "Failed", error("DeploymentOutputEvaluationFailed", "Unable to evaluate the "
                    + "template outputs. Please see error details for more information.", List.of(cause)));
        }
    }

    /** Complete mode: the group's resources the template does not create are deleted. */
    private void deleteUnlisted(Request request, List<PlannedResource> plan, Loopback reader) {
        Set<String> kept = new HashSet<>();
        plan.stream().filter(PlannedResource::enabled).forEach(r -> kept.add(key(r.id())));
        GatewayLoopback.Answer list = gateway.call("GET", request.scope().resourceGroupId()
                + "/resources?api-version=2021-04-01", null, request.authorization(), reader.correlationId);
        Object value = list.object().get("value");
        if (!(value instanceof List<?> items)) {
            return;
        }
        for (Object item : items) {
            @SuppressWarnings("unchecked")
            String id = (String) ((Map<String, Object>) item).get("id");
            if (id == null || kept.contains(key(id)) || id.toLowerCase(Locale.ROOT).contains("/providers/"
                    + TYPE.toLowerCase(Locale.ROOT) + "/")) {
                continue;
            }
            String version = apiVersionFor(id, plan);
            GatewayLoopback.Answer answer = gateway.call("DELETE", id + "?api-version=" + version, null,
                    request.authorization(), reader.correlationId);
            follow(answer, id, version, request.authorization(), reader.correlationId, true);
        }
    }

    private static String apiVersionFor(String id, List<PlannedResource> plan) {
        String lower = id.toLowerCase(Locale.ROOT);
        for (PlannedResource r : plan) {
            if (lower.contains("/providers/" + r.type().toLowerCase(Locale.ROOT) + "/")) {
                return r.apiVersion();
            }
        }
        // the services of this cloud accept their types' stable versions; a GA version every one of them knows
        return lower.contains("microsoft.web") ? "2023-12-01" : "2024-07-01";
    }

    /**
     * Resource operations of all deployments in flight right now, and the most there have been since
     * {@link #resetPeakOperationsInFlight()} (what the template benchmark reads to see the engine's parallelism).
     */
    public int operationsInFlight() {
        return operationsInFlight.get();
    }

    public int peakOperationsInFlight() {
        return peakOperationsInFlight.get();
    }

    public void resetPeakOperationsInFlight() {
        peakOperationsInFlight.set(operationsInFlight.get());
    }

    private <T> T counted(java.util.function.Supplier<T> operation) {
        peakOperationsInFlight.accumulateAndGet(operationsInFlight.incrementAndGet(), Math::max);
        try {
            return operation.get();
        } finally {
            operationsInFlight.decrementAndGet();
        }
    }

    record Outcome(PlannedResource resource, boolean succeeded, String operationId, int position,
                   Map<String, Object> operation, ArmError error) { }

    private Outcome deployOne(Request request, Template template, PlannedResource r, Loopback reader, int position) {
        Instant started = clock.instant();
        String operationId = TemplateHashes.uniqueString(request.id() + "-" + r.id()).toUpperCase(Locale.ROOT);
        Map<String, Object> operation = new LinkedHashMap<>();
        operation.put("id", request.id() + "/operations/" + operationId);
        operation.put("operationId", operationId);
        Map<String, Object> props = new LinkedHashMap<>();
        operation.put("properties", props);
        props.put("provisioningOperation", "Create");
        Map<String, Object> target = new LinkedHashMap<>();
        target.put("id", r.id());
        target.put("resourceType", r.type());
        target.put("resourceName", r.name());
        props.put("targetResource", target);
        ArmError failure = null;
        int status;
        Object message;
        try {
            Map<String, Object> body = template.resourceBody(r, reader);
            if (r.isNestedDeployment()) {
                body.remove("location");
            }
            GatewayLoopback.Answer answer = gateway.call("PUT", r.id() + "?api-version=" + r.apiVersion(), body,
                    request.authorization(), reader.correlationId);
            status = answer.status();
            if (status >= 400) {
                failure = armError(answer.object(), status);
                message = answer.object();
            } else {
                GatewayLoopback.Answer last = follow(answer, r.id(), r.apiVersion(), request.authorization(),
                        reader.correlationId, false);
                Map<String, Object> state = last.object();
                Object error = state.get("error");
                if (error == null && props(state).get("error") != null) {
                    error = props(state).get("error");
                }
                String provisioning = String.valueOf(state.containsKey("status") ? state.get("status")
                        : props(state).getOrDefault("provisioningState", "Succeeded"));
                if (!"succeeded".equalsIgnoreCase(provisioning)) {
                    failure = error instanceof Map<?, ?> ? armError(Map.of("error", error), 409)
                            : new ArmError("ResourceDeploymentFailure", "The resource operation completed with "
                            + "terminal provisioning state '" + provisioning + "'.", null);
                    message = Map.of("error", errorMap(failure));
                    status = 409;
                } else {
                    message = Map.of("status", "OK");
                }
            }
        } catch (TemplateException e) {
            failure = new ArmError(e.code(), e.getMessage(), e.target());
            status = 400;
            message = Map.of("error", errorMap(failure));
        } catch (ArmErrorException e) {
            failure = e.error();
            status = e.status();
            message = Map.of("error", errorMap(failure));
        } catch (GatewayLoopback.LoopbackFailure e) {
            failure = new ArmError("InternalServerError", e.getMessage(), null);
            status = 500;
            message = Map.of("error", errorMap(failure));
        }
        props.put("provisioningState", failure == null ? "Succeeded" : "Failed");
        props.put("timestamp", clock.instant().toString());
        props.put("duration", Duration.between(started, clock.instant()).toString());
        props.put("trackingId", UUID.randomUUID().toString());
        props.put("serviceRequestId", UUID.randomUUID().toString());
        props.put("statusCode", statusName(status));
        props.put("statusMessage", message);
        return new Outcome(r, failure == null, operationId, position, operation, failure);
    }

    /** Follows a write's long-running operation to its end; the last answer (the resource, or the status). */
    private GatewayLoopback.Answer follow(GatewayLoopback.Answer answer, String id, String apiVersion,
                                          String authorization, String correlationId, boolean deleting) {
        Instant deadline = clock.instant().plus(properties.resourceTimeout());
        if (answer.asyncOperation().isPresent()) {
            while (true) {
                GatewayLoopback.Answer status = gateway.call("GET", answer.asyncOperation().get(), null,
                        authorization, correlationId);
                Object state = status.object().get("status");
                if (status.status() >= 400) {
                    throw new ArmErrorException(status.status(), armError(status.object(), status.status()), null);
                }
                if (state != null && TERMINAL.contains(state.toString().toLowerCase(Locale.ROOT))) {
                    if (!"succeeded".equalsIgnoreCase(state.toString()) || deleting) {
                        return status;
                    }
                    return gateway.call("GET", id + "?api-version=" + apiVersion, null, authorization, correlationId);
                }
                pause(deadline, id);
            }
        }
        if (answer.status() == 202 && answer.location().isPresent()) {
            while (true) {
                GatewayLoopback.Answer poll = gateway.call("GET", answer.location().get(), null, authorization,
                        correlationId);
                if (poll.status() != 202) {
                    if (poll.status() >= 400) {
                        throw new ArmErrorException(poll.status(), armError(poll.object(), poll.status()), null);
                    }
                    return deleting ? poll
                            : gateway.call("GET", id + "?api-version=" + apiVersion, null, authorization,
                            correlationId);
                }
                pause(deadline, id);
            }
        }
        if (deleting) {
            return answer;
        }
        GatewayLoopback.Answer current = answer;
        while (true) {
            Object state = props(current.object()).get("provisioningState");
            if (state == null || TERMINAL.contains(state.toString().toLowerCase(Locale.ROOT))) {
                return current;
            }
            pause(deadline, id);
            current = gateway.call("GET", id + "?api-version=" + apiVersion, null, authorization, correlationId);
        }
    }

    private void pause(Instant deadline, String id) {
        if (clock.instant().isAfter(deadline)) {
            throw new ArmErrorException(409, "ResourceDeploymentFailure", "The resource operation of '" + id
                    + "' did not finish within " + properties.resourceTimeout() + ".", null);
        }
        try {
            Thread.sleep(properties.pollInterval());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new GatewayLoopback.LoopbackFailure("Interrupted");
        }
    }

    /** Reads live resources for reference() and list*() through the gateway, as the deploying caller. */
    private final class Loopback implements ResourceReader {

        private final String authorization;
        private final String correlationId;

        Loopback(String authorization, String correlationId) {
            this.authorization = authorization;
            this.correlationId = correlationId;
        }

        @Override
        public Map<String, Object> read(String resourceId, String apiVersion) {
            GatewayLoopback.Answer answer = gateway.call("GET", resourceId + "?api-version=" + apiVersion, null,
                    authorization, correlationId);
            if (answer.status() >= 400) {
                throw new ArmErrorException(answer.status(), armError(answer.object(), answer.status()), null);
            }
            return new LinkedHashMap<>(answer.object());
        }

        @Override
        public Object post(String resourceId, String action, String apiVersion, Object body) {
            GatewayLoopback.Answer answer = gateway.call("POST", resourceId + "/" + action + "?api-version="
                    + apiVersion, body, authorization, correlationId);
            if (answer.status() >= 400) {
                throw new ArmErrorException(answer.status(), armError(answer.object(), answer.status()), null);
            }
            return answer.body();
        }
    }

    // ------------------------------------------------------------------------------------------ helpers

    private Template load(Request request) {
        try {
            return Template.load(request.template(), request.parameters(), request.scope(), clock);
        } catch (TemplateException e) {
            throw new ArmErrorException(400, e.code(), e.getMessage(), e.target());
        }
    }

    /**
     * ARM's preflight, as far as the gateway knows it: every resource's namespace, type and api-version must be
     * one the provider registry serves, else 400 {@code InvalidTemplateDeployment} with one detail per resource
     * ({@code InvalidResourceNamespace}, {@code InvalidResourceType}, {@code NoRegisteredProviderFound}).
     * Nested deployments and resource groups are ARM's own.
     */
    private void preflight(Request request, List<PlannedResource> plan) {
        List<ArmError> details = new ArrayList<>();
        for (PlannedResource r : plan) {
            if (!r.enabled() || r.type().regionMatches(true, 0, ProviderRegistry.RESOURCE_MANAGER + "/", 0,
                    ProviderRegistry.RESOURCE_MANAGER.length() + 1)) {
                continue;
            }
            String[] type = r.type().split("/", 2);
            if (registry.provider(type[0]).isEmpty()) {
                details.add(new ArmError("InvalidResourceNamespace", "The resource namespace '" + type[0]
                        + "' is invalid.", r.path()));
            } else if (registry.type(type[0], type[1]).isEmpty()) {
                details.add(new ArmError("InvalidResourceType", "The resource type '" + type[1] + "' could not be "
                        + "found in the namespace '" + type[0] + "' for api version '" + r.apiVersion() + "'.",
                        r.path()));
            } else if (!registry.accepts(type[0], type[1], r.apiVersion())) {
                ProviderRegistry.ResourceType known = registry.type(type[0], type[1]).orElseThrow();
                details.add(new ArmError("NoRegisteredProviderFound", "No registered resource provider found for "
                        + "API version '" + r.apiVersion() + "' and type '" + r.type() + "'. The supported "
                        + "api-versions are '" + String.join(", ", known.apiVersions()) + "'.", r.path()));
            }
        }
        if (!details.isEmpty()) {
            throw new ArmErrorException(400, new ArmError("InvalidTemplateDeployment", "The template deployment '"
                    + request.scope().deploymentName() + "' is not valid according to the validation procedure. "
                    + "The tracking id is '" + UUID.randomUUID() + "'. See inner errors for details.", null,
                    List.copyOf(details)), null);
        }
    }

    private static List<PlannedResource> plan(Template template) {
        try {
            return template.plan();
        } catch (TemplateException e) {
            throw new ArmErrorException(400, e.code(), e.getMessage(), e.target());
        }
    }

    private Map<String, Object> resource(Request request, Template template, String state) {
        Map<String, Object> resource = new LinkedHashMap<>();
        resource.put("id", request.id());
        resource.put("name", request.scope().deploymentName());
        resource.put("type", TYPE);
        if (request.scope().location() != null) {
            resource.put("location", request.scope().location());
        }
        Map<String, Object> props = new LinkedHashMap<>();
        props.put("templateHash", Long.toUnsignedString(TemplateHashes.murmur(Values.json(template.definition()))));
        props.put("parameters", template.displayedParameters());
        props.put("mode", canonicalMode(request.mode()));
        props.put("provisioningState", state);
        props.put("timestamp", clock.instant().toString());
        props.put("duration", "PT0S");
        props.put("correlationId", UUID.randomUUID().toString());
        List<Object> providers = new ArrayList<>();
        Map<String, Set<String>> types = new LinkedHashMap<>();
        List<Object> dependencies = new ArrayList<>();
        for (PlannedResource r : template.plan()) {
            String[] type = r.type().split("/", 2);
            types.computeIfAbsent(type[0], k -> new java.util.LinkedHashSet<>()).add(type[1]);
            if (!r.dependsOn().isEmpty()) {
                List<Object> on = new ArrayList<>();
                r.dependsOn().forEach(d -> on.add(Map.of("id", d)));
                dependencies.add(Map.of("id", r.id(), "resourceType", r.type(), "resourceName", r.name(),
                        "dependsOn", on));
            }
        }
        types.forEach((ns, names) -> providers.add(Map.of("namespace", ns, "resourceTypes",
                names.stream().map(n -> (Object) Map.of("resourceType", n)).toList())));
        props.put("providers", providers);
        props.put("dependencies", dependencies);
        Object link = request.body() == null ? null : Values.property(props(request.body()), "templateLink");
        if (link != null) {
            props.put("templateLink", link);
        }
        resource.put("properties", props);
        return resource;
    }

    static String canonicalMode(String mode) {
        return "complete".equalsIgnoreCase(mode) ? "Complete" : "Incremental";
    }

    private void finish(String id, Map<String, Object> resource, String state, Map<String, Object> error) {
        props(resource).put("provisioningState", state);
        props(resource).put("timestamp", clock.instant().toString());
        if (error != null) {
            props(resource).put("error", error);
        }
        repository.update(id, state, resource, clock.instant());
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> props(Map<String, Object> resource) {
        Object props = resource.get("properties");
        if (props instanceof Map<?, ?> m) {
            return (Map<String, Object>) m;
        }
        return new HashMap<>();
    }

    private static Map<String, Object> error(String code, String message, List<Object> details) {
        Map<String, Object> error = new LinkedHashMap<>();
        error.put("code", code);
        error.put("message", message);
        if (!details.isEmpty()) {
            List<Object> shown = new ArrayList<>();
            details.forEach(d -> shown.add(d instanceof ArmError e ? errorMap(e) : d));
            error.put("details", shown);
        }
        return error;
    }

    static Map<String, Object> errorMap(ArmError error) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("code", error.code());
        out.put("message", error.message());
        if (error.target() != null) {
            out.put("target", error.target());
        }
        return out;
    }

    @SuppressWarnings("unchecked")
    private static ArmError armError(Map<String, Object> body, int status) {
        Object error = body.get("error");
        if (error instanceof Map<?, ?> e) {
            Map<String, Object> m = (Map<String, Object>) e;
            return new ArmError(String.valueOf(m.getOrDefault("code", "ResourceDeploymentFailure")),
                    String.valueOf(m.getOrDefault("message", "")), (String) m.get("target"));
        }
        return new ArmError(status >= 500 ? "InternalServerError" : "ResourceDeploymentFailure",
                "The resource operation failed with status " + status + ".", null);
    }

    private static String statusName(int status) {
        return switch (status) {
            case 200 -> "OK";
            case 201 -> "Created";
            case 202 -> "Accepted";
            case 204 -> "NoContent";
            case 400 -> "BadRequest";
            case 401 -> "Unauthorized";
            case 403 -> "Forbidden";
            case 404 -> "NotFound";
            case 409 -> "Conflict";
            default -> status >= 500 ? "InternalServerError" : String.valueOf(status);
        };
    }

    private static ArmErrorException notFound(String name) {
        return new ArmErrorException(404, "DeploymentNotFound", "Deployment '" + name + "' could not be found.",
                null);
    }

    private static String key(String id) {
        return id.toLowerCase(Locale.ROOT);
    }
}
