package dev.cirrus.gateway.deployments.template;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * What an expression can see of the world: the deployment's parameters and variables, its scope, the clock, and
 * the resources it reads with {@code reference()} and {@code list*()}. Each method refuses with ARM's error when
 * what is asked for does not exist or is not available where the expression is written.
 */
public interface TemplateContext {

    Object parameter(String name);

    Object variable(String name);

    /** All parameter values, for {@code parameters()} without an argument. */
    default Map<String, Object> parameters() {
        throw TemplateException.invalid("The template function 'parameters' expects exactly one parameter.");
    }

    default Map<String, Object> variables() {
        throw TemplateException.invalid("The template function 'variables' expects exactly one parameter.");
    }

    Map<String, Object> deployment();

    Map<String, Object> environment();

    /** The subscription id the deployment writes to. */
    String subscriptionId();

    /** The resource group the deployment writes to, or {@code null} at subscription scope. */
    Map<String, Object> resourceGroup();

    Map<String, Object> subscription();

    Map<String, Object> tenant();

    Instant now();

    /** The state of a resource (its properties, or the whole resource when {@code full}). */
    default Object reference(String resourceId, String apiVersion, boolean full) {
        throw TemplateException.invalid("The template function 'reference' is not expected at this location. "
                + "The function can only be used in resource properties and outputs.");
    }

    /** The answer of a {@code POST …/{action}} on a resource ({@code listKeys} and friends). */
    default Object list(String action, String resourceId, String apiVersion, Object body) {
        throw TemplateException.invalid("The template function '" + action + "' is not expected at this location. "
                + "The function can only be used in resource properties and outputs.");
    }

    default Object providers(String namespace, String type) {
        throw TemplateException.invalid("The template function 'providers' is not available here.");
    }

    /** The current iteration of the named (or innermost when {@code null}) copy loop. */
    default long copyIndex(String loop) {
        throw TemplateException.invalid("The template function 'copyIndex' is not expected at this location. "
                + "The function can only be used in a resource with copy specified.");
    }

    /** A user-defined function {@code namespace.member}, or {@code null} when the template defines none such. */
    default UserFunction function(String qualifiedName) {
        return null;
    }

    /** A function from the template's {@code functions} section: parameter names and the output expression. */
    record UserFunction(List<String> parameters, String type, Object output) { }
}
