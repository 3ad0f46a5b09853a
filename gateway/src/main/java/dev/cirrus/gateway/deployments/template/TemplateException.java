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

    /** The same refusal, told where in the template it happened (ARM names the template element). */
    public TemplateException at(String path) {
        if (path == null || target != null) {
            return this;
        }
        return new TemplateException(code, "Deployment template validation failed: 'The template " + subject(path)
                + " is not valid: " + getMessage() + "'.", path);
    }

    /** ARM's name of the template element at a path: {@code resource 'resources[2]'}, {@code parameter 'sku'}. */
    static String subject(String path) {
        int dot = path.indexOf('.');
        String head = dot < 0 ? path : path.substring(0, dot);
        String rest = dot < 0 ? "" : path.substring(dot + 1);
        String name = rest.contains(".") ? rest.substring(0, rest.indexOf('.')) : rest;
        if (head.startsWith("resources[")) {
            return "resource '" + head + "'";
        }
        if (!name.isEmpty()) {
            switch (head.toLowerCase(java.util.Locale.ROOT)) {
                case "parameters" -> { return "parameter '" + name + "'"; }
                case "variables" -> { return "variable '" + name + "'"; }
                case "outputs" -> { return "output '" + name + "'"; }
                default -> { }
            }
        }
        return "property '" + path + "'";
    }

    private static final java.util.regex.Pattern PLACEHOLDER =
            java.util.regex.Pattern.compile("at line '1' and column '1'");
    private static final java.util.regex.Pattern SUBJECT = java.util.regex.Pattern.compile(
            "(?i)template (?:resource|parameter|variable|output|function|property) '[^']*'");

    /**
     * The same refusal with the line and column ARM puts after the element it names ("The template resource 'x'
     * at line '12' and column '9' is not valid: …"); unchanged when the message names no element or the position
     * is unknown, or when it already has one.
     */
    public TemplateException located(JsonDocument.Position position) {
        if (position == null) {
            return this;
        }
        String where = "at line '" + position.line() + "' and column '" + position.column() + "'";
        String message = getMessage();
        java.util.regex.Matcher placeholder = PLACEHOLDER.matcher(message);
        if (placeholder.find()) {
            message = placeholder.replaceFirst(where);
        } else if (message.contains(" at line '")) {
            return this;
        } else {
            java.util.regex.Matcher subject = SUBJECT.matcher(message);
            if (!subject.find()) {
                return this;
            }
            message = message.substring(0, subject.end()) + " " + where + message.substring(subject.end());
        }
        TemplateException out = new TemplateException(code, message, target);
        out.setStackTrace(getStackTrace());
        return out;
    }
}
