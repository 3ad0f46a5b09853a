package dev.cirrus.gateway.authorization;

import java.util.List;
import java.util.Locale;

import dev.cirrus.gateway.arm.ArmPath;
import org.springframework.http.HttpMethod;

/**
 * The RBAC action an ARM call performs and the scope it performs it at, read from its method and path.
 *
 * <p>Provider paths: the types after the (last) {@code /providers/{namespace}} segment make the resource type, and
 * the method the verb: GET/HEAD {@code read}, PUT/PATCH {@code write}, DELETE {@code delete}; a POST to
 * {@code …/{name}/{verb}} is {@code {type}/{verb}/action}. The scope is the resource itself, or for a collection (a
 * list) or a POST action the resource or group above it. Examples:
 * <pre>
 *   GET    /subscriptions/s/resourceGroups/rg/providers/Microsoft.Compute/virtualMachines/vm1
 *          → Microsoft.Compute/virtualMachines/read at /subscriptions/s/resourceGroups/rg/providers/Microsoft.Compute/virtualMachines/vm1
 *   POST   …/virtualMachines/vm1/start     → Microsoft.Compute/virtualMachines/start/action at …/virtualMachines/vm1
 *   GET    /subscriptions/s/providers/Microsoft.Compute/virtualMachines → Microsoft.Compute/virtualMachines/read at /subscriptions/s
 *   DELETE /subscriptions/s/resourcegroups/rg → Microsoft.Resources/subscriptions/resourceGroups/delete at /subscriptions/s/resourcegroups/rg
 *   PUT    /subscriptions/s/providers/Microsoft.Authorization/roleAssignments/a → Microsoft.Authorization/roleAssignments/write at /subscriptions/s
 * </pre>
 *
 * @param action e.g. {@code Microsoft.Compute/virtualMachines/read}, in the casing the caller used
 * @param scope  the path of the resource the action is performed on ({@code /} at the tenant root)
 */
public record ArmAction(String action, String scope) {

    public static ArmAction of(HttpMethod method, ArmPath path) {
        List<String> s = path.segments();
        int providers = lastProviders(s);
        if (providers >= 0 && providers + 1 < s.size()) {
            String prefix = join(s.subList(0, providers));
            List<String> rest = s.subList(providers + 2, s.size());
            String namespace = s.get(providers + 1);
            if (rest.isEmpty()) {
                return new ArmAction("Microsoft.Resources/subscriptions/providers/read", orRoot(prefix));
            }
            StringBuilder type = new StringBuilder(namespace);
            for (int i = 0; i < rest.size(); i += 2) {
                if (i == rest.size() - 1 && i > 0 && method == HttpMethod.POST) {
                    break;
                }
                type.append('/').append(rest.get(i));
            }
            boolean collection = rest.size() % 2 == 1;
            if (collection && rest.size() > 1 && method == HttpMethod.POST) {
                String scope = prefix + "/providers/" + namespace + "/" + join(rest.subList(0, rest.size() - 1)).substring(1);
                return new ArmAction(type + "/" + rest.getLast() + "/action", scope);
            }
            if (collection) {
                String scope = rest.size() == 1 ? orRoot(prefix)
                        : prefix + "/providers/" + namespace + join(rest.subList(0, rest.size() - 1));
                return new ArmAction(type + "/" + verb(method), scope);
            }
            return new ArmAction(type + "/" + verb(method), orRoot(join(s)));
        }
        // Microsoft.Resources: subscriptions, resource groups and what lies directly under them
        if (s.size() <= 2) {
            return new ArmAction("Microsoft.Resources/subscriptions/" + verb(method), orRoot(join(s)));
        }
        String subscription = join(s.subList(0, 2));
        if (s.get(2).equalsIgnoreCase("resourcegroups")) {
            if (s.size() == 3) {
                return new ArmAction("Microsoft.Resources/subscriptions/resourceGroups/" + verb(method), subscription);
            }
            String group = join(s.subList(0, 4));
            if (s.size() == 4) {
                return new ArmAction("Microsoft.Resources/subscriptions/resourceGroups/" + verb(method), group);
            }
            return new ArmAction("Microsoft.Resources/subscriptions/resourceGroups/" + s.get(4) + "/"
                    + verbOrAction(method, s), group);
        }
        return new ArmAction("Microsoft.Resources/subscriptions/" + s.get(2) + "/" + verbOrAction(method, s),
                subscription);
    }

    private static String verbOrAction(HttpMethod method, List<String> s) {
        return method == HttpMethod.POST ? "action" : verb(method);
    }

    static String verb(HttpMethod method) {
        if (method == HttpMethod.GET || method == HttpMethod.HEAD) {
            return "read";
        }
        if (method == HttpMethod.DELETE) {
            return "delete";
        }
        if (method == HttpMethod.POST) {
            return "action";
        }
        return "write";
    }

    private static int lastProviders(List<String> s) {
        for (int i = s.size() - 1; i >= 0; i--) {
            if (s.get(i).toLowerCase(Locale.ROOT).equals("providers")) {
                return i;
            }
        }
        return -1;
    }

    private static String join(List<String> segments) {
        return segments.isEmpty() ? "" : "/" + String.join("/", segments);
    }

    private static String orRoot(String scope) {
        return scope.isEmpty() ? "/" : scope;
    }

    /** True when an assignment at {@code assignmentScope} applies at {@code scope}: the same scope or one above. */
    public static boolean covers(String assignmentScope, String scope) {
        if (assignmentScope.equals("/")) {
            return true;
        }
        String a = assignmentScope.toLowerCase(Locale.ROOT);
        String s = scope.toLowerCase(Locale.ROOT);
        return s.equals(a) || s.startsWith(a + "/");
    }
}
