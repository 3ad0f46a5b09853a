package dev.cirrus.serverless.workflow;

import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

import dev.cirrus.contracts.arm.ArmJson;
import dev.cirrus.contracts.arm.ArmTags;
import dev.cirrus.contracts.arm.Preconditions;
import dev.cirrus.plumbing.arm.ArmException;
import dev.cirrus.plumbing.arm.Regions;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Workflows: the management plane of {@code Microsoft.Logic/workflows}. Each change is load → decide (the plain
 * {@link Workflow}) → save (the row, a new version row when the definition, parameters or state changed, the trigger
 * schedules) in one transaction.
 */
@Service
public class Workflows {

    public static final String TYPE = "Microsoft.Logic/workflows";
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_.()\\-]{1,80}");
    private static final String SCHEMA =
            "https://schema.management.azure.com/providers/Microsoft.Logic/schemas/2016-06-01/workflowdefinition.json#";

    /** A page of a list: the workflows and the key the next page starts after (null on the last page). */
    public record Page(List<Workflow> workflows, String lastKey) {
    }

    /** The outcome of a PUT: the workflow and whether it was created by it. */
    public record Saved(Workflow workflow, boolean created) {
    }

    private final WorkflowRepository repository;
    private final Schedules schedules;
    private final Regions regions;
    private final Clock clock;

    Workflows(WorkflowRepository repository, Schedules schedules, Regions regions, Clock clock) {
        this.repository = repository;
        this.schedules = schedules;
        this.regions = regions;
        this.clock = clock;
    }

    public static String resourceId(String sub, String rg, String name) {
        return "/subscriptions/" + sub + "/resourceGroups/" + rg + "/providers/" + TYPE + "/" + name;
    }

    @Transactional
    public Saved createOrUpdate(String sub, String rg, String name, JsonNode body, Preconditions preconditions) {
        checkName(name);
        ArmJson.requireObject(body);
        String locationText = ArmJson.string(body, "location", "location");
        if (locationText == null || locationText.isBlank()) {
            throw ArmException.badRequest("LocationRequired", "The location property is required for this definition.",
                    "location");
        }
        String location = regions.require(locationText, TYPE, "location");
        JsonNode properties = ArmJson.object(body, "properties", "properties");
        String state = state(properties);
        JsonNode definition = properties == null || properties.get("definition") == null
                || properties.get("definition").isNull() ? blankDefinition() : properties.get("definition");
        JsonNode parameters = properties == null || properties.get("parameters") == null
                || properties.get("parameters").isNull() ? JsonNodeFactory.instance.objectNode()
                : properties.get("parameters");
        if (!parameters.isObject()) {
            throw ArmJson.wrongType("properties.parameters", "object");
        }
        Definitions.validate(definition, parameters);
        Map<String, String> tags = ArmTags.read(body);
        Instant now = now();
        Optional<Workflow> existing = repository.findForUpdate(resourceId(sub, rg, name));
        if (existing.isPresent()) {
            Workflow old = existing.get();
            preconditions.checkPut(old.etag());
            if (!old.location().equals(location)) {
                throw ArmException.conflict("InvalidResourceLocation", "The resource '" + name + "' already exists in "
                        + "location '" + old.location() + "' in resource group '" + old.resourceGroup() + "'. A "
                        + "resource with the same name cannot be created in location '" + location + "'. Please "
                        + "select a new resource name.");
            }
            Workflow.Transition t = old.replace(state == null ? old.state() : state, definition, parameters, tags, now,
                    Names.version(now), Preconditions.newEtag());
            save(t, now);
            return new Saved(t.workflow(), false);
        }
        preconditions.checkPut(null);
        Workflow.Transition t = Workflow.create(resourceId(sub, rg, name), sub, rg, name, location,
                state == null ? Workflow.ENABLED : state, definition, parameters, tags, CallbackSigner.newAccessId(),
                CallbackSigner.newKey(), Names.version(now), now, Preconditions.newEtag());
        repository.insert(t.workflow());
        repository.insertVersion(t.workflow());
        schedules.arm(t.workflow(), now);
        return new Saved(t.workflow(), true);
    }

    /** PATCH: tags and {@code properties.state}; the definition is changed by a PUT. */
    @Transactional
    public Workflow patch(String sub, String rg, String name, JsonNode body, Preconditions preconditions) {
        ArmJson.requireObject(body);
        JsonNode properties = ArmJson.object(body, "properties", "properties");
        String state = state(properties);
        if (properties != null && properties.has("definition")) {
            throw ArmException.badRequest("InvalidRequestContent", "The workflow definition cannot be changed by a "
                    + "PATCH: send the whole workflow with a PUT.", "properties.definition");
        }
        Map<String, String> tags = body.has("tags") ? ArmTags.read(body) : null;
        Workflow old = repository.findForUpdate(resourceId(sub, rg, name)).orElseThrow(() -> notFound(rg, name));
        preconditions.checkExisting(old.etag());
        Instant now = now();
        Workflow.Transition t = old.patch(state, tags, now, Names.version(now), Preconditions.newEtag());
        save(t, now);
        return t.workflow();
    }

    @Transactional
    public Workflow setState(String sub, String rg, String name, boolean enable) {
        Workflow old = repository.findForUpdate(resourceId(sub, rg, name)).orElseThrow(() -> notFound(rg, name));
        Instant now = now();
        Workflow.Transition t = enable ? old.enable(now, Names.version(now), Preconditions.newEtag())
                : old.disable(now, Names.version(now), Preconditions.newEtag());
        save(t, now);
        return t.workflow();
    }

    public Workflow get(String sub, String rg, String name) {
        return repository.find(resourceId(sub, rg, name)).orElseThrow(() -> notFound(rg, name));
    }

    /** DELETE: true when the workflow existed (200), false when there was none (204); its runs go with it. */
    @Transactional
    public boolean delete(String sub, String rg, String name, Preconditions preconditions) {
        Optional<Workflow> existing = repository.findForUpdate(resourceId(sub, rg, name));
        if (existing.isEmpty()) {
            return false;
        }
        preconditions.checkDelete(existing.get().etag());
        repository.delete(existing.get().key());
        return true;
    }

    public Page list(String sub, String rg, String after, int size) {
        List<Workflow> rows = repository.list(sub, rg, after, size + 1);
        boolean more = rows.size() > size;
        List<Workflow> shown = more ? rows.subList(0, size) : rows;
        return new Page(shown, more ? shown.getLast().key() : null);
    }

    public WorkflowRepository.Version version(String sub, String rg, String name, String version) {
        Workflow w = get(sub, rg, name);
        return repository.version(w.key(), version).orElseThrow(() -> ArmException.notFound("WorkflowVersionNotFound",
                "The workflow '" + name + "' version '" + version + "' could not be found."));
    }

    public List<WorkflowRepository.Version> versions(Workflow w, String after, int size) {
        return repository.versions(w.key(), after, size);
    }

    /** The trigger of that name (case-insensitive) or 404 {@code WorkflowTriggerNotFound}. */
    public static String requireTrigger(Workflow w, String trigger) {
        String name = w.triggerName(trigger);
        if (name == null) {
            throw ArmException.notFound("WorkflowTriggerNotFound", "The workflow '" + w.name() + "' trigger '"
                    + trigger + "' could not be found.");
        }
        return name;
    }

    private void save(Workflow.Transition t, Instant now) {
        repository.update(t.workflow());
        if (t.newVersion()) {
            repository.insertVersion(t.workflow());
            schedules.arm(t.workflow(), now);
        }
    }

    private static String state(JsonNode properties) {
        String state = properties == null ? null : ArmJson.string(properties, "state", "properties.state");
        if (state == null) {
            return null;
        }
        if (state.equalsIgnoreCase(Workflow.ENABLED)) {
            return Workflow.ENABLED;
        }
        if (state.equalsIgnoreCase(Workflow.DISABLED)) {
            return Workflow.DISABLED;
        }
        throw ArmException.badRequest("InvalidWorkflowState", "The workflow state '" + state + "' is not valid: a "
                + "workflow can be created or updated as Enabled or Disabled.", "properties.state");
    }

    private static void checkName(String name) {
        if (name == null || !NAME.matcher(name).matches()) {
            throw ArmException.badRequest("InvalidResourceName", "The resource name '" + name + "' is invalid. The "
                    + "name can contain only letters, numbers, underscores (_), periods (.), parentheses, and hyphens "
                    + "(-), and be at most 80 characters.", "name");
        }
    }

    private static JsonNode blankDefinition() {
        ObjectNode d = JsonNodeFactory.instance.objectNode();
        d.put("$schema", SCHEMA);
        d.put("contentVersion", "1.0.0.0");
        d.putObject("parameters");
        d.putObject("triggers");
        d.putObject("actions");
        d.putObject("outputs");
        return d;
    }

    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MICROS);
    }

    public static ArmException notFound(String rg, String name) {
        return ArmException.notFound("ResourceNotFound", "The Resource '" + TYPE + "/" + name
                + "' under resource group '" + rg + "' was not found.");
    }
}
