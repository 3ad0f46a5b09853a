package dev.cirrus.gateway.resourcegroup;

import static dev.cirrus.gateway.support.Gateway.errorCode;
import static dev.cirrus.gateway.support.Gateway.json;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

import dev.cirrus.gateway.identity.GatewayData;
import dev.cirrus.gateway.provider.ProviderRegistry;
import dev.cirrus.gateway.support.FakeService;
import dev.cirrus.gateway.support.FakeService.Reply;
import dev.cirrus.gateway.support.Gateway;
import dev.cirrus.gateway.support.TestDatabase;
import dev.cirrus.plumbing.security.ServiceCredential;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;

/**
 * {@code POST …/resourcegroups/{rg}/exportTemplate}, as {@code az group export} sends it ({@code {"resources":["*"]}}
 * at api-version 2019-10-01): the group's resources, read from their owning service (a real HTTP server on loopback
 * answering as the test says; the real services: {@code AzureCliTest} in system-tests), as a template.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class ResourceGroupExportTest {

    static final String V = "?api-version=2024-07-01";
    static final String EXPORT = "/exportTemplate?api-version=2019-10-01";
    static final FakeService service = FakeService.start();

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        TestDatabase.withoutKafka(registry, "gateway_rg_export");
        for (String module : new String[] {"compute-vm", "compute-container", "app-service", "serverless", "billing"}) {
            registry.add("cirrus.gateway.services." + module, () -> service.url().toString());
        }
    }

    @AfterAll
    static void stop() {
        service.close();
    }

    @LocalServerPort
    int port;

    @Autowired
    GatewayData data;

    record Group(Gateway gateway, String path, String vm, String site, Function<FakeService.Received, Reply> answers) {
    }

    /** A group with a VM and a function app, created through the gateway; the service then answers their GETs. */
    private Group groupWithAVmAndAFunctionApp(String name) {
        Gateway gateway = Gateway.admin(port, data);
        String sub = gateway.newSubscription();
        String group = "/subscriptions/" + sub + "/resourcegroups/" + name;
        String vm = "/subscriptions/" + sub + "/resourceGroups/" + name + "/providers/Microsoft.Compute/virtualMachines/web-1";
        String site = "/subscriptions/" + sub + "/resourceGroups/" + name + "/providers/Microsoft.Web/sites/fn1";
        assertThat(gateway.put(group + V, "{\"location\":\"westus\"}").statusCode()).isEqualTo(201);
        service.answer(r -> Reply.json(201, "{}"));
        assertThat(gateway.put(vm + V, "{\"location\":\"westus\"}").statusCode()).isEqualTo(201);
        assertThat(gateway.put(site + "?api-version=2022-03-01", "{\"location\":\"westus\",\"kind\":\"functionapp\"}")
                .statusCode()).isIn(200, 201);
        service.reset();
        Function<FakeService.Received, Reply> answers = r -> {
            if (r.rawPathAndQuery().startsWith(vm + "?")) {
                return Reply.json(200, """
                        {"id": "%s", "name": "web-1", "type": "Microsoft.Compute/virtualMachines",
                         "location": "westus", "tags": {"env": "test"}, "zones": ["1"],
                         "properties": {"provisioningState": "Succeeded", "vmId": "8d0a30dd-6a51-4cdc-afbe-614e65fde3c9",
                           "timeCreated": "2026-12-06T15:38:24Z",
                           "hardwareProfile": {"vmSize": "Standard_B1s"},
                           "networkProfile": {"networkInterfaces": [{"id": "%s",
                             "properties": {"primary": true, "deleteOption": "Detach"}}]}}}
                        """.formatted(vm, vm.replace("Microsoft.Compute/virtualMachines/web-1",
                        "Microsoft.Network/networkInterfaces/web-1-nic")));
            }
            if (r.rawPathAndQuery().startsWith(site + "?")) {
                return Reply.json(200, """
                        {"id": "%s", "name": "fn1", "type": "Microsoft.Web/sites", "kind": "functionapp",
                         "location": "westus", "tags": {},
                         "properties": {"state": "Running", "defaultHostName": "fn1.azurewebsites.localhost",
                           "enabled": true, "siteConfig": {"numberOfWorkers": 1}}}
                        """.formatted(site));
            }
            return Reply.json(404, "{\"error\":{\"code\":\"NotFound\",\"message\":\"no\"}}");
        };
        service.answer(answers);
        return new Group(gateway, group, vm, site, answers);
    }

    @Test
    void aGroupIsExportedAsATemplateOfItsResourcesReadFromTheirServicesWithTheirNamesAsParameters() {
        Group g = groupWithAVmAndAFunctionApp("export-all");

        HttpResponse<String> exported = g.gateway().send("POST", g.path() + EXPORT, "{\"resources\":[\"*\"]}");

        assertThat(exported.statusCode()).as(exported.body()).isEqualTo(200);
        JsonNode result = json(exported);
        assertThat(result.has("error")).isFalse();
        JsonNode template = result.path("template");
        assertThat(template.path("$schema").asString()).endsWith("/deploymentTemplate.json#");
        assertThat(template.path("contentVersion").asString()).isEqualTo("1.0.0.0");
        assertThat(template.path("parameters").path("virtualMachines_web_1_name").path("type").asString())
                .isEqualTo("String");
        assertThat(template.path("parameters").path("virtualMachines_web_1_name").has("defaultValue")).isFalse();
        assertThat(template.path("resources").size()).isEqualTo(2);
        JsonNode vm = resource(template, "Microsoft.Compute/virtualMachines");
        assertThat(vm.path("name").asString()).isEqualTo("[parameters('virtualMachines_web_1_name')]");
        assertThat(vm.path("apiVersion").asString()).isEqualTo(ProviderRegistry.defaults()
                .type("Microsoft.Compute", "virtualMachines").orElseThrow().apiVersions().getFirst());
        assertThat(vm.path("location").asString()).isEqualTo("westus");
        assertThat(vm.path("zones").get(0).asString()).isEqualTo("1");
        assertThat(vm.path("tags").path("env").asString()).isEqualTo("test");
        assertThat(vm.path("properties").path("hardwareProfile").path("vmSize").asString()).isEqualTo("Standard_B1s");
        assertThat(vm.path("properties").has("provisioningState")).isFalse();
        assertThat(vm.path("properties").has("vmId")).isFalse();
        JsonNode site = resource(template, "Microsoft.Web/sites");
        assertThat(site.path("kind").asString()).isEqualTo("functionapp");
        assertThat(site.has("tags")).as("empty tags are left out").isFalse();
        assertThat(site.path("properties").path("siteConfig").path("numberOfWorkers").asInt()).isEqualTo(1);
        assertThat(site.path("properties").has("defaultHostName")).isFalse();
        assertThat(service.received()).allMatch(r -> r.method().equals("GET")
                && r.header(ServiceCredential.HEADER) != null);
    }

    @Test
    void theOptionsGiveDefaultValuesOrLiteralNamesAndTheResourcesListChoosesWhatIsExported() {
        Group g = groupWithAVmAndAFunctionApp("export-options");

        JsonNode withDefaults = json(g.gateway().send("POST", g.path() + EXPORT,
                "{\"resources\":[\"*\"],\"options\":\"IncludeParameterDefaultValue,IncludeComments\"}"));
        assertThat(withDefaults.path("template").path("parameters").path("sites_fn1_name").path("defaultValue")
                .asString()).isEqualTo("fn1");

        HttpResponse<String> one = g.gateway().send("POST", g.path() + EXPORT,
                "{\"resources\":[\"" + g.vm().toUpperCase() + "\"],\"options\":\"SkipAllParameterization\"}");
        assertThat(one.statusCode()).as(one.body()).isEqualTo(200);
        JsonNode template = json(one).path("template");
        assertThat(template.path("parameters").isEmpty()).isTrue();
        assertThat(template.path("resources").size()).isEqualTo(1);
        assertThat(template.path("resources").get(0).path("name").asString()).isEqualTo("web-1");
    }

    @Test
    void aResourceItsServiceCannotGiveIsLeftOutAndNamedInTheError() {
        Group g = groupWithAVmAndAFunctionApp("export-partial");
        service.answer(r -> r.rawPathAndQuery().startsWith(g.site() + "?")
                ? Reply.json(503, "{\"error\":{\"code\":\"ServiceUnavailable\",\"message\":\"busy\"}}")
                : g.answers().apply(r));

        HttpResponse<String> exported = g.gateway().send("POST", g.path() + EXPORT, "{\"resources\":[\"*\"]}");

        assertThat(exported.statusCode()).isEqualTo(200);
        JsonNode result = json(exported);
        assertThat(result.path("template").path("resources").size()).isEqualTo(1);
        assertThat(result.path("error").path("code").asString()).isEqualTo("ExportTemplateCompletedWithErrors");
        assertThat(result.path("error").path("details").get(0).path("target").asString()).isEqualTo(g.site());
        assertThat(result.path("error").path("details").get(0).path("code").asString()).isEqualTo("ServiceUnavailable");
    }

    @Test
    void badExportRequestsAreRefusedWithTheirReasonAndAnUnknownGroupIsNotFound() {
        Group g = groupWithAVmAndAFunctionApp("export-bad");
        List<String> refused = new ArrayList<>();
        for (String body : List.of("{\"resources\":", "[1]", "{}", "{\"resources\":[]}", "{\"resources\":[7]}",
                "{\"resources\":[\"*\"],\"options\":\"IncludeEverything\"}", "{\"resources\":[\"*\"],\"options\":3}",
                "{\"resources\":[\"" + g.path() + "/providers/Microsoft.Compute/virtualMachines/other\"]}")) {
            HttpResponse<String> reply = g.gateway().send("POST", g.path() + EXPORT, body);
            assertThat(reply.statusCode()).as(body + " → " + reply.body()).isEqualTo(400);
            assertThat(errorCode(reply)).as(body).isEqualTo("InvalidRequestContent");
            refused.add(body);
        }
        assertThat(refused).hasSize(8);

        HttpResponse<String> unknown = g.gateway().send("POST", g.path() + "-nope" + EXPORT, "{\"resources\":[\"*\"]}");
        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(errorCode(unknown)).isEqualTo("ResourceGroupNotFound");
    }

    private static JsonNode resource(JsonNode template, String type) {
        for (JsonNode r : template.path("resources")) {
            if (r.path("type").asString().equals(type)) {
                return r;
            }
        }
        throw new AssertionError("no " + type + " in " + template);
    }
}
