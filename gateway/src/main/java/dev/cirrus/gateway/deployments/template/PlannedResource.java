package dev.cirrus.gateway.deployments.template;

import java.util.Map;
import java.util.Set;

/**
 * One resource the deployment will create: a template resource, or one copy of a resource loop.
 *
 * @param path      where it is in the template ({@code resources[2]}, {@code resources[2][copy 1]})
 * @param id        its full resource id
 * @param type      {@code Namespace/type[/child]}
 * @param name      its name ({@code parent/child} for a child resource)
 * @param loop      the copy loop's name, or {@code null}
 * @param copyIndex its index in the loop (0 without one)
 * @param batch     resources of a serial loop with batch size b wait for the copies in the previous batch
 * @param dependsOn the ids of the template resources it waits for (explicit and implicit)
 * @param enabled   the value of its {@code condition}: a disabled resource is reported and skipped
 * @param definition the template's resource object, expressions not yet evaluated (reference() needs the others)
 */
public record PlannedResource(String path, String id, String type, String name, String apiVersion, String loop,
                              int copyIndex, int batch, Set<String> dependsOn, boolean enabled,
                              Map<String, Object> definition) {

    public boolean isNestedDeployment() {
        return type.equalsIgnoreCase("Microsoft.Resources/deployments");
    }
}
