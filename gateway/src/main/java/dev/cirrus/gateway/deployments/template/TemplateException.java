package dev.cirrus.gateway.deployments.template;

/**
 * A template ARM refuses: {@code code} is ARM's error code ({@code InvalidTemplate},
 * {@code InvalidTemplateDeployment}, {@code DeploymentFailed}…), {@code target} the template path when known
 * (for example {@code resources[1].properties.name}).
 */
public class TemplateException extends RuntimeException {

    private final String code;
    private final String target;

    public TemplateException(String code, String message) {
        this(code, message, null);
    }

    public TemplateException(String code, String message, String target) {
        super(message);
        this.code = code;
        this.target = target;
    }

    public static TemplateException invalid(String message) {
        return new TemplateException("InvalidTemplate", message);
    }

    public String code() {
        return code;
    }

    public String target() {
        return target;
    }

    /** The same refusal, told where in the template it happened (ARM prefixes the template path). */
    public TemplateException at(String path) {
        if (path == null || target != null) {
            return this;
        }
        return new TemplateException(code, "Deployment template validation failed: 'The template " + path
                + " is not valid: " + getMessage() + "'.", path);
    }
}
