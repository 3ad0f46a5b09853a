package dev.cirrus.gateway.deployments.template;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;

import org.junit.jupiter.api.Test;

/** Template refusals say where in the JSON text the element they name starts, as ARM's messages do. */
class TemplatePositionsTest {

    private static final DeploymentScope SCOPE = new DeploymentScope("sub", "g", "westeurope", "d1", "tenant", null);
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-12-06T15:30:00Z"), ZoneOffset.UTC);

    private static final String TEMPLATE = """
            {
              "$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",
              "contentVersion": "1.0.0.0",
              "parameters": {
                "sku": {"type": "string", "allowedValues": ["Aligned", "Classic"]}
              },
              "resources": [
                {"type": "Microsoft.Compute/availabilitySets", "apiVersion": "2024-07-01", "name": "ok",
                 "location": "westeurope"},
                {
                  "type": "Microsoft.Compute/availabilitySets", "apiVersion": "2024-07-01",
                  "name": "[concat('as', noSuchFunction())]"
                }
              ]
            }
            """;

    private static JsonDocument request(String template) {
        return JsonDocument.parse("{\"properties\": {\"mode\": \"Incremental\",\n\"template\": " + template + "}}");
    }

    private static Template load(JsonDocument request, Map<String, Object> parameters) {
        @SuppressWarnings("unchecked")
        Map<String, Object> properties = (Map<String, Object>) ((Map<String, Object>) request.value())
                .get("properties");
        return Template.load(request.at("properties.template", properties.get("template")), parameters, SCOPE,
                CLOCK);
    }

    @Test
    void aJsonDocumentKnowsWhereEveryValueStarts() {
        JsonDocument document = JsonDocument.parse(TEMPLATE);
        assertThat(document.position("resources[1]")).isEqualTo(new JsonDocument.Position(10, 5));
        assertThat(document.position("resources[1].name")).isEqualTo(new JsonDocument.Position(12, 15));
        assertThat(document.position("Resources[1][copy 3].name")).isEqualTo(new JsonDocument.Position(12, 15));
        assertThat(document.position("parameters.sku.nothingThere")).isEqualTo(new JsonDocument.Position(5, 12));
        assertThat(document.position("contentVersion")).isEqualTo(new JsonDocument.Position(3, 21));
    }

    @Test
    void anExpressionErrorNamesTheResourceWithItsLineAndColumnInTheRequest() {
        Template template = load(request(TEMPLATE), Map.of("sku", Map.of("value", "Aligned")));
        // the template starts on the request's second line, so its line 12 is the request's line 13
        assertThatThrownBy(template::plan).isInstanceOfSatisfying(TemplateException.class, e -> {
            assertThat(e.code()).isEqualTo("InvalidTemplate");
            assertThat(e.getMessage()).startsWith("Deployment template validation failed: 'The template resource "
                    + "'resources[1]' at line '13' and column '15' is not valid: ");
            assertThat(e.getMessage()).contains("noSuchFunction");
            assertThat(e.target()).isEqualTo("resources[1].name");
        });
    }

    @Test
    void aParameterOutsideItsAllowedValuesIsRefusedWithTheParametersPosition() {
        assertThatThrownBy(() -> load(request(TEMPLATE), Map.of("sku", Map.of("value", "Tiny"))))
                .isInstanceOfSatisfying(TemplateException.class, e -> assertThat(e.getMessage())
                        .contains("for the template parameter 'sku' at line '6' and column '12' is not valid"));
    }

    @Test
    void aDuplicateResourceIsReportedAtTheSecondDefinition() {
        String duplicate = TEMPLATE.replace("[concat('as', noSuchFunction())]", "OK");
        assertThatThrownBy(() -> load(request(duplicate), Map.of("sku", Map.of("value", "Aligned"))).plan())
                .isInstanceOfSatisfying(TemplateException.class, e -> assertThat(e.getMessage())
                        .contains("at line '11' and column '5' is defined multiple times"));
    }

    @Test
    void textThatIsNotJsonIsRefusedWithThePathLineAndPositionOfTheFault() {
        assertThatThrownBy(() -> JsonDocument.parse("{\"properties\": {\n  \"template\": {\n    \"a\": x}}}"))
                .isInstanceOf(JsonDocument.NotJson.class)
                .hasMessageContaining("Path 'properties.template.a', line 3, position 10.");
        assertThatThrownBy(() -> JsonDocument.parse("{\"a\": [1, 2}"))
                .isInstanceOf(JsonDocument.NotJson.class).hasMessageContaining("line 1, position 12.");
        assertThatThrownBy(() -> JsonDocument.parse("{\"a\": 1"))
                .isInstanceOf(JsonDocument.NotJson.class)
                .hasMessage("Unexpected end-of-input: expected close marker for Object. Path 'a', line 1, position 8.");
        assertThatThrownBy(() -> JsonDocument.parse("{} {}"))
                .isInstanceOf(JsonDocument.NotJson.class).hasMessageContaining("Additional text");
    }

    @Test
    void aTemplateWithoutTextHasNoPositionsAndItsMessagesStayAsTheyAre() {
        assertThat(JsonDocument.of(Map.of()).position("resources[0]")).isNull();
    }
}
