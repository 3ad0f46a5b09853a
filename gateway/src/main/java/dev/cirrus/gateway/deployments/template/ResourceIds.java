package dev.cirrus.gateway.deployments.template;

import java.util.List;
import java.util.Map;

/**
 * {@code resourceId}, {@code subscriptionResourceId}, {@code tenantResourceId} and {@code extensionResourceId}.
 *
 * <p>The resource type is the first argument that contains a {@code /}; the arguments before it are the
 * subscription and resource group (none: the deployment's own; one: a group of the deployment's subscription), and
 * there must be one name per type segment after the namespace. {@code resourceId('Microsoft.Compute/
 * availabilitySets', 'as1')} in group {@code g} of subscription {@code s} is
 * {@code /subscriptions/s/resourceGroups/g/providers/Microsoft.Compute/availabilitySets/as1}.
 */
final class ResourceIds {

    private ResourceIds() {
    }

    static String resourceId(TemplateContext context, String function, List<String> a) {
        int typeAt = typeIndex(function, a);
        String subscription;
        String group;
        switch (typeAt) {
            case 0 -> {
                subscription = context.subscriptionId();
                Map<String, Object> current = context.resourceGroup();
                group = current == null ? null : (String) current.get("name");
            }
            case 1 -> {
                subscription = context.subscriptionId();
                group = a.get(0);
            }
            case 2 -> {
                subscription = a.get(0);
                group = a.get(1);
            }
            default -> throw TemplateException.invalid("The template function '" + function + "' has invalid "
                    + "parameters: at most the subscription id and the resource group name may precede the resource "
                    + "type.");
        }
        String tail = providerPath(function, a.get(typeAt), a.subList(typeAt + 1, a.size()));
        if (group == null) {
            return "/subscriptions/" + subscription + tail;
        }
        return "/subscriptions/" + subscription + "/resourceGroups/" + group + tail;
    }

    static String subscriptionResourceId(TemplateContext context, String function, List<String> a) {
        int typeAt = typeIndex(function, a);
        if (typeAt > 1) {
            throw TemplateException.invalid("The template function '" + function + "' has invalid parameters: only "
                    + "the subscription id may precede the resource type.");
        }
        String subscription = typeAt == 1 ? a.get(0) : context.subscriptionId();
        return "/subscriptions/" + subscription + providerPath(function, a.get(typeAt), a.subList(typeAt + 1,
                a.size()));
    }

    static String tenantResourceId(String function, List<String> a) {
        int typeAt = typeIndex(function, a);
        if (typeAt != 0) {
            throw TemplateException.invalid("The template function '" + function + "' has invalid parameters: the "
                    + "resource type must come first.");
        }
        return providerPath(function, a.get(0), a.subList(1, a.size()));
    }

    static String extensionResourceId(String function, List<String> a) {
        if (a.size() < 3) {
            throw Functions.arityError(function, 3, Integer.MAX_VALUE);
        }
        String scope = a.get(0);
        if (scope.endsWith("/")) {
            scope = scope.substring(0, scope.length() - 1);
        }
        return scope + providerPath(function, a.get(1), a.subList(2, a.size()));
    }

    private static int typeIndex(String function, List<String> a) {
        for (int i = 0; i < a.size(); i++) {
            if (a.get(i).contains("/")) {
                return i;
            }
        }
        throw TemplateException.invalid("The template function '" + function + "' has invalid parameters: no "
                + "resource type (a value of the form 'Namespace/type') was given.");
    }

    private static String providerPath(String function, String type, List<String> names) {
        String[] segments = type.split("/");
        if (segments.length < 2 || names.size() != segments.length - 1) {
            throw TemplateException.invalid("Unable to evaluate template language function '" + function + "': "
                    + "function requires exactly one multi-segmented argument which must be resource type including "
                    + "resource provider namespace. Current function arguments '" + String.join(",", type)
                    + (names.isEmpty() ? "" : "," + String.join(",", names)) + "'. Please see "
                    + "the template functions reference for usage details.");
        }
        StringBuilder out = new StringBuilder("/providers/").append(segments[0]);
        for (int i = 1; i < segments.length; i++) {
            out.append('/').append(segments[i]).append('/').append(names.get(i - 1));
        }
        return out.toString();
    }
}
