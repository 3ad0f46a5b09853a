package dev.cirrus.gateway.deployments;

import static dev.cirrus.gateway.support.Gateway.errorCode;
import static dev.cirrus.gateway.support.Gateway.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import dev.cirrus.gateway.identity.GatewayData;
import dev.cirrus.gateway.support.FakeService;
import dev.cirrus.gateway.support.Gateway;
import dev.cirrus.gateway.support.TestDatabase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The body {@code az deployment group create --template-file} sends: the CLI splices the template file's text, as
 * it is, after the serialized rest of the deployment, so the property name {@code template} is unquoted and the
 * template keeps its comments ({@code {"properties": {"parameters": {…}, "mode": "Incremental", template:{ // …}}}}).
 * ARM reads that; so must the gateway, for the PUT and for the {@code validate} the CLI sends first. And what the
 * CLI's poller and {@code az deployment group list} need: a {@code Retry-After} on the status of a running
 * deployment (without one the poller waits 30 s), the list asked with a trailing slash.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class DeploymentBodiesAsTheAzureCliSendsThemTest {

    static final String V = "api-version=2019-10-01";
    static final FakeService computeVm = FakeService.start();

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        TestDatabase.withoutKafka(registry, "gateway_deployment_bodies");
        for (String module : new String[] {"compute-vm", "compute-container", "app-service", "serverless", "billing"}) {
            registry.add("cirrus.gateway.services." + module, () -> computeVm.url().toString());
        }
        registry.add("cirrus.deployments.poll-interval", () -> "100ms");
    }

    @AfterAll
    static void stop() {
        computeVm.close();
    }

    @LocalServerPort
    int port;

    @Autowired
    GatewayData data;

    /** A template file as a user writes it, comments included. */
    private static final String TEMPLATE_FILE = """
            {
              // an availability set named by a parameter
              "$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",
              "contentVersion": "1.0.0.0",
              "parameters": {"name": {"type": "string"}},
              /* the set, in the group's region */
              "resources": [
                {"type": "Microsoft.Compute/availabilitySets", "apiVersion": "2020-06-01",
                 "name": "[parameters('name')]", "location": "[resourceGroup().location]",
                 "sku": {"name": "Aligned"}, "properties": {"platformFaultDomainCount": 2}}
              ],
              "outputs": {"setId": {"type": "string",
                "value": "[resourceId('Microsoft.Compute/availabilitySets', parameters('name'))]"}}
            }
            """;

    /** What the CLI's JsonCTemplatePolicy makes of it: the serialized rest, then {@code , template:<file>}}}. */
    private static final String CLI_BODY = "{\"properties\": {\"parameters\": {\"name\": {\"value\": \"web\"}}, "
            + "\"mode\": \"Incremental\", template:" + TEMPLATE_FILE + "}}";

    @Test
    void aDeploymentWithTheTemplateFileSplicedInAsTheCliSendsItIsValidatedAndRun() {
        computeVm.answer(r -> FakeService.Reply.json(200, "{\"name\": \"web\", \"properties\": "
                + "{\"platformFaultDomainCount\": 2, \"provisioningState\": \"Succeeded\"}}"));
        Gateway gateway = Gateway.admin(port, data);
        String sub = gateway.newSubscription();
        String group = "/subscriptions/" + sub + "/resourceGroups/cli";
        assertThat(gateway.put(group + "?" + V, "{\"location\":\"eastus\"}").statusCode()).isEqualTo(201);
        String deployment = group + "/providers/Microsoft.Resources/deployments/from-file";
        String set = group + "/providers/Microsoft.Compute/availabilitySets/web";

        HttpResponse<String> validated = gateway.send("POST", deployment + "/validate?" + V, CLI_BODY);
        assertThat(validated.statusCode()).as(validated.body()).isEqualTo(200);
        assertThat(json(validated).path("properties").path("validatedResources").findValuesAsString("id"))
                .containsExactly(set);

        HttpResponse<String> accepted = gateway.put(deployment + "?" + V, CLI_BODY);
        assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(201);
        await().atMost(Duration.ofSeconds(30)).until(() -> json(gateway.get(deployment + "?" + V))
                .path("properties").path("provisioningState").asString(), "Succeeded"::equals);
        assertThat(json(gateway.get(deployment + "?" + V)).path("properties").path("outputs").path("setId")
                .path("value").asString()).isEqualTo(set);
        assertThat(computeVm.received()).anyMatch(r -> r.method().equals("PUT")
                && r.rawPathAndQuery().startsWith(set + "?api-version=2020-06-01")
                && r.body().contains("\"platformFaultDomainCount\":2"));
    }

    @Test
    void aBodyThatIsNotJsonEvenReadLenientlyIsRefusedAndNothingIsStored() {
        Gateway gateway = Gateway.admin(port, data);
        String sub = gateway.newSubscription();
        String group = "/subscriptions/" + sub + "/resourceGroups/bad";
        gateway.put(group + "?" + V, "{\"location\":\"eastus\"}");
        String deployment = group + "/providers/Microsoft.Resources/deployments/broken";

        HttpResponse<String> refused = gateway.put(deployment + "?" + V, CLI_BODY.replace("template:", "template"));
        assertThat(refused.statusCode()).isEqualTo(400);
        assertThat(errorCode(refused)).isEqualTo("InvalidRequestContent");
        assertThat(errorCode(gateway.get(deployment + "?" + V))).isEqualTo("DeploymentNotFound");
    }

    @Test
    void aRunningDeploymentsStatusSaysWhenToAskAgainAndTheListAnswersWithATrailingSlash() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        computeVm.answer(r -> {
            try {
                release.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return FakeService.Reply.json(200, "{\"name\": \"web\", \"properties\": {\"provisioningState\": "
                    + "\"Succeeded\"}}");
        });
        Gateway gateway = Gateway.admin(port, data);
        String sub = gateway.newSubscription();
        String group = "/subscriptions/" + sub + "/resourceGroups/slow";
        gateway.put(group + "?" + V, "{\"location\":\"eastus\"}");
        String deployment = group + "/providers/Microsoft.Resources/deployments/slow";

        HttpResponse<String> accepted = gateway.put(deployment + "?" + V, CLI_BODY);
        assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(201);
        String status = accepted.headers().firstValue("Azure-AsyncOperation").orElseThrow()
                .replaceFirst("^https?://[^/]+", "");
        try {
            HttpResponse<String> running = gateway.get(status);
            assertThat(json(running).path("status").asString()).isIn("Accepted", "Running");
            assertThat(running.headers().firstValue("Retry-After")).hasValue("1");
        } finally {
            release.countDown();
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> json(gateway.get(status)).path("status").asString(),
                "Succeeded"::equals);
        assertThat(gateway.get(status).headers().firstValue("Retry-After")).isEmpty();

        HttpResponse<String> listed = gateway.get(group + "/providers/Microsoft.Resources/deployments/?" + V);
        assertThat(listed.statusCode()).as(listed.body()).isEqualTo(200);
        assertThat(json(listed).path("value")).hasSize(1);
        assertThat(json(listed).path("value").get(0).path("name").asString()).isEqualTo("slow");
    }
}
