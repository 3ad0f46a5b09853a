package dev.cirrus.gateway.resourcegroup;

import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

import dev.cirrus.contracts.events.EventTypes;
import dev.cirrus.plumbing.arm.ArmException;

/**
 * A resource group: a name unique per subscription (compared case-insensitively, shown in the
 * casing last supplied), an immutable location, tags and an optional managedBy.
 *
 * <p>Transitions check the rules and return the {@link Change} they cause, with the event type to publish:
 * {@link #create}, {@link #update} (a PUT of an existing group), {@link #patch}, {@link #delete}.
 *
 * @param subscriptionId lower-cased subscription GUID
 * @param name           the casing last supplied
 * @param location       normalised: lower-case without spaces ({@code "West US"} is {@code westus})
 * @param deleteOperationId the operation deleting the group (it is then {@code Deleting}), or null
 */
record ResourceGroup(String subscriptionId, String name, String location, Map<String, String> tags,
                     String managedBy, String deleteOperationId) {

    ResourceGroup(String subscriptionId, String name, String location, Map<String, String> tags, String managedBy) {
        this(subscriptionId, name, location, tags, managedBy, null);
    }

    static final String TYPE = "Microsoft.Resources/resourceGroups";

    /** ARM's rule: 1 to 90 letters, digits, '-', '_', '(', ')' and '.'; not ending with '.'. */
    private static final Pattern NAME = Pattern.compile("[\\p{L}\\p{N}\\-_().]{1,90}");
    private static final Pattern LOCATION = Pattern.compile("[a-z0-9]{1,90}");

    /** The result of a transition: the group as it is afterwards, and the event it causes. */
    record Change(ResourceGroup group, boolean created, String eventType) {
    }

    static Change create(String subscriptionId, String name, ResourceGroupDefinition definition) {
        checkName(name);
        ResourceGroup group = new ResourceGroup(subscriptionId, name, normalisedLocation(definition.location()),
                definition.tags(), definition.managedBy());
        return new Change(group, true, EventTypes.RESOURCE_GROUP_WRITTEN);
    }

    /** A PUT of an existing group: replaces tags and managedBy; the location must stay. */
    Change update(String suppliedName, ResourceGroupDefinition definition) {
        checkName(suppliedName);
        requireNotDeleting();
        requireLocation(definition.location());
        ResourceGroup group = new ResourceGroup(subscriptionId, suppliedName, location, definition.tags(),
                definition.managedBy(), null);
        return new Change(group, false, EventTypes.RESOURCE_GROUP_WRITTEN);
    }

    /** A PATCH: replaces the tags and managedBy the body names, keeps the rest. */
    Change patch(String suppliedName, ResourceGroupPatch patch) {
        requireNotDeleting();
        if (patch.location() != null) {
            requireLocation(patch.location());
        }
        ResourceGroup group = new ResourceGroup(subscriptionId, suppliedName, location,
                patch.tags() != null ? patch.tags() : tags, patch.hasManagedBy() ? patch.managedBy() : managedBy);
        return new Change(group, false, EventTypes.RESOURCE_GROUP_WRITTEN);
    }

    /**
     * A DELETE: the group becomes {@code Deleting} under the given operation (no event yet: the group is deleted,
     * and {@code ResourceGroupDeleted} published, once every resource in it is gone). A group already being deleted
     * stays under its first operation.
     */
    ResourceGroup beginDeletion(String operationId) {
        return deleting() ? this : new ResourceGroup(subscriptionId, name, location, tags, managedBy, operationId);
    }

    /** The end of the deletion: every resource of the group is gone. */
    Change delete() {
        return new Change(this, false, EventTypes.RESOURCE_GROUP_DELETED);
    }

    boolean deleting() {
        return deleteOperationId != null;
    }

    /** ARM's provisioningState of a group: Succeeded once written, Deleting from its DELETE until it is gone. */
    String provisioningState() {
        return deleting() ? "Deleting" : "Succeeded";
    }

    /** Refuses a write into (or onto) a group being deleted, as ARM does. */
    void requireNotDeleting() {
        if (deleting()) {
            throw beingDeleted(name);
        }
    }

    static ArmException beingDeleted(String name) {
        return ArmException.conflict("ResourceGroupBeingDeleted", "The resource group '" + name
                + "' is in deprovisioning state and cannot perform this operation.");
    }

    /** {@code /subscriptions/{sub}/resourceGroups/{name}}, ARM's canonical casing of the type segment. */
    String id() {
        return "/subscriptions/" + subscriptionId + "/resourceGroups/" + name;
    }

    /** The identity of a name: ARM compares resource group names case-insensitively. */
    static String key(String name) {
        return name.toLowerCase(Locale.ROOT);
    }

    static void checkName(String name) {
        if (!NAME.matcher(name).matches() || name.endsWith(".")) {
            throw ArmException.badRequest("InvalidResourceGroupName", "The resource group name '" + name
                    + "' is invalid. A resource group name has 1 to 90 characters: letters, digits, '-', '_', '(', "
                    + "')' and '.', and does not end with '.'.", "resourceGroupName");
        }
    }

    /** {@code "West US"}, {@code "westus"} and {@code "West us"} are the same location to ARM. */
    static String normalisedLocation(String location) {
        String normalised = location.replaceAll("\\s+", "").toLowerCase(Locale.ROOT);
        if (!LOCATION.matcher(normalised).matches()) {
            throw ArmException.badRequest("LocationNotAvailableForResourceGroup",
                    "The provided location '" + location + "' is not available for resource group.", "location");
        }
        return normalised;
    }

    private void requireLocation(String requested) {
        if (!normalisedLocation(requested).equals(location)) {
            throw ArmException.conflict("InvalidResourceGroupLocation", "Invalid resource group location '"
                    + requested + "'. The Resource group already exists in location '" + location + "'.");
        }
    }
}
