package dev.cirrus.gateway.deployments;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.params.provider.Arguments;

/**
 * The bad-input table of template deployments: requests a PUT refuses with 400 before anything is stored or
 * created, each with ARM's code and a part of its message (line and position where ARM gives them).
 * {@link DeploymentsThroughTheGatewayTest} sends each through the gateway.
 */
final class DeploymentBadInput {

    private DeploymentBadInput() {
    }

    static final String SCHEMA = "\"$schema\": \"https://schema.management.azure.com/schemas/2019-04-01/"
            + "deploymentTemplate.json#\", \"contentVersion\": \"1.0.0.0\"";
    private static final String AS = "{\"type\": \"Microsoft.Compute/availabilitySets\", \"apiVersion\": "
            + "\"2024-07-01\", \"location\": \"eastus\", ";

    /** One case: a name, the deployment's name, the request body, the expected status, code and message part. */
    record Case(String name, String deployment, String body, int status, String code, String message) {
        @Override
        public String toString() {
            return name;
        }
    }

    private static String request(String template, String parameters) {
        return "{\"properties\": {\"mode\": \"Incremental\", \"template\": " + template
                + (parameters == null ? "" : ", \"parameters\": " + parameters) + "}}";
    }

    private static String tpl(String body) {
        return "{" + SCHEMA + ", " + body + "}";
    }

    private static Case invalid(String name, String templateBody, String parameters, String message) {
        return new Case(name, "bad", request(tpl(templateBody), parameters), 400, "InvalidTemplate", message);
    }

    private static Case resource(String name, String resourceBody, String message) {
        return invalid(name, "\"resources\": [" + AS + resourceBody + "}]", null, message);
    }

    private static Case parameter(String name, String declaration, String value, String message) {
        return invalid(name, "\"parameters\": {\"p\": " + declaration + "}, \"resources\": []",
                value == null ? null : "{\"p\": " + value + "}", message);
    }

    private static Case content(String name, String body, String code, String message) {
        return new Case(name, "bad", body, 400, code, message);
    }

    static List<Arguments> cases() {
        List<Case> cases = new ArrayList<>();
        // the request itself
        cases.add(content("a body that is not JSON says where", "{\"properties\": {\n  \"mode\": \"Incremental\",\n"
                + "  \"template\": {,}}}", "InvalidRequestContent", "Path 'properties.template', line 3, position"));
        cases.add(content("a body that ends early", "{\"properties\": {\"mode\": ", "InvalidRequestContent",
                "line 1, position"));
        cases.add(content("a body that is an array", "[]", "InvalidRequestContent", "must be a JSON object"));
        cases.add(content("a body without properties", "{}", "InvalidRequestContent", "'properties'"));
        cases.add(content("an unknown mode", "{\"properties\": {\"mode\": \"Sometimes\", \"template\": {}}}",
                "InvalidRequestContent", "'DeploymentMode'"));
        cases.add(content("no mode", "{\"properties\": {\"template\": {}}}", "InvalidRequestContent",
                "'DeploymentMode'"));
        cases.add(content("a template and a templateLink", "{\"properties\": {\"mode\": \"Incremental\", "
                + "\"template\": {}, \"templateLink\": {\"uri\": \"http://127.0.0.1:1/t.json\"}}}",
                "InvalidRequestContent", "exactly one of 'template' and 'templateLink'"));
        cases.add(content("neither a template nor a templateLink", "{\"properties\": {\"mode\": \"Incremental\"}}",
                "InvalidRequestContent", "exactly one of 'template' and 'templateLink'"));
        cases.add(content("parameters that are an array", request(tpl("\"resources\": []"), "[]"),
                "InvalidRequestContent", "'parameters' must be an object"));
        cases.add(content("parameters and a parametersLink", "{\"properties\": {\"mode\": \"Incremental\", "
                + "\"template\": " + tpl("\"resources\": []") + ", \"parameters\": {}, \"parametersLink\": "
                + "{\"uri\": \"http://127.0.0.1:1/p.json\"}}}", "InvalidRequestContent",
                "'parameters' and 'parametersLink' cannot both be given"));
        cases.add(content("a templateLink that is not http", "{\"properties\": {\"mode\": \"Incremental\", "
                + "\"templateLink\": {\"uri\": \"file:///etc/passwd\"}}}", "InvalidTemplateLink", "http or https"));
        cases.add(content("a templateLink without a uri", "{\"properties\": {\"mode\": \"Incremental\", "
                + "\"templateLink\": {\"id\": \"x\"}}}", "InvalidTemplateLink", "http or https"));
        cases.add(content("a templateLink nobody answers", "{\"properties\": {\"mode\": \"Incremental\", "
                + "\"templateLink\": {\"uri\": \"http://127.0.0.1:1/t.json\"}}}", "InvalidContentLink",
                "Unable to download deployment content from 'http://127.0.0.1:1/t.json'"));
        cases.add(content("a template that is a string", "{\"properties\": {\"mode\": \"Incremental\", "
                + "\"template\": \"x\"}}", "InvalidTemplate", "must be a JSON object"));
        cases.add(new Case("a deployment name over 64 characters", "d".repeat(65), request(tpl("\"resources\": []"),
                null), 400, "DeploymentNameLengthLimitExceeded", "exceeds the maximum length of '64'"));
        cases.add(new Case("a deployment name with a star", "no*good", request(tpl("\"resources\": []"), null), 400,
                "InvalidDeploymentName", "is not valid"));
        // the template's shape
        cases.add(content("no $schema", request("{\"contentVersion\": \"1.0.0.0\", \"resources\": []}", null),
                "InvalidTemplate", "Required property '$schema'"));
        cases.add(content("no contentVersion", request("{\"$schema\": \"x\", \"resources\": []}", null),
                "InvalidTemplate", "Required property 'contentVersion'"));
        cases.add(content("a malformed contentVersion", request("{\"$schema\": \"x\", \"contentVersion\": \"1.0\", "
                + "\"resources\": []}", null), "InvalidTemplate", "The template content version '1.0' is not valid"));
        cases.add(invalid("no resources", "\"outputs\": {}", null, "Required property 'resources'"));
        cases.add(invalid("resources that are an object", "\"resources\": {}", null, "Required property 'resources'"));
        cases.add(invalid("an unknown top-level member", "\"resources\": [], \"extra\": 1", null,
                "Could not find member 'extra'"));
        cases.add(invalid("a parameters section that is an array", "\"resources\": [], \"parameters\": []", null,
                "The 'parameters' section must be a JSON object"));
        cases.add(invalid("a variables section that is a number", "\"resources\": [], \"variables\": 3", null,
                "The 'variables' section must be a JSON object"));
        cases.add(invalid("an outputs section that is an array", "\"resources\": [], \"outputs\": []", null,
                "The 'outputs' section must be a JSON object"));
        cases.add(invalid("a user function without output", "\"functions\": [{\"namespace\": \"n\", \"members\": "
                + "{\"f\": {\"parameters\": []}}}], \"resources\": []", null, "must have an 'output'"));
        cases.add(invalid("a resource that is a string", "\"resources\": [\"text\"]", null, "must be a JSON object"));
        // parameters
        cases.add(parameter("a parameter without a value", "{\"type\": \"string\"}", null, "is not provided"));
        cases.add(parameter("a parameter given no value", "{\"type\": \"string\"}", "{}", "is null"));
        cases.add(parameter("an int parameter given a string", "{\"type\": \"int\"}", "{\"value\": \"x\"}",
                "Expected a value of type 'Integer', but received a value of type 'String'"));
        cases.add(parameter("a bool parameter given a number", "{\"type\": \"bool\"}", "{\"value\": 3}",
                "Expected a value of type 'Boolean'"));
        cases.add(parameter("an array parameter given an object", "{\"type\": \"array\"}", "{\"value\": {}}",
                "Expected a value of type 'Array'"));
        cases.add(parameter("an object parameter given an array", "{\"type\": \"object\"}", "{\"value\": []}",
                "Expected a value of type 'Object'"));
        cases.add(parameter("a string parameter given a number", "{\"type\": \"string\"}", "{\"value\": 1}",
                "Expected a value of type 'String'"));
        cases.add(parameter("an unknown parameter type", "{\"type\": \"float\"}", null, "has an invalid type"));
        cases.add(parameter("a value outside the allowed values", "{\"type\": \"string\", \"allowedValues\": "
                + "[\"a\", \"b\"]}", "{\"value\": \"c\"}", "The value is not part of the allowed value(s): 'a,b'"));
        cases.add(parameter("an int under its minimum", "{\"type\": \"int\", \"minValue\": 2}", "{\"value\": 1}",
                "greater than or equal to '2'"));
        cases.add(parameter("an int over its maximum", "{\"type\": \"int\", \"maxValue\": 2}", "{\"value\": 3}",
                "less than or equal to '2'"));
        cases.add(parameter("a string under its minimum length", "{\"type\": \"string\", \"minLength\": 3}",
                "{\"value\": \"ab\"}", "greater than or equal to '3'"));
        cases.add(parameter("a string over its maximum length", "{\"type\": \"string\", \"maxLength\": 3}",
                "{\"value\": \"abcd\"}", "less than or equal to '3'"));
        cases.add(parameter("an array over its maximum length", "{\"type\": \"array\", \"maxLength\": 1}",
                "{\"value\": [1, 2]}", "less than or equal to '1'"));
        cases.add(parameter("a secure value outside the allowed values is not shown", "{\"type\": \"securestring\", "
                + "\"allowedValues\": [\"a\"]}", "{\"value\": \"hidden\"}", "The provided value '******'"));
        cases.add(parameter("a default value that does not parse", "{\"type\": \"string\", \"defaultValue\": "
                + "\"[concat('a']\"}", null, "Unable to parse language expression"));
        cases.add(parameter("a Key Vault reference", "{\"type\": \"string\"}", "{\"reference\": {\"keyVault\": {}}}",
                "Key Vault reference"));
        cases.add(invalid("a parameter the template does not declare", "\"resources\": []", "{\"q\": {\"value\": 1}}",
                "The template parameters 'q' in the parameters file are not valid"));
        cases.add(invalid("variables in a parameter default", "\"parameters\": {\"p\": {\"type\": \"string\", "
                + "\"defaultValue\": \"[variables('v')]\"}}, \"variables\": {\"v\": 1}, \"resources\": []", null,
                "The template function 'variables' is not expected at this location"));
        // resources and expressions
        cases.add(resource("a resource without a name", "\"properties\": {}", "must have a 'name'"));
        cases.add(invalid("a resource without a type", "\"resources\": [{\"name\": \"a\", \"apiVersion\": \"1\"}]",
                null, "must have a 'type'"));
        cases.add(invalid("a resource without an apiVersion", "\"resources\": [{\"type\": "
                + "\"Microsoft.Compute/availabilitySets\", \"name\": \"a\"}]", null, "must have an 'apiVersion'"));
        cases.add(resource("a name with too many segments", "\"name\": \"a/b\"", "has incorrect segment lengths"));
        cases.add(invalid("a type without a namespace", "\"resources\": [{\"type\": \"availabilitySets\", "
                + "\"name\": \"a\", \"apiVersion\": \"1\"}]", null, "has incorrect segment lengths"));
        cases.add(invalid("a resource defined twice, at its line and column", "\"resources\": [\n" + AS
                + "\"name\": \"a\"},\n    " + AS + "\"name\": \"A\"}]", null,
                "at line '3' and column '5' is defined multiple times"));
        cases.add(resource("a dependsOn naming nothing", "\"name\": \"a\", \"dependsOn\": [\"b\"]",
                "The resource 'b' is not defined in the template"));
        cases.add(invalid("two resources depending on each other", "\"resources\": [" + AS + "\"name\": \"a\", "
                + "\"dependsOn\": [\"b\"]}, " + AS + "\"name\": \"b\", \"dependsOn\": [\"a\"]}]", null,
                "Circular dependency detected on resource"));
        cases.add(invalid("a cycle through reference()", "\"resources\": [" + AS + "\"name\": \"c\", "
                + "\"dependsOn\": [\"d\"]}, " + AS + "\"name\": \"d\", \"properties\": {\"x\": \"[reference('c').y]\"}}]",
                null, "Circular dependency detected on resource"));
        cases.add(invalid("a three-resource cycle", "\"resources\": [" + AS + "\"name\": \"a\", \"dependsOn\": "
                + "[\"c\"]}, " + AS + "\"name\": \"b\", \"dependsOn\": [\"a\"]}, " + AS + "\"name\": \"c\", "
                + "\"dependsOn\": [\"b\"]}]", null, "Circular dependency detected on resource"));
        cases.add(resource("a dependsOn that is a string", "\"name\": \"a\", \"dependsOn\": \"b\"",
                "The 'dependsOn' property must be an array"));
        cases.add(resource("a copy count over 800", "\"name\": \"[concat('a', copyIndex())]\", \"copy\": "
                + "{\"name\": \"l\", \"count\": 801}", "copy count '801' is not valid"));
        cases.add(resource("a negative copy count", "\"name\": \"[concat('a', copyIndex())]\", \"copy\": "
                + "{\"name\": \"l\", \"count\": -1}", "copy count '-1' is not valid"));
        cases.add(resource("a copy without a name", "\"name\": \"a\", \"copy\": {\"count\": 2}",
                "copy must have a 'name'"));
        cases.add(resource("an unknown copy mode", "\"name\": \"[concat('a', copyIndex())]\", \"copy\": "
                + "{\"name\": \"l\", \"count\": 2, \"mode\": \"sometimes\"}", "copy mode 'sometimes' is not valid"));
        cases.add(resource("a serial copy with batch size 0", "\"name\": \"[concat('a', copyIndex())]\", \"copy\": "
                + "{\"name\": \"l\", \"count\": 2, \"mode\": \"serial\", \"batchSize\": 0}",
                "batch size must be a positive integer"));
        cases.add(resource("copyIndex outside a loop", "\"name\": \"[copyIndex()]\"",
                "The template function 'copyIndex' is not expected at this location"));
        cases.add(resource("a condition that is not a boolean", "\"name\": \"a\", \"condition\": \"yes\"",
                "has a condition that is not a boolean"));
        cases.add(resource("an unknown parameter", "\"name\": \"[parameters('nope')]\"",
                "The template parameter 'nope' is not found"));
        cases.add(resource("an unknown variable", "\"name\": \"[variables('nope')]\"",
                "The template variable 'nope' is not found"));
        cases.add(invalid("variables that refer to each other", "\"variables\": {\"a\": \"[variables('b')]\", "
                + "\"b\": \"[variables('a')]\"}, \"resources\": [" + AS + "\"name\": \"[variables('a')]\"}]", null,
                "has a circular reference"));
        cases.add(invalid("reference() in a variable", "\"variables\": {\"a\": \"[reference('x')]\"}, "
                + "\"resources\": [" + AS + "\"name\": \"[variables('a')]\"}]", null,
                "The template function 'reference' is not expected at this location"));
        cases.add(resource("utcNow outside a parameter default", "\"name\": \"[utcNow()]\"",
                "It can only be used with the default value of parameters"));
        cases.add(invalid("an unknown function, at the resource's line and column", "\"resources\": [\n" + AS
                + "\n \"name\": \"[unknownFn()]\"}]", null,
                "The template resource 'resources[0]' at line '3' and column '10' is not valid"));
        cases.add(resource("an unknown user function", "\"name\": \"[contoso.f()]\"",
                "The template function 'contoso.f' is not valid"));
        cases.add(resource("an expression that does not parse", "\"name\": \"[concat('a', ]\"",
                "Unable to parse language expression"));
        cases.add(resource("a function given the wrong number of arguments", "\"name\": \"[concat()]\"",
                "The template function 'concat' expects at least 1 parameter"));
        cases.add(resource("a property of a string", "\"name\": \"[resourceGroup().location.nothing]\"",
                "The language expression property 'nothing'"));
        cases.add(resource("an array index out of range", "\"name\": \"[createArray('a')[3]]\"",
                "array index '3'"));
        // preflight: what no provider serves
        cases.add(new Case("a namespace nobody serves", "bad", request(tpl("\"resources\": [{\"type\": "
                + "\"Contoso.Things/widgets\", \"apiVersion\": \"2024-01-01\", \"name\": \"w\"}]"), null), 400,
                "InvalidTemplateDeployment", "is not valid according to the validation procedure"));
        cases.add(new Case("a type the namespace does not have", "bad", request(tpl("\"resources\": [{\"type\": "
                + "\"Microsoft.Compute/noSuchThings\", \"apiVersion\": \"2024-07-01\", \"name\": \"x\"}]"), null),
                400, "InvalidTemplateDeployment", "See inner errors for details"));
        cases.add(new Case("an api-version the type does not accept", "bad", request(tpl("\"resources\": [{"
                + "\"type\": \"Microsoft.Compute/availabilitySets\", \"apiVersion\": \"2001-01-01\", \"name\": \"x\"}]"),
                null), 400, "InvalidTemplateDeployment", "is not valid according to the validation procedure"));
        return cases.stream().map(Arguments::of).toList();
    }
}
