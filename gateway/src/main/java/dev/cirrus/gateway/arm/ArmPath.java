package dev.cirrus.gateway.arm;

import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The parts of an ARM request path the gateway acts on, read case-insensitively with the user's casing kept.
 *
 * <p>Example: {@code /subscriptions/0b1f.../resourceGroups/Demo/providers/microsoft.compute/virtualMachines/vm1}
 * has subscription {@code 0b1f...}, resource group {@code Demo} (and is inside it), provider namespace
 * {@code microsoft.compute} and resource type {@code virtualMachines}.
 *
 * @param segments the decoded path segments, without empty ones
 */
public record ArmPath(List<String> segments) {

    public ArmPath {
        segments = segments.stream().filter(s -> !s.isEmpty()).toList();
    }

    /** True for the paths ARM serves (and that therefore need an api-version): subscriptions and providers. */
    public boolean isArm() {
        return !segments.isEmpty() && (is(0, "subscriptions") || is(0, "providers"));
    }

    /** The subscription segment of {@code /subscriptions/{sub}/...}, as supplied. */
    public Optional<String> subscriptionId() {
        return is(0, "subscriptions") && segments.size() > 1 ? Optional.of(segments.get(1)) : Optional.empty();
    }

    /** True for {@code xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx} in hexadecimal digits of either case. */
    public static boolean isGuid(String value) {
        if (value.length() != 36) {
            return false;
        }
        for (int i = 0; i < 36; i++) {
            char c = value.charAt(i);
            boolean ok = i == 8 || i == 13 || i == 18 || i == 23 ? c == '-'
                    : c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F';
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    /** The resource group segment of {@code /subscriptions/{sub}/resourceGroups/{rg}/...}, as supplied. */
    public Optional<String> resourceGroup() {
        return subscriptionId().isPresent() && is(2, "resourcegroups") && segments.size() > 3
                ? Optional.of(segments.get(3)) : Optional.empty();
    }

    /** True when the path addresses something inside a resource group rather than the group itself. */
    public boolean isInsideResourceGroup() {
        return resourceGroup().isPresent() && segments.size() > 4;
    }

    /** The segment after the first {@code providers} segment, as supplied (e.g. {@code Microsoft.Compute}). */
    public Optional<String> providerNamespace() {
        int i = providersIndex();
        return i >= 0 && i + 1 < segments.size() ? Optional.of(segments.get(i + 1)) : Optional.empty();
    }

    /** The resource type after the namespace, e.g. {@code virtualMachines}; empty when the path stops earlier. */
    public Optional<String> resourceType() {
        int i = providersIndex();
        return i >= 0 && i + 2 < segments.size() ? Optional.of(segments.get(i + 2)) : Optional.empty();
    }

    /**
     * The resource type a path addresses, from its LAST {@code providers} segment (a role assignment under a VM is a
     * {@code Microsoft.Authorization/roleAssignments}): {namespace, type}, as supplied; empty without a type.
     */
    public Optional<List<String>> addressedType() {
        for (int i = segments.size() - 1; i >= 0; i--) {
            if (is(i, "providers")) {
                return i + 2 < segments.size() ? Optional.of(List.of(segments.get(i + 1), segments.get(i + 2)))
                        : Optional.empty();
            }
        }
        return Optional.empty();
    }

    /**
     * The {@code Microsoft.Resources} type of a path that ARM serves itself (no resource provider behind it), as the
     * providers catalogue names it: {@code subscriptions} ({@code /subscriptions[/{sub}]}), {@code resourceGroups}
     * ({@code …/resourcegroups[/{rg}]}), {@code resources} ({@code …/resources} of a subscription or group),
     * {@code providers} ({@code …/providers[/{namespace}[/register]]}), {@code operationresults}
     * ({@code …/operationresults/{id}}); empty for any other path.
     */
    public Optional<String> resourceManagerType() {
        if (!is(0, "subscriptions")) {
            return Optional.empty();
        }
        int n = segments.size();
        if (n <= 2) {
            return Optional.of("subscriptions");
        }
        if (is(2, "resourcegroups")) {
            return n <= 4 ? Optional.of("resourceGroups")
                    : n == 5 && is(4, "resources") ? Optional.of("resources") : Optional.empty();
        }
        if (is(2, "resources") && n == 3) {
            return Optional.of("resources");
        }
        if (is(2, "providers") && (n <= 4 || n == 5 && is(4, "register"))) {
            return Optional.of("providers");
        }
        if (is(2, "operationresults") && n == 4) {
            return Optional.of("operationresults");
        }
        return Optional.empty();
    }

    /** The index of the first {@code providers} segment, -1 when there is none. */
    public int providersIndex() {
        for (int i = 0; i < segments.size(); i++) {
            if (is(i, "providers")) {
                return i;
            }
        }
        return -1;
    }

    private boolean is(int index, String lowerCaseValue) {
        return index < segments.size() && segments.get(index).toLowerCase(Locale.ROOT).equals(lowerCaseValue);
    }
}
