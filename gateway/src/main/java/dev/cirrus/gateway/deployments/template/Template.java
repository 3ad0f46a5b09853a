package dev.cirrus.gateway.deployments.template;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * A deployment template with its parameter values, checked and ready to plan: {@code $schema},
 * {@code contentVersion}, {@code parameters} (types, defaults, allowed values, ranges and lengths), {@code variables}
 * (with {@code copy}), user {@code functions}, {@code resources} (with {@code copy}, {@code condition},
 * {@code dependsOn}) and {@code outputs}.
 *
 * <p>{@link #plan()} expands resource loops and conditions, computes every resource's id and the order:
 * explicit {@code dependsOn} (a name, a copy loop's name or a resource id) plus the implicit dependencies of a
 * {@code reference()} or {@code resourceId()} that names another resource of the template, and refuses a cycle
 * ("Circular dependency detected on resource: …"). For example resources {@code vm} (dependsOn
 * {@code [resourceId('Microsoft.Compute/availabilitySets','as')]}) and {@code as} plan as {@code as} then
 * {@code vm}. Resource bodies and outputs are evaluated later ({@link #resourceBody}, {@link #outputs}), when the
 * resources they read exist.
 */
public final class Template {

    private static final Set<String> TOP_LEVEL = Set.of("$schema", "contentversion", "apiprofile", "parameters",
            "variables", "functions", "resources", "outputs", "metadata", "languageversion", "definitions");
    private static final Set<String> TYPES = Set.of("string", "securestring", "int", "bool", "object",
            "secureobject", "array");
    /** Keys of a template resource that are about the template, not the resource sent to its service. */
    private static final Set<String> TEMPLATE_ONLY = Set.of("type", "apiversion", "name", "dependson", "copy",
            "condition", "comments", "scope", "resourcegroup", "subscriptionid");
    private static final int MAX_COPY = 800;

    private final Map<String, Object> template;
    private final DeploymentScope scope;
    private final Clock clock;
    private final Map<String, Object> parameterValues = new LinkedHashMap<>();
    private final Map<String, String> parameterTypes = new LinkedHashMap<>();
    private final Map<String, Object> variableDefinitions = new LinkedHashMap<>();
    private final Map<String, Object> variableValues = new HashMap<>();
    private final Set<String> variablesInProgress = new HashSet<>();
    private final Map<String, TemplateContext.UserFunction> functions = new HashMap<>();
    private List<PlannedResource> plan;
    private JsonDocument document = JsonDocument.of(null);

    private Template(Map<String, Object> template, DeploymentScope scope, Clock clock) {
        this.template = template;
        this.scope = scope;
        this.clock = clock;
    }

    /**
     * Checks the template read from a JSON text and binds its parameters; its refusals say at which line and
     * column of that text the element they name starts, as ARM's do.
     */
    public static Template load(JsonDocument document, Map<String, Object> parameters, DeploymentScope scope,
                                Clock clock) {
        try {
            Template t = load(document.value(), parameters, scope, clock);
            t.document = document;
            return t;
        } catch (TemplateException refused) {
            throw refused.located(document.position(refused.target()));
        }
    }

    /** A refusal with the position of the element it names, when the template came as text. */
    private TemplateException located(TemplateException refused) {
        return refused.located(document.position(refused.target()));
    }

    /**
     * Checks the template and binds its parameters.
     *
     * @param parameters the request's {@code parameters}: {@code {"name": {"value": …}}}
     */
    @SuppressWarnings("unchecked")
    public static Template load(Object template, Map<String, Object> parameters, DeploymentScope scope, Clock clock) {
        if (!(template instanceof Map<?, ?> map)) {
            throw TemplateException.invalid("Deployment template validation failed: the template must be a JSON "
                    + "object.");
        }
        Template t = new Template((Map<String, Object>) Values.normalize(map), scope, clock);
        t.checkShape();
        t.bindFunctions();
        t.bindParameters(parameters == null ? Map.of() : parameters);
        t.bindVariables();
        return t;
    }

    public DeploymentScope scope() {
        return scope;
    }

    public Map<String, Object> definition() {
        return template;
    }

    public String contentVersion() {
        return (String) Values.property(template, "contentVersion");
    }

    private void checkShape() {
        for (String key : template.keySet()) {
            if (!TOP_LEVEL.contains(key.toLowerCase(Locale.ROOT))) {
                throw new TemplateException("InvalidTemplate", "Deployment template validation failed: 'Could not "
                        + "find member '" + key + "' on object of type 'Template'. Path '" + key + "'.'.", key);
            }
        }
        if (!(Values.property(template, "$schema") instanceof String)) {
            throw new TemplateException("InvalidTemplate", "Deployment template validation failed: 'Required "
                    + "property '$schema' not found in JSON. Path ''.'.", "$schema");
        }
        if (!(Values.property(template, "contentVersion") instanceof String version)) {
            throw new TemplateException("InvalidTemplate", "Deployment template validation failed: 'Required "
                    + "property 'contentVersion' not found in JSON. Path ''.'.", "contentVersion");
        }
        if (!version.matches("(0|[1-9][0-9]{0,9})(\\.(0|[1-9][0-9]{0,9})){3}")) {
            throw new TemplateException("InvalidTemplate", "Deployment template validation failed: 'The template "
                    + "content version '" + version + "' is not valid: it must have the form 'a.b.c.d'.'.",
                    "contentVersion");
        }
        Object resources = Values.property(template, "resources");
        if (!(resources instanceof List<?>)) {
            throw new TemplateException("InvalidTemplate", "Deployment template validation failed: 'Required "
                    + "property 'resources' not found in JSON (it must be an array). Path ''.'.", "resources");
        }
        for (String section : List.of("parameters", "variables", "outputs")) {
            Object value = Values.property(template, section);
            if (value != null && !(value instanceof Map)) {
                throw new TemplateException("InvalidTemplate", "Deployment template validation failed: 'The '"
                        + section + "' section must be a JSON object.'.", section);
            }
        }
    }

    @SuppressWarnings("unchecked")
    private void bindFunctions() {
        Object sections = Values.property(template, "functions");
        if (sections == null) {
            return;
        }
        if (!(sections instanceof List<?> list)) {
            throw invalidAt("functions", "The 'functions' section must be an array of namespaces.");
        }
        for (int i = 0; i < list.size(); i++) {
            if (!(list.get(i) instanceof Map<?, ?> ns) || !(Values.property((Map<String, Object>) ns, "namespace")
                    instanceof String namespace)) {
                throw invalidAt("functions[" + i + "]", "A function namespace must have a 'namespace' name.");
            }
            Object members = Values.property((Map<String, Object>) ns, "members");
            if (!(members instanceof Map<?, ?> memberMap)) {
                throw invalidAt("functions[" + i + "]", "A function namespace must have 'members'.");
            }
            for (Map.Entry<String, Object> member : ((Map<String, Object>) memberMap).entrySet()) {
                Map<String, Object> body = (Map<String, Object>) member.getValue();
                List<String> names = new ArrayList<>();
                Object params = Values.property(body, "parameters");
                if (params instanceof List<?> p) {
                    p.forEach(item -> names.add((String) Values.property((Map<String, Object>) item, "name")));
                }
                Object output = Values.property(body, "output");
                if (!(output instanceof Map<?, ?> out) || !Values.hasProperty((Map<String, Object>) out, "value")) {
                    throw invalidAt("functions[" + i + "].members." + member.getKey(),
                            "A user function must have an 'output' with a 'value'.");
                }
                functions.put((namespace + "." + member.getKey()).toLowerCase(Locale.ROOT),
                        new TemplateContext.UserFunction(names, (String) Values.property((Map<String, Object>) out,
                                "type"), Values.property((Map<String, Object>) out, "value")));
            }
        }
    }

    @SuppressWarnings("unchecked")
    private void bindParameters(Map<String, Object> provided) {
        Map<String, Object> declared = (Map<String, Object>) Values.property(template, "parameters");
        declared = declared == null ? Map.of() : declared;
        List<String> unknown = new ArrayList<>();
        for (String name : provided.keySet()) {
            if (!Values.hasProperty(declared, name)) {
                unknown.add(name);
            }
        }
        if (!unknown.isEmpty()) {
            throw new TemplateException("InvalidTemplate", "Deployment template validation failed: 'The template "
                    + "parameters '" + String.join(", ", unknown) + "' in the parameters file are not valid; they are "
                    + "not present in the original template and can therefore not be provided at deployment time. "
                    + "The only supported parameters for this template are '" + String.join(", ", declared.keySet())
                    + "'.'.", "parameters");
        }
        Evaluator defaults = new Evaluator(new Context(null, Map.of(), true));
        for (Map.Entry<String, Object> entry : declared.entrySet()) {
            String name = entry.getKey();
            String path = "parameters." + name;
            if (!(entry.getValue() instanceof Map<?, ?> d)) {
                throw invalidAt(path, "The template parameter '" + name + "' must be an object with a 'type'.");
            }
            Map<String, Object> definition = (Map<String, Object>) d;
            if (!(Values.property(definition, "type") instanceof String type)
                    || !TYPES.contains(type.toLowerCase(Locale.ROOT))) {
                throw invalidAt(path, "The template parameter '" + name + "' has an invalid type '"
                        + Values.property(definition, "type") + "'. The supported types are 'String, SecureString, "
                        + "Int, Bool, Object, SecureObject, Array'.");
            }
            Object value;
            if (Values.hasProperty(provided, name)) {
                Object holder = Values.property(provided, name);
                if (holder instanceof Map<?, ?> h && Values.hasProperty((Map<String, Object>) h, "reference")) {
                    throw invalidAt(path, "The template parameter '" + name + "' is a Key Vault reference, which "
                            + "this cloud does not resolve.");
                }
                if (!(holder instanceof Map<?, ?> h) || !Values.hasProperty((Map<String, Object>) h, "value")) {
                    throw invalidAt(path, "The value of deployment parameter '" + name + "' is null. Please specify "
                            + "the value or use the parameter reference.");
                }
                value = Values.property((Map<String, Object>) holder, "value");
            } else if (Values.hasProperty(definition, "defaultValue")) {
                try {
                    value = defaults.evaluateValue(Values.property(definition, "defaultValue"));
                } catch (TemplateException refused) {
                    throw refused.at(path + ".defaultValue");
                }
            } else {
                throw invalidAt(path, "The value for the template parameter '" + name + "' is not provided. Please "
                        + "see the parameters file reference for usage details.");
            }
            parameterValues.put(name, checkParameter(name, type.toLowerCase(Locale.ROOT), definition, value, path));
            parameterTypes.put(name, type);
        }
    }

    @SuppressWarnings("unchecked")
    private Object checkParameter(String name, String type, Map<String, Object> definition, Object value,
                                  String path) {
        String expected = switch (type) {
            case "string", "securestring" -> "String";
            case "int" -> "Integer";
            case "bool" -> "Boolean";
            case "array" -> "Array";
            default -> "Object";
        };
        if (value instanceof String s && expected.equals("Integer") && s.matches("-?[0-9]+")) {
            value = Long.parseLong(s);
        } else if (value instanceof String s && expected.equals("Boolean")
                && (s.equalsIgnoreCase("true") || s.equalsIgnoreCase("false"))) {
            value = Boolean.parseBoolean(s);
        }
        if (!Values.typeName(value).equals(expected)) {
            throw invalidAt(path, "Template parameter '" + name + "' was provided an invalid value. Expected a value "
                    + "of type '" + expected + "', but received a value of type '" + Values.typeName(value) + "'.");
        }
        Object checked = value;
        String shown = type.startsWith("secure") ? "******" : Values.text(value);
        Object allowed = Values.property(definition, "allowedValues");
        if (allowed instanceof List<?> list) {
            boolean ok = checked instanceof List<?> items
                    ? items.stream().allMatch(item -> list.stream().anyMatch(a -> Values.deepEquals(a, item)))
                    : list.stream().anyMatch(a -> Values.deepEquals(a, checked));
            if (!ok) {
                throw invalidAt(path, "The provided value '" + shown + "' for the template parameter '" + name
                        + "' is not valid. The value is not part of the allowed value(s): '"
                        + String.join(",", list.stream().map(Values::text).toList()) + "'.");
            }
        }
        if (value instanceof Long number) {
            if (Values.property(definition, "minValue") instanceof Long min && number < min) {
                throw invalidAt(path, "The provided value '" + shown + "' for the template parameter '" + name
                        + "' is not valid. The value must be greater than or equal to '" + min + "'.");
            }
            if (Values.property(definition, "maxValue") instanceof Long max && number > max) {
                throw invalidAt(path, "The provided value '" + shown + "' for the template parameter '" + name
                        + "' is not valid. The value must be less than or equal to '" + max + "'.");
            }
        }
        Long length = value instanceof String s ? (Long) (long) s.length()
                : value instanceof List<?> l ? (Long) (long) l.size() : null;
        if (length != null) {
            if (Values.property(definition, "minLength") instanceof Long min && length < min) {
                throw invalidAt(path, "The provided value for the template parameter '" + name + "' is not valid. "
                        + "The length of the value must be greater than or equal to '" + min + "'.");
            }
            if (Values.property(definition, "maxLength") instanceof Long max && length > max) {
                throw invalidAt(path, "The provided value for the template parameter '" + name + "' is not valid. "
                        + "The length of the value must be less than or equal to '" + max + "'.");
            }
        }
        return value;
    }

    @SuppressWarnings("unchecked")
    private void bindVariables() {
        Object declared = Values.property(template, "variables");
        if (declared == null) {
            return;
        }
        for (Map.Entry<String, Object> entry : ((Map<String, Object>) declared).entrySet()) {
            if (entry.getKey().equalsIgnoreCase("copy") && entry.getValue() instanceof List<?> loops) {
                for (Object loop : loops) {
                    Map<String, Object> l = (Map<String, Object>) loop;
                    variableDefinitions.put(((String) Values.property(l, "name")).toLowerCase(Locale.ROOT),
                            new VariableLoop(l));
                }
            } else {
                variableDefinitions.put(entry.getKey().toLowerCase(Locale.ROOT), entry.getValue());
            }
        }
    }

    private record VariableLoop(Map<String, Object> definition) { }

    /** Parameter values with their types as ARM shows them on a deployment: secure values are never shown. */
    public Map<String, Object> displayedParameters() {
        Map<String, Object> out = new LinkedHashMap<>();
        parameterValues.forEach((name, value) -> {
            String type = parameterTypes.get(name);
            Map<String, Object> shown = new LinkedHashMap<>();
            shown.put("type", displayType(type));
            if (!type.toLowerCase(Locale.ROOT).startsWith("secure")) {
                shown.put("value", value);
            }
            out.put(name, shown);
        });
        return out;
    }

    private static String displayType(String type) {
        return switch (type.toLowerCase(Locale.ROOT)) {
            case "securestring" -> "SecureString";
            case "secureobject" -> "SecureObject";
            case "int" -> "Int";
            default -> Character.toUpperCase(type.charAt(0)) + type.substring(1).toLowerCase(Locale.ROOT);
        };
    }

    /** The names of the secure parameters, whose values must never leave the gateway in an answer. */
    public Set<Object> secureValues() {
        Set<Object> out = new HashSet<>();
        parameterValues.forEach((name, value) -> {
            if (parameterTypes.get(name).toLowerCase(Locale.ROOT).startsWith("secure")) {
                out.add(value);
            }
        });
        return out;
    }

    // ---------------------------------------------------------------- plan

    /** The resources to create, each with its id and dependencies; refuses bad resources and cycles. */
    public List<PlannedResource> plan() {
        if (plan != null) {
            return plan;
        }
        try {
            return planUnlocated();
        } catch (TemplateException refused) {
            throw located(refused);
        }
    }

    @SuppressWarnings("unchecked")
    private List<PlannedResource> planUnlocated() {
        List<Object> resources = (List<Object>) Values.property(template, "resources");
        List<Draft> drafts = new ArrayList<>();
        for (int i = 0; i < resources.size(); i++) {
            String path = "resources[" + i + "]";
            if (!(resources.get(i) instanceof Map<?, ?> r)) {
                throw invalidAt(path, "The template resource at '" + path + "' must be a JSON object.");
            }
            drafts.addAll(expand((Map<String, Object>) r, path));
        }
        Map<String, Draft> byId = new LinkedHashMap<>();
        for (Draft draft : drafts) {
            if (byId.putIfAbsent(draft.id.toLowerCase(Locale.ROOT), draft) != null) {
                throw invalidAt(draft.path, "The resource '" + draft.id + "' at line '1' and column '1' is defined "
                        + "multiple times in a template.");
            }
        }
        for (Draft draft : drafts) {
            draft.dependsOn.addAll(explicitDependencies(draft, drafts));
            draft.dependsOn.addAll(implicitDependencies(draft, drafts));
            draft.dependsOn.remove(draft.id.toLowerCase(Locale.ROOT));
        }
        detectCycles(drafts, byId);
        List<PlannedResource> out = new ArrayList<>();
        for (Draft d : drafts) {
            Set<String> deps = new LinkedHashSet<>();
            d.dependsOn.forEach(dep -> deps.add(byId.get(dep).id));
            out.add(new PlannedResource(d.path, d.id, d.type, d.name, d.apiVersion, d.loop, d.copyIndex, d.batch,
                    deps, d.enabled, d.definition));
        }
        plan = List.copyOf(out);
        return plan;
    }

    private static final class Draft {
        String path;
        String id;
        String type;
        String name;
        String apiVersion;
        String loop;
        int copyIndex;
        int batch;
        boolean enabled;
        Map<String, Object> definition;
        Set<String> dependsOn = new LinkedHashSet<>();

        boolean isDeployment() {
            return type.equalsIgnoreCase("Microsoft.Resources/deployments");
        }
    }

    @SuppressWarnings("unchecked")
    private List<Draft> expand(Map<String, Object> resource, String path) {
        Object copy = Values.property(resource, "copy");
        if (copy == null) {
            return List.of(draft(resource, path, null, 0, 0, new Context(null, Map.of(), false)));
        }
        if (!(copy instanceof Map<?, ?> c)) {
            throw invalidAt(path + ".copy", "The template resource copy property must be an object.");
        }
        Map<String, Object> loop = (Map<String, Object>) c;
        Evaluator evaluator = new Evaluator(new Context(null, Map.of(), false));
        Object name = evaluator.evaluateValue(Values.property(loop, "name"));
        if (!(name instanceof String loopName) || loopName.isBlank()) {
            throw invalidAt(path + ".copy", "The template resource copy must have a 'name'.");
        }
        Object count = evaluate(evaluator, Values.property(loop, "count"), path + ".copy.count");
        if (!(count instanceof Long n) || n < 0 || n > MAX_COPY) {
            throw invalidAt(path + ".copy.count", "The template resource copy count '" + Values.text(count)
                    + "' is not valid: it must be an integer between 0 and " + MAX_COPY + ".");
        }
        Object mode = Values.property(loop, "mode");
        boolean serial = mode instanceof String m && m.equalsIgnoreCase("serial");
        if (mode != null && !serial && !(mode instanceof String m2 && m2.equalsIgnoreCase("parallel"))) {
            throw invalidAt(path + ".copy.mode", "The template resource copy mode '" + Values.text(mode) + "' is not "
                    + "valid: it must be 'Serial' or 'Parallel'.");
        }
        long batchSize = 0;
        if (serial) {
            Object size = evaluate(evaluator, Values.property(loop, "batchSize"), path + ".copy.batchSize");
            batchSize = size == null ? 1 : size instanceof Long s && s > 0 ? s : -1;
            if (batchSize < 1) {
                throw invalidAt(path + ".copy.batchSize", "The template resource copy batch size must be a positive "
                        + "integer.");
            }
        }
        List<Draft> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            int batch = serial ? (int) (i / batchSize) + 1 : 0;
            out.add(draft(resource, path + "[copy " + i + "]", loopName, i, batch,
                    new Context(null, Map.of(loopName.toLowerCase(Locale.ROOT), (long) i), false)));
        }
        return out;
    }

    private Draft draft(Map<String, Object> resource, String path, String loop, int index, int batch,
                        Context context) {
        Evaluator evaluator = new Evaluator(context.current(loop));
        Object type = evaluate(evaluator, Values.property(resource, "type"), path + ".type");
        Object name = evaluate(evaluator, Values.property(resource, "name"), path + ".name");
        Object apiVersion = evaluate(evaluator, Values.property(resource, "apiVersion"), path + ".apiVersion");
        if (!(type instanceof String t) || t.isBlank()) {
            throw invalidAt(path, "The template resource at '" + path + "' must have a 'type'.");
        }
        if (!(name instanceof String n) || n.isBlank()) {
            throw invalidAt(path, "The template resource at '" + path + "' must have a 'name'.");
        }
        if (!(apiVersion instanceof String v) || v.isBlank()) {
            throw invalidAt(path, "The template resource '" + n + "' at '" + path + "' must have an 'apiVersion'.");
        }
        String[] typeSegments = t.split("/");
        String[] nameSegments = n.split("/");
        if (typeSegments.length < 2 || nameSegments.length != typeSegments.length - 1) {
            throw invalidAt(path, "The template resource '" + n + "' for type '" + t + "' at line '1' and column '1' "
                    + "has incorrect segment lengths. A nested resource type must have identical number of segments "
                    + "as its resource name. A root resource type must have segment length one greater than its "
                    + "resource name.");
        }
        Draft draft = new Draft();
        draft.path = path;
        draft.type = t;
        draft.name = n;
        draft.apiVersion = v;
        draft.loop = loop;
        draft.copyIndex = index;
        draft.batch = batch;
        String resourceScope = scope.scopeId();
        Object group = evaluate(evaluator, Values.property(resource, "resourceGroup"), path + ".resourceGroup");
        if (group instanceof String g && draft.isDeployment()) {
            resourceScope = "/subscriptions/" + scope.subscriptionId() + "/resourceGroups/" + g;
        }
        if (scope.resourceGroup() == null && t.equalsIgnoreCase("Microsoft.Resources/resourceGroups")) {
            draft.id = "/subscriptions/" + scope.subscriptionId() + "/resourceGroups/" + n;
        } else {
            StringBuilder id = new StringBuilder(resourceScope).append("/providers/").append(typeSegments[0]);
            for (int i = 1; i < typeSegments.length; i++) {
                id.append('/').append(typeSegments[i]).append('/').append(nameSegments[i - 1]);
            }
            draft.id = id.toString();
        }
        Object condition = Values.property(resource, "condition");
        if (condition != null) {
            Object value = evaluate(evaluator, condition, path + ".condition");
            if (!(value instanceof Boolean b)) {
                throw invalidAt(path + ".condition", "The template resource '" + n + "' has a condition that is not "
                        + "a boolean: '" + Values.text(value) + "'.");
            }
            draft.enabled = b;
        } else {
            draft.enabled = true;
        }
        draft.definition = resource;
        return draft;
    }

    @SuppressWarnings("unchecked")
    private Set<String> explicitDependencies(Draft draft, List<Draft> all) {
        Set<String> out = new LinkedHashSet<>();
        if (draft.batch > 1) {
            all.stream().filter(other -> draft.loop.equals(other.loop) && other.batch == draft.batch - 1
                            && other.definition == draft.definition)
                    .forEach(other -> out.add(other.id.toLowerCase(Locale.ROOT)));
        }
        Object dependsOn = Values.property(draft.definition, "dependsOn");
        if (dependsOn == null) {
            return out;
        }
        if (!(dependsOn instanceof List<?> list)) {
            throw invalidAt(draft.path + ".dependsOn", "The 'dependsOn' property must be an array.");
        }
        Evaluator evaluator = new Evaluator(new Context(null, draft.loop == null ? Map.of()
                : Map.of(draft.loop.toLowerCase(Locale.ROOT), (long) draft.copyIndex), false).current(draft.loop));
        for (int i = 0; i < list.size(); i++) {
            Object value = evaluate(evaluator, list.get(i), draft.path + ".dependsOn[" + i + "]");
            if (!(value instanceof String target)) {
                throw invalidAt(draft.path + ".dependsOn[" + i + "]", "A 'dependsOn' entry must be a string.");
            }
            List<Draft> matches = matching(target, all);
            if (matches.isEmpty()) {
                throw invalidAt(draft.path + ".dependsOn[" + i + "]", "The resource '" + target + "' is not defined "
                        + "in the template. Please see the template reference for usage details.");
            }
            matches.forEach(m -> out.add(m.id.toLowerCase(Locale.ROOT)));
        }
        return out;
    }

    /** Template resources named by a dependsOn entry or a reference(): an id, a name, type/name, or a loop name. */
    private static List<Draft> matching(String reference, List<Draft> all) {
        // resourceId() of a group at subscription scope has the provider form; the group's own id has not
        String target = reference.replaceAll("(?i)/providers/Microsoft\\.Resources/resourceGroups/", "/resourceGroups/");
        List<Draft> out = new ArrayList<>();
        for (Draft d : all) {
            boolean hit = target.equalsIgnoreCase(d.id) || target.equalsIgnoreCase(d.name)
                    || target.equalsIgnoreCase(d.type + "/" + d.name) || target.equalsIgnoreCase(d.loop)
                    || d.id.toLowerCase(Locale.ROOT).endsWith(target.toLowerCase(Locale.ROOT))
                    && target.startsWith("/") && target.toLowerCase(Locale.ROOT).contains("/providers/");
            if (hit) {
                out.add(d);
            }
        }
        return out;
    }

    /** reference('x') and resourceId(…) calls, anywhere in the resource, that name other template resources. */
    private Set<String> implicitDependencies(Draft draft, List<Draft> all) {
        Set<String> out = new LinkedHashSet<>();
        Context context = new Context(null, draft.loop == null ? Map.of()
                : Map.of(draft.loop.toLowerCase(Locale.ROOT), (long) draft.copyIndex), false).current(draft.loop);
        Evaluator evaluator = new Evaluator(context);
        collectStrings(draft.definition, text -> {
            if (!ExpressionParser.isExpression(text)) {
                return;
            }
            Expression parsed;
            try {
                parsed = ExpressionParser.parse(text.substring(1, text.length() - 1));
            } catch (TemplateException notParsable) {
                throw notParsable.at(draft.path);
            }
            walk(parsed, call -> {
                String fn = call.name().toLowerCase(Locale.ROOT);
                try {
                    if (fn.equals("reference") || fn.startsWith("list")) {
                        if (!call.arguments().isEmpty()
                                && evaluator.evaluate(call.arguments().getFirst()) instanceof String target) {
                            matching(target, all).forEach(m -> out.add(m.id.toLowerCase(Locale.ROOT)));
                        }
                    } else if (fn.equals("resourceid")
                            && evaluator.evaluate(call) instanceof String id) {
                        matching(id, all).stream().filter(d -> id.startsWith("/"))
                                .forEach(m -> out.add(m.id.toLowerCase(Locale.ROOT)));
                    }
                } catch (TemplateException notKnownYet) {
                    // an argument that needs a live resource or a lambda variable names nothing at plan time
                }
            });
        });
        return out;
    }

    private static void walk(Expression expression, java.util.function.Consumer<Expression.Call> visitor) {
        switch (expression) {
            case Expression.Call call -> {
                visitor.accept(call);
                call.arguments().forEach(argument -> walk(argument, visitor));
            }
            case Expression.Property property -> walk(property.target(), visitor);
            case Expression.Index index -> {
                walk(index.target(), visitor);
                walk(index.index(), visitor);
            }
            case Expression.Literal literal -> { }
        }
    }

    private static void collectStrings(Object value, java.util.function.Consumer<String> visitor) {
        if (value instanceof String s) {
            visitor.accept(s);
        } else if (value instanceof List<?> list) {
            list.forEach(item -> collectStrings(item, visitor));
        } else if (value instanceof Map<?, ?> map) {
            map.forEach((key, item) -> {
                if (!"dependsOn".equalsIgnoreCase((String) key)) {
                    collectStrings(item, visitor);
                }
            });
        }
    }

    private static void detectCycles(List<Draft> drafts, Map<String, Draft> byId) {
        Map<String, Integer> state = new HashMap<>();
        for (Draft draft : drafts) {
            visit(draft.id.toLowerCase(Locale.ROOT), byId, state);
        }
    }

    private static void visit(String id, Map<String, Draft> byId, Map<String, Integer> state) {
        Integer seen = state.get(id);
        if (seen != null && seen == 2) {
            return;
        }
        Draft draft = byId.get(id);
        if (seen != null) {
            throw new TemplateException("InvalidTemplate", "Deployment template validation failed: 'Circular "
                    + "dependency detected on resource: '" + draft.id + "'. Please see the template reference for "
                    + "usage details.'.", draft.path);
        }
        state.put(id, 1);
        for (String dependency : draft.dependsOn) {
            visit(dependency, byId, state);
        }
        state.put(id, 2);
    }

    // ---------------------------------------------------------------- evaluation at deployment time

    /** The body to PUT for a planned resource: its template-only keys removed, expressions and copies evaluated. */
    public Map<String, Object> resourceBody(PlannedResource resource, ResourceReader reader) {
        try {
            return resourceBodyUnlocated(resource, reader);
        } catch (TemplateException refused) {
            throw located(refused);
        }
    }

    /** What what-if expects a resource's body to be, and whether every expression in it could be evaluated. */
    public record Preview(Map<String, Object> body, boolean complete) { }

    /**
     * The body a deployment would PUT, as far as it can be known before the deployment runs: a value that reads
     * a resource which does not exist yet (or fails otherwise) stays the expression it is written as, and the
     * preview is then not complete.
     */
    @SuppressWarnings("unchecked")
    public Preview previewBody(PlannedResource resource, ResourceReader reader) {
        try {
            return new Preview(resourceBodyUnlocated(resource, reader), true);
        } catch (RuntimeException notYetKnown) {
            Map<String, Long> indices = resource.loop() == null ? Map.of()
                    : Map.of(resource.loop().toLowerCase(Locale.ROOT), (long) resource.copyIndex());
            Context context = new Context(reader, indices, false).current(resource.loop());
            boolean[] complete = {true};
            Map<String, Object> body = new LinkedHashMap<>();
            for (Map.Entry<String, Object> entry : resource.definition().entrySet()) {
                if (!TEMPLATE_ONLY.contains(entry.getKey().toLowerCase(Locale.ROOT))) {
                    body.put(entry.getKey(), previewValue(entry.getValue(), context,
                            resource.path() + "." + entry.getKey(), complete));
                }
            }
            return new Preview(body, complete[0]);
        }
    }

    @SuppressWarnings("unchecked")
    private Object previewValue(Object value, Context context, String path, boolean[] complete) {
        try {
            return expandValue(value, context, path);
        } catch (RuntimeException notYetKnown) {
            if (value instanceof Map<?, ?> map && !Values.hasProperty((Map<String, Object>) map, "copy")) {
                Map<String, Object> out = new LinkedHashMap<>();
                ((Map<String, Object>) map).forEach((k, v) -> out.put(k, previewValue(v, context, path + "." + k,
                        complete)));
                return out;
            }
            if (value instanceof List<?> list) {
                List<Object> out = new ArrayList<>();
                for (int i = 0; i < list.size(); i++) {
                    out.add(previewValue(list.get(i), context, path + "[" + i + "]", complete));
                }
                return out;
            }
            complete[0] = false;
            return value;
        }
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> resourceBodyUnlocated(PlannedResource resource, ResourceReader reader) {
        Map<String, Long> indices = resource.loop() == null ? Map.of()
                : Map.of(resource.loop().toLowerCase(Locale.ROOT), (long) resource.copyIndex());
        Context context = new Context(reader, indices, false).current(resource.loop());
        Map<String, Object> body = new LinkedHashMap<>();
        for (Map.Entry<String, Object> entry : resource.definition().entrySet()) {
            if (TEMPLATE_ONLY.contains(entry.getKey().toLowerCase(Locale.ROOT))) {
                continue;
            }
            String path = resource.path() + "." + entry.getKey();
            if (resource.isNestedDeployment() && entry.getKey().equalsIgnoreCase("properties")) {
                body.put(entry.getKey(), nestedProperties((Map<String, Object>) entry.getValue(), context, path));
                continue;
            }
            body.put(entry.getKey(), expandValue(entry.getValue(), context, path));
        }
        return body;
    }

    /**
     * A nested deployment's properties. With {@code expressionEvaluationOptions.scope} {@code inner} its template is
     * sent as written and only its parameter values are evaluated here; with {@code outer} (the default) the whole
     * inner template is evaluated in this template's context first (its expressions see this template's
     * parameters and variables), and strings that would read as expressions again are escaped with {@code [[}.
     */
    @SuppressWarnings("unchecked")
    private Map<String, Object> nestedProperties(Map<String, Object> properties, Context context, String path) {
        Object options = Values.property(properties, "expressionEvaluationOptions");
        boolean inner = options instanceof Map<?, ?> o
                && "inner".equalsIgnoreCase(String.valueOf(Values.property((Map<String, Object>) o, "scope")));
        Map<String, Object> out = new LinkedHashMap<>();
        for (Map.Entry<String, Object> entry : properties.entrySet()) {
            String key = entry.getKey().toLowerCase(Locale.ROOT);
            if (key.equals("template") && inner) {
                out.put(entry.getKey(), entry.getValue());
            } else if (key.equals("template")) {
                out.put(entry.getKey(), escape(expandValue(entry.getValue(), context, path + ".template")));
            } else if (key.equals("expressionevaluationoptions")) {
                out.put(entry.getKey(), entry.getValue());
            } else {
                out.put(entry.getKey(), expandValue(entry.getValue(), context, path + "." + entry.getKey()));
            }
        }
        return out;
    }

    private static Object escape(Object value) {
        if (value instanceof String s) {
            return s.startsWith("[") ? "[" + s : s;
        }
        if (value instanceof List<?> list) {
            return new ArrayList<>(list.stream().map(Template::escape).toList());
        }
        if (value instanceof Map<?, ?> map) {
            Map<String, Object> out = new LinkedHashMap<>();
            map.forEach((k, v) -> out.put((String) k, escape(v)));
            return out;
        }
        return value;
    }

    /** The template's outputs, {@code {"name": {"type": …, "value": …}}}, evaluated once the resources exist. */
    public Map<String, Object> outputs(ResourceReader reader) {
        try {
            return outputsUnlocated(reader);
        } catch (TemplateException refused) {
            throw located(refused);
        }
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> outputsUnlocated(ResourceReader reader) {
        Object declared = Values.property(template, "outputs");
        Map<String, Object> out = new LinkedHashMap<>();
        if (declared == null) {
            return out;
        }
        for (Map.Entry<String, Object> entry : ((Map<String, Object>) declared).entrySet()) {
            String path = "outputs." + entry.getKey();
            Map<String, Object> output = (Map<String, Object>) entry.getValue();
            Context context = new Context(reader, Map.of(), false);
            Evaluator evaluator = new Evaluator(context);
            Object condition = Values.property(output, "condition");
            if (condition != null && !Boolean.TRUE.equals(evaluate(evaluator, condition, path + ".condition"))) {
                continue;
            }
            Object value;
            Object copy = Values.property(output, "copy");
            if (copy instanceof Map<?, ?> c) {
                Object count = evaluate(evaluator, Values.property((Map<String, Object>) c, "count"), path + ".copy");
                if (!(count instanceof Long n) || n < 0 || n > MAX_COPY) {
                    throw invalidAt(path + ".copy", "The output copy count must be an integer between 0 and "
                            + MAX_COPY + ".");
                }
                List<Object> items = new ArrayList<>();
                for (long i = 0; i < n; i++) {
                    Context loop = new Context(reader, Map.of("", i), false).current("");
                    items.add(expandValue(Values.property((Map<String, Object>) c, "input"), loop, path));
                }
                value = items;
            } else {
                value = expandValue(Values.property(output, "value"), context, path + ".value");
            }
            String type = String.valueOf(Values.property(output, "type"));
            Map<String, Object> shown = new LinkedHashMap<>();
            shown.put("type", displayType(type));
            if (!type.toLowerCase(Locale.ROOT).startsWith("secure")) {
                shown.put("value", value);
            }
            out.put(entry.getKey(), shown);
        }
        return out;
    }

    /** Evaluates a value, first expanding property loops ({@code "copy": [{name, count, input}]}). */
    @SuppressWarnings("unchecked")
    Object expandValue(Object value, Context context, String path) {
        if (value instanceof Map<?, ?> map) {
            Map<String, Object> object = (Map<String, Object>) map;
            Map<String, Object> out = new LinkedHashMap<>();
            for (Map.Entry<String, Object> entry : object.entrySet()) {
                if (entry.getKey().equalsIgnoreCase("copy") && entry.getValue() instanceof List<?> loops
                        && loops.stream().allMatch(l -> l instanceof Map<?, ?> m
                        && Values.hasProperty((Map<String, Object>) m, "input"))) {
                    for (Object loop : loops) {
                        Map<String, Object> l = (Map<String, Object>) loop;
                        String name = String.valueOf(Values.property(l, "name"));
                        out.put(name, propertyLoop(l, name, context, path + ".copy"));
                    }
                } else {
                    out.put(entry.getKey(), expandValue(entry.getValue(), context, path + "." + entry.getKey()));
                }
            }
            return out;
        }
        if (value instanceof List<?> list) {
            List<Object> out = new ArrayList<>();
            for (int i = 0; i < list.size(); i++) {
                out.add(expandValue(list.get(i), context, path + "[" + i + "]"));
            }
            return out;
        }
        return evaluate(new Evaluator(context), value, path);
    }

    private List<Object> propertyLoop(Map<String, Object> loop, String name, Context context, String path) {
        Object count = evaluate(new Evaluator(context), Values.property(loop, "count"), path + ".count");
        if (!(count instanceof Long n) || n < 0 || n > MAX_COPY) {
            throw invalidAt(path, "The copy count of property '" + name + "' must be an integer between 0 and "
                    + MAX_COPY + ".");
        }
        List<Object> items = new ArrayList<>();
        for (long i = 0; i < n; i++) {
            Map<String, Long> indices = new HashMap<>(context.indices);
            indices.put(name.toLowerCase(Locale.ROOT), i);
            items.add(expandValue(Values.property(loop, "input"), new Context(context.reader, indices, false)
                    .current(name), path + ".input"));
        }
        return items;
    }

    private static Object evaluate(Evaluator evaluator, Object value, String path) {
        try {
            return evaluator.evaluateValue(value);
        } catch (TemplateException refused) {
            throw refused.at(path);
        }
    }

    private static TemplateException invalidAt(String path, String message) {
        return new TemplateException("InvalidTemplate", "Deployment template validation failed: '" + message + "'.",
                path);
    }

    // ---------------------------------------------------------------- the context expressions see

    private final class Context implements TemplateContext {

        private final ResourceReader reader;
        private final Map<String, Long> indices;
        private final boolean inParameterDefaults;
        private String currentLoop;

        Context(ResourceReader reader, Map<String, Long> indices, boolean inParameterDefaults) {
            this.reader = reader;
            this.indices = indices;
            this.inParameterDefaults = inParameterDefaults;
        }

        Context current(String loop) {
            this.currentLoop = loop == null ? null : loop.toLowerCase(Locale.ROOT);
            return this;
        }

        @Override
        public Object parameter(String name) {
            for (Map.Entry<String, Object> entry : parameterValues.entrySet()) {
                if (entry.getKey().equalsIgnoreCase(name)) {
                    return entry.getValue();
                }
            }
            throw TemplateException.invalid("The template parameter '" + name + "' is not found. Please see the "
                    + "template reference for usage details.");
        }

        @Override
        public Map<String, Object> parameters() {
            return new LinkedHashMap<>(parameterValues);
        }

        @Override
        @SuppressWarnings("unchecked")
        public Object variable(String name) {
            if (inParameterDefaults) {
                throw TemplateException.invalid("The template function 'variables' is not expected at this "
                        + "location.");
            }
            String key = name.toLowerCase(Locale.ROOT);
            if (variableValues.containsKey(key)) {
                return variableValues.get(key);
            }
            if (!variableDefinitions.containsKey(key)) {
                throw TemplateException.invalid("The template variable '" + name + "' is not found. Please see the "
                        + "template reference for usage details.");
            }
            if (!variablesInProgress.add(key)) {
                throw TemplateException.invalid("The template variable '" + name + "' has a circular reference.");
            }
            try {
                Object definition = variableDefinitions.get(key);
                Context plain = new Context(null, Map.of(), false);
                Object value = definition instanceof VariableLoop loop
                        ? propertyLoop(loop.definition(), name, plain, "variables.copy")
                        : expandValue(definition, plain, "variables." + name);
                variableValues.put(key, value);
                return value;
            } finally {
                variablesInProgress.remove(key);
            }
        }

        @Override
        public Map<String, Object> deployment() {
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("name", scope.deploymentName());
            Map<String, Object> properties = new LinkedHashMap<>();
            properties.put("templateLink", null);
            Map<String, Object> contentVersion = new LinkedHashMap<>();
            contentVersion.put("contentVersion", contentVersion());
            properties.put("template", contentVersion);
            out.put("properties", properties);
            if (scope.location() != null) {
                out.put("location", scope.location());
            }
            return out;
        }

        @Override
        public Map<String, Object> environment() {
            return Environment.describe();
        }

        @Override
        public String subscriptionId() {
            return scope.subscriptionId();
        }

        @Override
        public Map<String, Object> resourceGroup() {
            if (scope.resourceGroup() == null) {
                return null;
            }
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("id", scope.resourceGroupId());
            out.put("name", scope.resourceGroup());
            out.put("type", "Microsoft.Resources/resourceGroups");
            out.put("location", scope.resourceGroupLocation());
            out.put("properties", Map.of("provisioningState", "Succeeded"));
            return out;
        }

        @Override
        public Map<String, Object> subscription() {
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("id", "/subscriptions/" + scope.subscriptionId());
            out.put("subscriptionId", scope.subscriptionId());
            out.put("tenantId", scope.tenantId());
            out.put("displayName", scope.subscriptionId());
            return out;
        }

        @Override
        public Map<String, Object> tenant() {
            return Map.of("tenantId", scope.tenantId(), "countryCode", "US", "displayName", "Cirrus");
        }

        @Override
        public Instant now() {
            if (!inParameterDefaults) {
                throw TemplateException.invalid("The template function 'utcNow' is not expected at this location. "
                        + "It can only be used with the default value of parameters.");
            }
            return clock.instant();
        }

        @Override
        public Object reference(String resourceIdOrName, String apiVersion, boolean full) {
            if (reader == null) {
                return TemplateContext.super.reference(resourceIdOrName, apiVersion, full);
            }
            String id = resolve(resourceIdOrName);
            PlannedResource planned = plan == null ? null : plan.stream()
                    .filter(r -> r.id().equalsIgnoreCase(id)).findFirst().orElse(null);
            String version = apiVersion != null ? apiVersion : planned != null ? planned.apiVersion() : null;
            if (version == null) {
                throw TemplateException.invalid("The template function 'reference' needs an api-version for '"
                        + resourceIdOrName + "', which is not a resource of this template.");
            }
            Map<String, Object> resource = reader.read(id, version);
            return full ? resource : Values.property(resource, "properties");
        }

        @Override
        public Object list(String action, String resourceIdOrName, String apiVersion, Object body) {
            if (reader == null) {
                return TemplateContext.super.list(action, resourceIdOrName, apiVersion, body);
            }
            return reader.post(resolve(resourceIdOrName), action, apiVersion, body);
        }

        private String resolve(String resourceIdOrName) {
            if (resourceIdOrName.startsWith("/")) {
                return resourceIdOrName;
            }
            if (plan != null) {
                for (PlannedResource r : plan) {
                    if (r.name().equalsIgnoreCase(resourceIdOrName)
                            || (r.type() + "/" + r.name()).equalsIgnoreCase(resourceIdOrName)) {
                        return r.id();
                    }
                }
            }
            throw TemplateException.invalid("The template reference '" + resourceIdOrName + "' is not valid: could "
                    + "not find template resource or resource copy with this name.");
        }

        @Override
        public long copyIndex(String loop) {
            String key = loop == null ? currentLoop : loop.toLowerCase(Locale.ROOT);
            if (key == null || !indices.containsKey(key)) {
                return TemplateContext.super.copyIndex(loop);
            }
            return indices.get(key);
        }

        @Override
        public UserFunction function(String qualifiedName) {
            return functions.get(qualifiedName.toLowerCase(Locale.ROOT));
        }
    }
}
