package dev.cirrus.gateway.sdk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.net.http.HttpResponse;
import java.util.UUID;

import com.azure.core.management.Region;
import com.azure.core.management.exception.ManagementException;
import com.azure.resourcemanager.AzureResourceManager;
import com.azure.resourcemanager.appservice.models.AppServicePlan;
import com.azure.resourcemanager.appservice.models.OperatingSystem;
import com.azure.resourcemanager.appservice.models.PricingTier;
import dev.cirrus.gateway.identity.GatewayData;
import dev.cirrus.gateway.support.AzureSdk;
import dev.cirrus.gateway.support.ChildService;
import dev.cirrus.gateway.support.FakeService;
import dev.cirrus.gateway.support.Gateway;
import dev.cirrus.gateway.support.TestDatabase;
import dev.cirrus.gateway.tls.HttpsListener;
import dev.cirrus.testkit.TestInfrastructure;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;

/**
 * App Service plans with the official Azure SDK for Java (azure-resourcemanager-appservice,
 * {@code appServicePlans().define(..)}) through the real gateway to the real app-service (its executable jar as a
 * child process): create, read, scale and change tier, a refusal over the tier's maximum, Functions plans (Y1, EP1),
 * lists, the resource index, deletion; and a function app of the real serverless on a Consumption plan.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class AppServicePlanSdkTest {

    static final int appServicePort = FakeService.freePort();
    static final int serverlessPort = FakeService.freePort();
    /** the services not run here answer as a service that lists nothing */
    static final FakeService otherServices = FakeService.start();
    static ChildService appService;
    static ChildService serverless;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        TestDatabase.withoutKafka(registry, "gateway_plan_sdk");
        registry.add("cirrus.gateway.services.app-service", () -> "http://127.0.0.1:" + appServicePort);
        registry.add("cirrus.gateway.services.serverless", () -> "http://127.0.0.1:" + serverlessPort);
        registry.add("cirrus.gateway.resource-group-deletion.poll-interval", () -> "200ms");
        for (String module : new String[] {"compute-vm", "compute-container", "billing"}) {
            registry.add("cirrus.gateway.services." + module, () -> otherServices.url().toString());
        }
    }

    @BeforeAll
    static void startServices() {
        TestInfrastructure.PostgresEndpoint pg = TestInfrastructure.postgres();
        appService = ChildService.launch("app-service", appServicePort,
                "--spring.datasource.url=" + pg.newDatabase("gw_plan_app_service"),
                "--spring.datasource.username=" + pg.username(), "--spring.datasource.password=" + pg.password(),
                "--cirrus.kafka.bootstrap-servers=");
        serverless = ChildService.launch("serverless", serverlessPort,
                "--spring.datasource.url=" + pg.newDatabase("gw_plan_serverless"),
                "--spring.datasource.username=" + pg.username(), "--spring.datasource.password=" + pg.password(),
                "--cirrus.kafka.bootstrap-servers=");
        appService.awaitReady();
        serverless.awaitReady();
    }

    @AfterAll
    static void stop() {
        otherServices.close();
        if (appService != null) {
            appService.close();
        }
        if (serverless != null) {
            serverless.close();
        }
    }

    @LocalServerPort
    int port;

    @Autowired
    GatewayData data;

    @Autowired
    HttpsListener https;

    @Test
    void theJavaSdkCreatesScalesChangesTierListsAndDeletesAPlan() {
        AzureResourceManager azure = AzureSdk.signedIn(data, https.port());
        String group = "plan-sdk-rg";
        String name = "plan-" + UUID.randomUUID().toString().substring(0, 8);
        azure.resourceGroups().define(group).withRegion(Region.EUROPE_WEST).create();

        AppServicePlan plan = azure.appServicePlans().define(name)
                .withRegion(Region.EUROPE_WEST)
                .withExistingResourceGroup(group)
                .withPricingTier(PricingTier.STANDARD_S1)
                .withOperatingSystem(OperatingSystem.LINUX)
                .withCapacity(2)
                .withTag("made-by", "azure-sdk-for-java")
                .create();

        assertThat(plan.name()).isEqualTo(name);
        assertThat(plan.regionName()).isEqualTo("westeurope");
        assertThat(plan.pricingTier()).isEqualTo(PricingTier.STANDARD_S1);
        assertThat(plan.capacity()).isEqualTo(2);
        assertThat(plan.operatingSystem()).isEqualTo(OperatingSystem.LINUX);
        assertThat(plan.maxInstances()).isEqualTo(10);
        assertThat(plan.numberOfWebApps()).isZero();
        assertThat(plan.tags()).containsEntry("made-by", "azure-sdk-for-java");

        plan.update().withPricingTier(PricingTier.PREMIUM_P1V3).withCapacity(5).apply();
        AppServicePlan read = azure.appServicePlans().getById(plan.id());
        assertThat(read.pricingTier()).isEqualTo(PricingTier.PREMIUM_P1V3);
        assertThat(read.capacity()).isEqualTo(5);
        assertThat(read.maxInstances()).isEqualTo(30);

        ManagementException tooMany = catchThrowableOfType(ManagementException.class,
                () -> read.update().withCapacity(31).apply());
        assertThat(tooMany.getResponse().getStatusCode()).isEqualTo(400);
        assertThat(tooMany.getValue().getCode()).isEqualTo("BadRequest");
        assertThat(tooMany.getValue().getTarget()).isEqualTo("sku.capacity");
        ManagementException downToFree = catchThrowableOfType(ManagementException.class,
                () -> azure.appServicePlans().getById(plan.id()).update().withPricingTier(PricingTier.FREE_F1).apply());
        assertThat(downToFree.getResponse().getStatusCode()).isEqualTo(400);
        assertThat(azure.appServicePlans().getById(plan.id()).capacity()).as("nothing changed").isEqualTo(5);

        assertThat(azure.appServicePlans().listByResourceGroup(group).stream().map(AppServicePlan::name))
                .containsExactly(name);
        assertThat(azure.appServicePlans().list().stream().map(AppServicePlan::name)).contains(name);
        Gateway arm = Gateway.admin(port, data);
        assertThat(Gateway.json(arm.get("/subscriptions/" + AzureSdk.subscription(data) + "/resourceGroups/" + group
                + "/resources?api-version=2021-04-01")).path("value")).extracting(r -> r.path("name").asString())
                .contains(name);

        azure.appServicePlans().deleteById(plan.id());
        assertThat(azure.appServicePlans().listByResourceGroup(group).stream().count()).isZero();
    }

    @Test
    void functionsPlansAreCreatedWithTheSdkAndAFunctionAppRunsOnAConsumptionPlan() {
        AzureResourceManager azure = AzureSdk.signedIn(data, https.port());
        String group = "plan-functions-rg";
        azure.resourceGroups().define(group).withRegion(Region.US_EAST).create();

        AppServicePlan consumption = azure.appServicePlans().define("consumption-plan").withRegion(Region.US_EAST)
                .withExistingResourceGroup(group).withPricingTier(new PricingTier("Dynamic", "Y1"))
                .withOperatingSystem(OperatingSystem.WINDOWS).create();
        assertThat(consumption.pricingTier().toSkuDescription().tier()).isEqualTo("Dynamic");
        assertThat(consumption.capacity()).isZero();
        AppServicePlan premium = azure.appServicePlans().define("premium-plan").withRegion(Region.US_EAST)
                .withExistingResourceGroup(group).withPricingTier(new PricingTier("ElasticPremium", "EP1"))
                .withOperatingSystem(OperatingSystem.LINUX).withCapacity(1).create();
        assertThat(premium.pricingTier().toSkuDescription().size()).isEqualTo("EP1");
        assertThat(premium.maxInstances()).isEqualTo(100);

        Gateway arm = Gateway.admin(port, data);
        String app = "/subscriptions/" + AzureSdk.subscription(data) + "/resourceGroups/" + group
                + "/providers/Microsoft.Web/sites/func-" + UUID.randomUUID().toString().substring(0, 8)
                + "?api-version=2023-12-01";
        for (AppServicePlan plan : new AppServicePlan[] {consumption, premium}) {
            HttpResponse<String> put = arm.put(app, "{\"kind\":\"functionapp\",\"location\":\"eastus\","
                    + "\"properties\":{\"serverFarmId\":\"" + plan.id() + "\"}}");
            assertThat(put.statusCode()).as(put.body()).isEqualTo(200);
            JsonNode site = Gateway.json(arm.get(app));
            assertThat(site.path("properties").path("serverFarmId").asString()).isEqualTo(plan.id());
        }
        assertThat(arm.send("DELETE", app, null).statusCode()).isEqualTo(200);

        azure.resourceGroups().deleteByName(group);
        assertThat(azure.resourceGroups().contain(group)).isFalse();
    }
}
