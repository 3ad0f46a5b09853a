package dev.cirrus.gateway.deployments.template;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import tools.jackson.databind.ObjectMapper;

/** Templates checked, planned and evaluated: parameters, variables, loops, conditions, dependencies, outputs. */
class TemplateProcessingTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String SCHEMA = "\"$schema\":\"https://schema.management.azure.com/schemas/2019-04-01/"
            + "deploymentTemplate.json#\",\"contentVersion\":\"1.0.0.0\"";
    private static final DeploymentScope SCOPE = new DeploymentScope("sub", "g", "westeurope", "d1", "tenant", null);
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-12-06T15:30:00Z"), ZoneOffset.UTC);
    private static final String AS = "/subscriptions/sub/resourceGroups/g/providers/Microsoft.Compute/availabilitySets/";

    @SuppressWarnings("unchecked")
    private static Map<String, Object> json(String text) {
        return (Map<String, Object>) Values.normalize(JSON.readValue(text, Map.class));
    }

    private static Template load(String body, String parameters) {
        return Template.load(json("{" + SCHEMA + "," + body + "}"), json(parameters), SCOPE, CLOCK);
    }

    private static Template load(String body) {
        return load(body, "{}");
    }

    /** Resources that exist once "created": what reference() reads back. */
    private static final class Live implements ResourceReader {
        final Map<String, Map<String, Object>> resources = new HashMap<>();

        @Override
        public Map<String, Object> read(String resourceId, String apiVersion) {
            Map<String, Object> resource = resources.get(resourceId.toLowerCase());
            if (resource == null) {
                throw TemplateException.invalid("The resource '" + resourceId + "' was not found.");
            }
            return resource;
        }

        @Override
        public Object post(String resourceId, String action, String apiVersion, Object body) {
            return Map.of("keys", List.of(Map.of("value", "k-" + action)));
        }
    }

    @Test
    void dependenciesOrderTheResourcesExplicitlyAndThroughReferences() {
        Template template = load("""
                "parameters": {"count": {"type": "int", "defaultValue": 2, "minValue": 1, "maxValue": 5}},
                "variables": {"prefix": "[concat('as-', resourceGroup().location)]"},
                "resources": [
                  {"type": "Microsoft.Compute/availabilitySets", "apiVersion": "2024-07-01",
                   "name": "[concat(variables('prefix'), '-', copyIndex())]", "location": "[resourceGroup().location]",
                   "copy": {"name": "sets", "count": "[parameters('count')]"}},
                  {"type": "Microsoft.Compute/availabilitySets", "apiVersion": "2024-07-01", "name": "last",
                   "dependsOn": ["sets"],
                   "properties": {"platformFaultDomainCount": "[reference('as-westeurope-0').platformFaultDomainCount]"}},
                  {"type": "Microsoft.Compute/availabilitySets", "apiVersion": "2024-07-01", "name": "skipped",
                   "condition": "[equals(parameters('count'), 99)]"}
                ],
                "outputs": {"first": {"type": "string", "value": "[reference('last').platformFaultDomainCount]"},
                            "names": {"type": "array", "copy": {"count": 2, "input": "[concat('n', copyIndex())]"}}}
                """);
        List<PlannedResource> plan = template.plan();
        assertThat(plan).extracting(PlannedResource::id).containsExactly(AS + "as-westeurope-0",
                AS + "as-westeurope-1", AS + "last", AS + "skipped");
        assertThat(plan.get(2).dependsOn()).containsExactlyInAnyOrder(AS + "as-westeurope-0", AS + "as-westeurope-1");
        assertThat(plan.get(3).enabled()).isFalse();
        assertThat(plan.get(0).loop()).isEqualTo("sets");

        Live live = new Live();
        live.resources.put((AS + "as-westeurope-0").toLowerCase(), Map.of("properties",
                Map.of("platformFaultDomainCount", 3L)));
        Map<String, Object> body = template.resourceBody(plan.get(2), live);
        assertThat(body).doesNotContainKeys("type", "apiVersion", "name", "dependsOn");
        assertThat(body.get("properties")).isEqualTo(Map.of("platformFaultDomainCount", 3L));
        assertThat(template.resourceBody(plan.get(1), live)).containsEntry("location", "westeurope");

        live.resources.put((AS + "last").toLowerCase(), Map.of("properties", Map.of("platformFaultDomainCount", 3L)));
        Map<String, Object> outputs = template.outputs(live);
        assertThat(outputs.get("first")).isEqualTo(Map.of("type", "String", "value", 3L));
        assertThat(outputs.get("names")).isEqualTo(Map.of("type", "Array", "value", List.of("n0", "n1")));
    }

    @Test
    void propertyAndVariableLoopsBuildArrays() {
        Template template = load("""
                "variables": {"copy": [{"name": "disks", "count": 2, "input": "[concat('d', copyIndex('disks'))]"}],
                              "tags": {"copy": [{"name": "list", "count": 2, "input": "[copyIndex('list', 1)]"}]}},
                "resources": [{"type": "Microsoft.Compute/availabilitySets", "apiVersion": "2024-07-01",
                   "name": "a", "tags": {"d": "[string(variables('disks'))]", "t": "[string(variables('tags'))]"},
                   "properties": {"copy": [{"name": "items", "count": 3,
                                            "input": {"lun": "[copyIndex('items')]"}}]}}]
                """);
        Map<String, Object> body = template.resourceBody(template.plan().getFirst(), new Live());
        assertThat(body.get("tags")).isEqualTo(Map.of("d", "[\"d0\",\"d1\"]", "t", "{\"list\":[1,2]}"));
        assertThat(body.get("properties")).isEqualTo(Map.of("items", List.of(Map.of("lun", 0L), Map.of("lun", 1L),
                Map.of("lun", 2L))));
    }

    @Test
    void serialLoopsWaitForThePreviousBatch() {
        List<PlannedResource> plan = load("""
                "resources": [{"type": "Microsoft.Compute/availabilitySets", "apiVersion": "2024-07-01",
                  "name": "[concat('s', copyIndex())]",
                  "copy": {"name": "serial", "count": 4, "mode": "Serial", "batchSize": 2}}]
                """).plan();
        assertThat(plan.get(0).dependsOn()).isEmpty();
        assertThat(plan.get(1).dependsOn()).isEmpty();
        assertThat(plan.get(2).dependsOn()).containsExactlyInAnyOrder(AS + "s0", AS + "s1");
        assertThat(plan.get(3).dependsOn()).containsExactlyInAnyOrder(AS + "s0", AS + "s1");
    }

    @Test
    void secureParametersAreNeverShownAndUserFunctionsAreCalled() {
        Template template = load("""
                "parameters": {"password": {"type": "securestring"}, "name": {"type": "string"}},
                "functions": [{"namespace": "contoso", "members": {"uniqueName": {
                   "parameters": [{"name": "prefix", "type": "string"}],
                   "output": {"type": "string", "value": "[concat(toLower(parameters('prefix')), '-x')]"}}}}],
                "resources": [{"type": "Microsoft.Compute/availabilitySets", "apiVersion": "2024-07-01",
                   "name": "[contoso.uniqueName(parameters('name'))]"}],
                "outputs": {"secret": {"type": "securestring", "value": "[parameters('password')]"}}
                """, "{\"password\": {\"value\": \"p@ss\"}, \"name\": {\"value\": \"WEB\"}}");
        assertThat(template.plan().getFirst().name()).isEqualTo("web-x");
        assertThat(template.displayedParameters()).isEqualTo(Map.of("password", Map.of("type", "SecureString"),
                "name", Map.of("type", "String", "value", "WEB")));
        assertThat(template.outputs(new Live()).get("secret")).isEqualTo(Map.of("type", "SecureString"));
        assertThat(Values.json(template.displayedParameters())).doesNotContain("p@ss");
    }

    @Test
    void aNestedDeploymentWithOuterScopeIsEvaluatedHereAndWithInnerScopeIsSentAsWritten() {
        Template template = load("""
                "parameters": {"p": {"type": "string", "defaultValue": "outer-value"}},
                "resources": [
                  {"type": "Microsoft.Resources/deployments", "apiVersion": "2022-09-01", "name": "outer",
                   "properties": {"mode": "Incremental", "template": {"resources": [],
                      "outputs": {"o": {"type": "string", "value": "[parameters('p')]"}}}}},
                  {"type": "Microsoft.Resources/deployments", "apiVersion": "2022-09-01", "name": "inner",
                   "properties": {"mode": "Incremental", "expressionEvaluationOptions": {"scope": "inner"},
                      "parameters": {"p": {"value": "[parameters('p')]"}},
                      "template": {"resources": [], "outputs": {"o": {"type": "string", "value": "[parameters('p')]"}}}}}
                ]
                """);
        List<PlannedResource> plan = template.plan();
        assertThat(plan.getFirst().isNestedDeployment()).isTrue();
        assertThat(Values.json(template.resourceBody(plan.get(0), new Live())))
                .contains("\"value\":\"outer-value\"");
        String inner = Values.json(template.resourceBody(plan.get(1), new Live()));
        assertThat(inner).contains("\"value\":\"[parameters('p')]\"").contains("\"p\":{\"value\":\"outer-value\"}");
    }

    @Test
    void parameterDefaultsMayUseUtcNowAndNewGuidButResourcesMayNot() {
        Template template = load("""
                "parameters": {"stamp": {"type": "string", "defaultValue": "[utcNow('yyyy-MM-dd')]"}},
                "resources": [], "outputs": {"s": {"type": "string", "value": "[parameters('stamp')]"}}
                """);
        assertThat(template.outputs(new Live()).get("s")).isEqualTo(Map.of("type", "String", "value", "2026-12-06"));
    }

    @ParameterizedTest(name = "[{index}] {2}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', textBlock = """
            `"resources": []`                                                              | `{}` | Required property '$schema'
            `"$schema": "x", "resources": []`                                              | `{}` | Required property 'contentVersion'
            `"$schema": "x", "contentVersion": "1.0", "resources": []`                    | `{}` | The template content version '1.0' is not valid
            `"$schema": "x", "contentVersion": "1.0.0.0"`                                 | `{}` | Required property 'resources'
            `"$schema": "x", "contentVersion": "1.0.0.0", "resources": {}`                | `{}` | Required property 'resources'
            `"$schema": "x", "contentVersion": "1.0.0.0", "resources": [], "extra": 1`    | `{}` | Could not find member 'extra'
            `"$schema": "x", "contentVersion": "1.0.0.0", "resources": [], "parameters": []` | `{}` | The 'parameters' section must be a JSON object
            `"$schema": "x", "contentVersion": "1.0.0.0", "resources": [], "variables": 3` | `{}` | The 'variables' section must be a JSON object
            """)
    void malformedTemplatesAreInvalidTemplate(String body, String parameters, String message) {
        assertThatThrownBy(() -> Template.load(json("{" + body + "}"), json(parameters), SCOPE, CLOCK).plan())
                .isInstanceOfSatisfying(TemplateException.class, e -> {
                    assertThat(e.code()).isEqualTo("InvalidTemplate");
                    assertThat(e.getMessage()).contains(message);
                });
    }

    @ParameterizedTest(name = "[{index}] {2}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', textBlock = """
            `"parameters": {"p": {"type": "string"}}, "resources": []`                      | `{}`                        | The value for the template parameter 'p' is not provided
            `"parameters": {"p": {"type": "string"}}, "resources": []`                      | `{"p": {}}`                 | The value of deployment parameter 'p' is null
            `"parameters": {"p": {"type": "string"}}, "resources": []`                      | `{"q": {"value": 1}, "p": {"value": "a"}}` | The template parameters 'q' in the parameters file are not valid
            `"parameters": {"p": {"type": "int"}}, "resources": []`                         | `{"p": {"value": "x"}}`     | Expected a value of type 'Integer', but received a value of type 'String'
            `"parameters": {"p": {"type": "bool"}}, "resources": []`                        | `{"p": {"value": 3}}`       | Expected a value of type 'Boolean', but received a value of type 'Integer'
            `"parameters": {"p": {"type": "array"}}, "resources": []`                       | `{"p": {"value": {}}}`      | Expected a value of type 'Array', but received a value of type 'Object'
            `"parameters": {"p": {"type": "object"}}, "resources": []`                      | `{"p": {"value": []}}`      | Expected a value of type 'Object', but received a value of type 'Array'
            `"parameters": {"p": {"type": "string"}}, "resources": []`                      | `{"p": {"value": 1}}`       | Expected a value of type 'String', but received a value of type 'Integer'
            `"parameters": {"p": {"type": "float"}}, "resources": []`                       | `{}`                        | has an invalid type 'float'
            `"parameters": {"p": {"type": "string", "allowedValues": ["a", "b"]}}, "resources": []` | `{"p": {"value": "c"}}` | The value is not part of the allowed value(s): 'a,b'
            `"parameters": {"p": {"type": "array", "allowedValues": ["a", "b"]}}, "resources": []`  | `{"p": {"value": ["a", "z"]}}` | The value is not part of the allowed value(s)
            `"parameters": {"p": {"type": "int", "minValue": 2}}, "resources": []`          | `{"p": {"value": 1}}`       | greater than or equal to '2'
            `"parameters": {"p": {"type": "int", "maxValue": 2}}, "resources": []`          | `{"p": {"value": 3}}`       | less than or equal to '2'
            `"parameters": {"p": {"type": "string", "minLength": 3}}, "resources": []`      | `{"p": {"value": "ab"}}`    | The length of the value must be greater than or equal to '3'
            `"parameters": {"p": {"type": "string", "maxLength": 3}}, "resources": []`      | `{"p": {"value": "abcd"}}`  | The length of the value must be less than or equal to '3'
            `"parameters": {"p": {"type": "array", "maxLength": 1}}, "resources": []`       | `{"p": {"value": [1, 2]}}`  | The length of the value must be less than or equal to '1'
            `"parameters": {"p": {"type": "securestring", "allowedValues": ["a"]}}, "resources": []` | `{"p": {"value": "hidden"}}` | The provided value '******'
            `"parameters": {"p": {"type": "string", "defaultValue": "[concat('a']"}}, "resources": []` | `{}`                 | Unable to parse language expression
            `"parameters": {"p": {"type": "string", "defaultValue": "[variables('v')]"}}, "resources": [], "variables": {"v": 1}` | `{}` | The template function 'variables' is not expected at this location
            `"parameters": {"p": {"type": "string"}}, "resources": []`                      | `{"p": {"reference": {"keyVault": {}}}}` | Key Vault reference
            `"resources": [{"type": "Microsoft.Compute/availabilitySets", "apiVersion": "2024-07-01"}]` | `{}` | must have a 'name'
            `"resources": [{"name": "a", "apiVersion": "2024-07-01"}]`                      | `{}`                        | must have a 'type'
            `"resources": [{"type": "Microsoft.Compute/availabilitySets", "name": "a"}]`    | `{}`                        | must have an 'apiVersion'
            `"resources": [{"type": "Microsoft.Compute/availabilitySets", "name": "a/b", "apiVersion": "1"}]` | `{}` | has incorrect segment lengths
            `"resources": [{"type": "availabilitySets", "name": "a", "apiVersion": "1"}]`   | `{}`                        | has incorrect segment lengths
            `"resources": [{"type": "Microsoft.Compute/availabilitySets", "name": "a", "apiVersion": "1"}, {"type": "Microsoft.Compute/availabilitySets", "name": "A", "apiVersion": "1"}]` | `{}` | is defined multiple times in a template
            `"resources": [{"type": "Microsoft.Compute/availabilitySets", "name": "a", "apiVersion": "1", "dependsOn": ["b"]}]` | `{}` | The resource 'b' is not defined in the template
            `"resources": [{"type": "Microsoft.Compute/availabilitySets", "name": "a", "apiVersion": "1", "dependsOn": ["b"]}, {"type": "Microsoft.Compute/availabilitySets", "name": "b", "apiVersion": "1", "dependsOn": ["a"]}]` | `{}` | Circular dependency detected on resource
            `"resources": [{"type": "Microsoft.Compute/availabilitySets", "name": "a", "apiVersion": "1", "dependsOn": ["[resourceId('Microsoft.Compute/availabilitySets', 'a')]"]}, {"type": "Microsoft.Compute/availabilitySets", "name": "c", "apiVersion": "1", "dependsOn": ["d"]}, {"type": "Microsoft.Compute/availabilitySets", "name": "d", "apiVersion": "1", "properties": {"x": "[reference('c').y]"}}]` | `{}` | Circular dependency detected on resource
            `"resources": [{"type": "Microsoft.Compute/availabilitySets", "name": "a", "apiVersion": "1", "dependsOn": "b"}]` | `{}` | The 'dependsOn' property must be an array
            `"resources": [{"type": "Microsoft.Compute/availabilitySets", "name": "[concat('a', copyIndex())]", "apiVersion": "1", "copy": {"name": "l", "count": 801}}]` | `{}` | copy count '801' is not valid
            `"resources": [{"type": "Microsoft.Compute/availabilitySets", "name": "[concat('a', copyIndex())]", "apiVersion": "1", "copy": {"name": "l", "count": -1}}]` | `{}` | copy count '-1' is not valid
            `"resources": [{"type": "Microsoft.Compute/availabilitySets", "name": "a", "apiVersion": "1", "copy": {"count": 2}}]` | `{}` | copy must have a 'name'
            `"resources": [{"type": "Microsoft.Compute/availabilitySets", "name": "[concat('a', copyIndex())]", "apiVersion": "1", "copy": {"name": "l", "count": 2, "mode": "sometimes"}}]` | `{}` | copy mode 'sometimes' is not valid
            `"resources": [{"type": "Microsoft.Compute/availabilitySets", "name": "[concat('a', copyIndex())]", "apiVersion": "1", "copy": {"name": "l", "count": 2, "mode": "serial", "batchSize": 0}}]` | `{}` | batch size must be a positive integer
            `"resources": [{"type": "Microsoft.Compute/availabilitySets", "name": "[copyIndex()]", "apiVersion": "1"}]` | `{}` | The template function 'copyIndex' is not expected at this location
            `"resources": [{"type": "Microsoft.Compute/availabilitySets", "name": "a", "apiVersion": "1", "condition": "yes"}]` | `{}` | has a condition that is not a boolean
            `"resources": [{"type": "Microsoft.Compute/availabilitySets", "name": "[parameters('nope')]", "apiVersion": "1"}]` | `{}` | The template parameter 'nope' is not found
            `"resources": [{"type": "Microsoft.Compute/availabilitySets", "name": "[variables('nope')]", "apiVersion": "1"}]` | `{}` | The template variable 'nope' is not found
            `"variables": {"a": "[variables('b')]", "b": "[variables('a')]"}, "resources": [{"type": "Microsoft.Compute/availabilitySets", "name": "[variables('a')]", "apiVersion": "1"}]` | `{}` | has a circular reference
            `"variables": {"a": "[reference('x')]"}, "resources": [{"type": "Microsoft.Compute/availabilitySets", "name": "[variables('a')]", "apiVersion": "1"}]` | `{}` | The template function 'reference' is not expected at this location
            `"resources": [{"type": "Microsoft.Compute/availabilitySets", "name": "[utcNow()]", "apiVersion": "1"}]` | `{}` | It can only be used with the default value of parameters
            `"resources": [{"type": "Microsoft.Compute/availabilitySets", "name": "[unknownFn()]", "apiVersion": "1"}]` | `{}` | The template function 'unknownFn' is not valid
            `"resources": [{"type": "Microsoft.Compute/availabilitySets", "name": "[contoso.f()]", "apiVersion": "1"}]` | `{}` | The template function 'contoso.f' is not valid
            `"functions": [{"namespace": "n", "members": {"f": {"parameters": []}}}], "resources": []` | `{}` | A user function must have an 'output'
            `"resources": ["text"]`                                                         | `{}`                        | must be a JSON object
            """)
    void badParametersAndResourcesAreInvalidTemplate(String body, String parameters, String message) {
        assertThatThrownBy(() -> load(body, parameters).plan())
                .isInstanceOfSatisfying(TemplateException.class, e -> {
                    assertThat(e.code()).isEqualTo("InvalidTemplate");
                    assertThat(e.getMessage()).contains(message);
                    assertThat(e.getMessage()).doesNotContain("hidden");
                });
    }

    @Test
    void atSubscriptionScopeAResourceGroupHasItsOwnIdAndANestedDeploymentTargetsItsGroup() {
        DeploymentScope subscription = new DeploymentScope("sub", null, null, "d", "t", "westus");
        List<PlannedResource> plan = Template.load(json("{" + SCHEMA + ", \"resources\": ["
                + "{\"type\": \"Microsoft.Resources/resourceGroups\", \"apiVersion\": \"2022-09-01\", \"name\": \"rg\","
                + " \"location\": \"westus\"},"
                + "{\"type\": \"Microsoft.Resources/deployments\", \"apiVersion\": \"2022-09-01\", \"name\": \"n\","
                + " \"resourceGroup\": \"rg\", \"dependsOn\": [\"[resourceId('Microsoft.Resources/resourceGroups', 'rg')]\"],"
                + " \"properties\": {\"mode\": \"Incremental\", \"template\": {}}}]}"), new LinkedHashMap<>(),
                subscription, CLOCK).plan();
        assertThat(plan.get(0).id()).isEqualTo("/subscriptions/sub/resourceGroups/rg");
        assertThat(plan.get(1).id()).isEqualTo("/subscriptions/sub/resourceGroups/rg/providers/"
                + "Microsoft.Resources/deployments/n");
        assertThat(plan.get(1).dependsOn()).containsExactly("/subscriptions/sub/resourceGroups/rg");
    }
}
