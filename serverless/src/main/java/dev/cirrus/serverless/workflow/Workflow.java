package dev.cirrus.serverless.workflow;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import tools.jackson.databind.JsonNode;

/**
 * A Logic Apps workflow ({@code Microsoft.Logic/workflows}, Consumption): its definition, parameter values, state and
 * version. Plain data; the changes return the new state with what they cause ({@link Transition}): a new version
 * whenever the definition, parameters or state change.
 *
 * @param key        the ARM id in lower case
 * @param resourceId the ARM id as first written
 * @param state      Enabled or Disabled
 * @param accessId   the id in the callback URLs ({@code /workflows/{accessId}/triggers/…})
 * @param accessKey  the key the callback URLs' {@code sig} is an HMAC under
 * @param version    the current version's name
 */
public record Workflow(String key, String resourceId, String subscriptionId, String resourceGroup, String name,
                       String location, String state, JsonNode definition, JsonNode parameters,
                       Map<String, String> tags, String accessId, String accessKey, String version,
                       Instant createdAt, Instant changedAt, String etag) {

    public static final String ENABLED = "Enabled";
    public static final String DISABLED = "Disabled";

    /** A change: the workflow after it, and whether it made a new version. */
    public record Transition(Workflow workflow, boolean newVersion) {
    }

    public static Transition create(String resourceId, String subscriptionId, String resourceGroup, String name,
                                    String location, String state, JsonNode definition, JsonNode parameters,
                                    Map<String, String> tags, String accessId, String accessKey, String version,
                                    Instant now, String etag) {
        return new Transition(new Workflow(resourceId.toLowerCase(java.util.Locale.ROOT), resourceId, subscriptionId,
                resourceGroup, name, location, state, definition, parameters, tags, accessId, accessKey, version, now,
                now, etag), true);
    }

    /** A PUT of an existing workflow: a new version when the definition, parameters or state differ. */
    public Transition replace(String newState, JsonNode newDefinition, JsonNode newParameters,
                              Map<String, String> newTags, Instant now, String newVersion, String newEtag) {
        boolean changed = !definition.equals(newDefinition) || !parameters.equals(newParameters)
                || !state.equals(newState);
        if (!changed && tags.equals(newTags)) {
            return new Transition(this, false);
        }
        return new Transition(new Workflow(key, resourceId, subscriptionId, resourceGroup, name, location, newState,
                newDefinition, newParameters, newTags, accessId, accessKey, changed ? newVersion : version, createdAt,
                now, newEtag), changed);
    }

    /** A PATCH: tags and state only (null: unchanged). */
    public Transition patch(String newState, Map<String, String> newTags, Instant now, String newVersion,
                            String newEtag) {
        return replace(newState == null ? state : newState, definition, parameters,
                newTags == null ? tags : newTags, now, newVersion, newEtag);
    }

    public Transition enable(Instant now, String newVersion, String newEtag) {
        return patch(ENABLED, null, now, newVersion, newEtag);
    }

    public Transition disable(Instant now, String newVersion, String newEtag) {
        return patch(DISABLED, null, now, newVersion, newEtag);
    }

    public boolean enabled() {
        return ENABLED.equals(state);
    }

    /** The trigger of that name in the definition (names are case-insensitive), or null. */
    public String triggerName(String given) {
        JsonNode triggers = definition.path("triggers");
        for (String t : triggers.propertyNames()) {
            if (t.equalsIgnoreCase(given)) {
                return t;
            }
        }
        return null;
    }

    public List<String> triggerNames() {
        return List.copyOf(definition.path("triggers").propertyNames());
    }

    public JsonNode trigger(String name) {
        return definition.path("triggers").path(name);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Workflow w && key.equals(w.key) && Objects.equals(etag, w.etag);
    }

    @Override
    public int hashCode() {
        return Objects.hash(key, etag);
    }
}
