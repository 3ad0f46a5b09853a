package dev.cirrus.contracts.arm;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * An ARM resource id, parsed and formatted:
 * <pre>
 *   /subscriptions/{sub}
 *   /subscriptions/{sub}/resourceGroups/{rg}
 *   /subscriptions/{sub}/resourceGroups/{rg}/providers/{Namespace}/{type}/{name}[/{childType}/{childName}]...
 *   /subscriptions/{sub}/providers/{Namespace}/{type}/{name}...     (a subscription-level resource)
 * </pre>
 * Example: {@code /subscriptions/0000…/resourceGroups/rg/providers/Microsoft.Compute/virtualMachines/vm1/extensions/e}
 * has namespace {@code Microsoft.Compute}, type {@code Microsoft.Compute/virtualMachines/extensions}, name {@code e},
 * and its {@link #parent()} is the VM. ARM compares ids case-insensitively and keeps the casing the user gave, so
 * {@link #equals} ignores case while {@link #toString()} echoes the original casing. Empty segments ({@code //}),
 * which some clients send, are dropped as ARM drops them.
 *
 * @param subscriptionId the subscription
 * @param resourceGroup  the group, or null for a subscription-level id
 * @param namespace      the provider namespace, or null for a subscription or group id
 * @param types          the resource type segments, outermost first (empty without a namespace)
 * @param names          the names, one per type segment
 */
public record ResourceId(String subscriptionId, String resourceGroup, String namespace, List<String> types,
                         List<String> names) {

    public ResourceId {
        if (subscriptionId == null || subscriptionId.isEmpty()) {
            throw new IllegalArgumentException("a resource id needs a subscription");
        }
        types = List.copyOf(types);
        names = List.copyOf(names);
        if (types.size() != names.size() || (namespace == null) != types.isEmpty()) {
            throw new IllegalArgumentException("every resource type segment needs a name, and a namespace");
        }
    }

    public static ResourceId subscription(String subscriptionId) {
        return new ResourceId(subscriptionId, null, null, List.of(), List.of());
    }

    public static ResourceId resourceGroup(String subscriptionId, String resourceGroup) {
        return new ResourceId(subscriptionId, resourceGroup, null, List.of(), List.of());
    }

    /** A top-level resource in a group: {@code of(sub, "rg", "Microsoft.Compute", "virtualMachines", "vm1")}. */
    public static ResourceId of(String subscriptionId, String resourceGroup, String namespace, String type, String name) {
        return new ResourceId(subscriptionId, resourceGroup, namespace, List.of(type), List.of(name));
    }

    /** This resource's child: {@code vm.child("extensions", "e")}. */
    public ResourceId child(String type, String name) {
        if (namespace == null) {
            throw new IllegalStateException("only a provider resource has children: " + this);
        }
        List<String> t = new ArrayList<>(types);
        List<String> n = new ArrayList<>(names);
        t.add(type);
        n.add(name);
        return new ResourceId(subscriptionId, resourceGroup, namespace, t, n);
    }

    /** The resource this one is a child of, the group for a top-level resource, the subscription for a group. */
    public Optional<ResourceId> parent() {
        if (types.size() > 1) {
            return Optional.of(new ResourceId(subscriptionId, resourceGroup, namespace, types.subList(0, types.size() - 1),
                    names.subList(0, names.size() - 1)));
        }
        if (types.size() == 1) {
            return Optional.of(resourceGroup == null ? subscription(subscriptionId)
                    : resourceGroup(subscriptionId, resourceGroup));
        }
        return resourceGroup == null ? Optional.empty() : Optional.of(subscription(subscriptionId));
    }

    /** {@code Microsoft.Compute/virtualMachines/extensions}; {@code Microsoft.Resources/resourceGroups} for a group. */
    public String type() {
        if (namespace == null) {
            return resourceGroup == null ? "Microsoft.Resources/subscriptions" : "Microsoft.Resources/resourceGroups";
        }
        return namespace + "/" + String.join("/", types);
    }

    /** The last name: the resource's own name (the group's name for a group id). */
    public String name() {
        if (!names.isEmpty()) {
            return names.getLast();
        }
        return resourceGroup != null ? resourceGroup : subscriptionId;
    }

    public boolean isTopLevel() {
        return types.size() == 1;
    }

    /**
     * Parses an id, or empty when the text is not one. Segment names ({@code subscriptions}, {@code resourceGroups},
     * {@code providers}) match case-insensitively; empty segments are dropped.
     */
    public static Optional<ResourceId> parse(String text) {
        if (text == null || !text.startsWith("/")) {
            return Optional.empty();
        }
        List<String> s = new ArrayList<>();
        for (String segment : text.split("/")) {
            if (!segment.isEmpty()) {
                s.add(segment);
            }
        }
        if (s.size() < 2 || !s.get(0).equalsIgnoreCase("subscriptions") || !clean(s.get(1))) {
            return Optional.empty();
        }
        String subscription = s.get(1);
        int i = 2;
        String group = null;
        if (s.size() > i && s.get(i).equalsIgnoreCase("resourceGroups")) {
            if (s.size() < i + 2 || !clean(s.get(i + 1))) {
                return Optional.empty();
            }
            group = s.get(i + 1);
            i += 2;
        }
        if (s.size() == i) {
            return Optional.of(new ResourceId(subscription, group, null, List.of(), List.of()));
        }
        if (!s.get(i).equalsIgnoreCase("providers") || s.size() < i + 4 || (s.size() - i - 2) % 2 != 0) {
            return Optional.empty();
        }
        String namespace = s.get(i + 1);
        List<String> types = new ArrayList<>();
        List<String> names = new ArrayList<>();
        for (int j = i + 2; j < s.size(); j += 2) {
            if (!clean(s.get(j)) || !clean(s.get(j + 1))) {
                return Optional.empty();
            }
            types.add(s.get(j));
            names.add(s.get(j + 1));
        }
        return clean(namespace) ? Optional.of(new ResourceId(subscription, group, namespace, types, names))
                : Optional.empty();
    }

    /**
     * Parses an id a request body refers to, refusing it as ARM does: 400 {@code LinkedInvalidPropertyId} naming the
     * property.
     */
    public static ResourceId require(String text, String target) {
        return parse(text).orElseThrow(() -> ArmErrorException.badRequest("LinkedInvalidPropertyId",
                "Property id '" + text + "' at path '" + target + "' is invalid. Expect fully qualified resource Id "
                        + "that start with '/subscriptions/{subscriptionId}' or '/providers/{resourceProviderNamespace}/'.",
                target));
    }

    private static final java.util.regex.Pattern GUID =
            java.util.regex.Pattern.compile("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");

    /** Subscription ids are GUIDs; anything else is 400 {@code InvalidSubscriptionId}, as ARM refuses it. */
    public static String requireSubscriptionId(String subscriptionId) {
        if (subscriptionId == null || !GUID.matcher(subscriptionId).matches()) {
            throw ArmErrorException.badRequest("InvalidSubscriptionId", "The provided subscription identifier '"
                    + ArmTags.printable(subscriptionId) + "' is malformed or invalid.", null);
        }
        return subscriptionId;
    }

    /** No control characters in a segment. */
    private static boolean clean(String segment) {
        return segment.chars().noneMatch(Character::isISOControl);
    }

    /** The same id in lower case: a stable key (database keys, Kafka record keys). */
    public String key() {
        return toString().toLowerCase(Locale.ROOT);
    }

    @Override
    public String toString() {
        StringBuilder id = new StringBuilder("/subscriptions/").append(subscriptionId);
        if (resourceGroup != null) {
            id.append("/resourceGroups/").append(resourceGroup);
        }
        if (namespace != null) {
            id.append("/providers/").append(namespace);
            for (int i = 0; i < types.size(); i++) {
                id.append('/').append(types.get(i)).append('/').append(names.get(i));
            }
        }
        return id.toString();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ResourceId other && key().equals(other.key());
    }

    @Override
    public int hashCode() {
        return key().hashCode();
    }

    /** Drops empty path segments ({@code /a//b/} → {@code /a/b}), as ARM does before routing a request. */
    public static String collapseEmptySegments(String path) {
        if (path == null || !path.contains("//")) {
            return path;
        }
        String collapsed = java.util.Arrays.stream(path.split("/")).filter(p -> !p.isEmpty())
                .collect(Collectors.joining("/", "/", ""));
        return path.endsWith("/") && !collapsed.equals("/") ? collapsed + "/" : collapsed;
    }
}
