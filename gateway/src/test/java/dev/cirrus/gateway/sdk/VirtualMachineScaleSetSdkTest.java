package dev.cirrus.gateway.sdk;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import com.azure.core.credential.TokenCredential;
import com.azure.core.http.HttpClient;
import com.azure.core.http.netty.NettyAsyncHttpClientBuilder;
import com.azure.core.management.AzureEnvironment;
import com.azure.core.management.Region;
import com.azure.core.management.profile.AzureProfile;
import com.azure.identity.ClientSecretCredentialBuilder;
import com.azure.resourcemanager.AzureResourceManager;
import com.azure.resourcemanager.compute.models.VirtualMachineScaleSet;
import com.azure.resourcemanager.compute.models.VirtualMachineScaleSetSkuTypes;
import com.azure.resourcemanager.compute.models.VirtualMachineScaleSetVM;
import com.azure.resourcemanager.monitor.models.AutoscaleSetting;
import com.azure.resourcemanager.monitor.models.ComparisonOperationType;
import com.azure.resourcemanager.monitor.models.MetricCollection;
import com.azure.resourcemanager.monitor.models.MetricDefinition;
import com.azure.resourcemanager.monitor.models.MetricStatisticType;
import com.azure.resourcemanager.monitor.models.MetricValue;
import com.azure.resourcemanager.monitor.models.ScaleDirection;
import com.azure.resourcemanager.monitor.models.ScaleType;
import com.azure.resourcemanager.monitor.models.TimeAggregationType;
import com.azure.resourcemanager.network.models.Network;
import dev.cirrus.gateway.identity.GatewayData;
import dev.cirrus.gateway.support.AzureSdk;
import dev.cirrus.gateway.support.ChildService;
import dev.cirrus.gateway.support.FakeService;
import dev.cirrus.gateway.support.Gateway;
import dev.cirrus.gateway.support.TestDatabase;
import dev.cirrus.gateway.tls.HttpsListener;
import dev.cirrus.testkit.TestInfrastructure;
import io.netty.handler.ssl.SslContextBuilder;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;

/**
 * The official Azure SDK for Java's scale-set fluent API ({@code virtualMachineScaleSets().define(..)}) against the
 * gateway over HTTPS, configured as in {@link AzureSdkTest}. Behind the gateway run the real compute-vm, which owns
 * {@code Microsoft.Compute/virtualMachineScaleSets} (compute-vm/README.md), and the placement engine.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@Tag("scenario") // slow: runs in the second Maven run of ./cirrus test (root pom.xml)
class VirtualMachineScaleSetSdkTest {

    static final int computeVmPort = FakeService.freePort();
    static final int placementHttpPort = FakeService.freePort();
    static final int placementGrpcPort = FakeService.freePort();
    /** the services not run here answer as a service that lists nothing (a group deletion sweeps them all) */
    static final FakeService otherServices = FakeService.start();
    static ChildService placement;
    static ChildService computeVm;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        TestDatabase.withoutKafka(registry, "gateway_vmss_sdk");
        registry.add("cirrus.gateway.services.compute-vm", () -> "http://127.0.0.1:" + computeVmPort);
        for (String module : new String[] {"compute-container", "app-service", "serverless", "billing"}) {
            registry.add("cirrus.gateway.services." + module, () -> otherServices.url().toString());
        }
        registry.add("cirrus.gateway.resource-group-deletion.poll-interval", () -> "200ms");
    }

    @BeforeAll
    static void startTheServicesBehindTheGateway() {
        TestInfrastructure.PostgresEndpoint pg = TestInfrastructure.postgres();
        String[] common = {"--spring.datasource.username=" + pg.username(),
                "--spring.datasource.password=" + pg.password(), "--cirrus.kafka.bootstrap-servers="};
        placement = ChildService.launch("placement-engine", placementHttpPort, concat(common,
                "--spring.datasource.url=" + pg.newDatabase("vmss_sdk_placement"),
                "--cirrus.placement.grpc-port=" + placementGrpcPort));
        computeVm = ChildService.launch("compute-vm", computeVmPort, concat(common,
                "--spring.datasource.url=" + pg.newDatabase("vmss_sdk_compute_vm"),
                "--cirrus.placement.target=127.0.0.1:" + placementGrpcPort,
                "--cirrus.vm.timings.provisioning=200ms", "--cirrus.vm.timings.deletion=200ms",
                "--cirrus.vm.worker.poll-interval=200ms", "--cirrus.vmss.poll-interval=200ms",
                // monitor time 30 times faster: a five-minute autoscale window passes in ten seconds
                "--cirrus.monitor.clock-rate=30", "--cirrus.monitor.autoscale-interval=PT15S"));
        placement.awaitReady();
        computeVm.awaitReady();
    }

    @AfterAll
    static void stopThem() {
        otherServices.close();
        if (computeVm != null) {
            computeVm.close();
        }
        if (placement != null) {
            placement.close();
        }
    }

    @Autowired
    GatewayData data;

    @Autowired
    HttpsListener https;

    @Test
    void theJavaSdkCreatesAUniformSetReadsItsInstancesAndDomainsScalesItOutAndInAndDeletesIt() throws Exception {
        AzureResourceManager azure = sdk();
        String rg = "vmss-sdk-rg";
        azure.resourceGroups().define(rg).withRegion(Region.US_EAST).create();
        Network network = azure.networks().define("vmss-vnet").withRegion(Region.US_EAST)
                .withExistingResourceGroup(rg).withAddressSpace("10.30.0.0/16")
                .withSubnet("default", "10.30.0.0/24").create();

        VirtualMachineScaleSet set = azure.virtualMachineScaleSets().define("sdk-vmss")
                .withRegion(Region.US_EAST)
                .withExistingResourceGroup(rg)
                .withSku(VirtualMachineScaleSetSkuTypes.fromSkuNameAndTier("Standard_B1s", "Standard"))
                .withExistingPrimaryNetworkSubnet(network, "default")
                .withoutPrimaryInternetFacingLoadBalancer()
                .withoutPrimaryInternalLoadBalancer()
                .withLatestLinuxImage("Canonical", "0001-com-ubuntu-server-jammy", "22_04-lts")
                .withRootUsername("azureuser")
                .withRootPassword("Cirrus-Passw0rd!")
                .withCapacity(3)
                .create();
        assertThat(set.name()).isEqualTo("sdk-vmss");
        assertThat(set.capacity()).isEqualTo(3);
        assertThat(set.innerModel().provisioningState()).isEqualTo("Succeeded");

        List<VirtualMachineScaleSetVM> instances = new ArrayList<>();
        set.virtualMachines().list().forEach(instances::add);
        assertThat(instances).hasSize(3);
        Map<Integer, Integer> faultDomains = new TreeMap<>();
        for (VirtualMachineScaleSetVM vm : instances) {
            assertThat(vm.instanceId()).isNotBlank();
            assertThat(vm.name()).isEqualTo("sdk-vmss_" + vm.instanceId());
            vm.refreshInstanceView();
            faultDomains.merge(vm.instanceView().platformFaultDomain(), 1, Integer::sum);
            assertThat(vm.instanceView().platformUpdateDomain()).isNotNull();
        }
        // the default topology's clusters have 3 racks: max spreading puts one instance in each
        assertThat(faultDomains).containsOnlyKeys(0, 1, 2);

        set.update().withCapacity(5).apply();
        assertThat(azure.virtualMachineScaleSets().getById(set.id()).capacity()).isEqualTo(5);
        assertThat(count(set)).isEqualTo(5);

        set.update().withCapacity(2).apply();
        assertThat(azure.virtualMachineScaleSets().getById(set.id()).capacity()).isEqualTo(2);
        assertThat(count(set)).isEqualTo(2);

        azure.virtualMachineScaleSets().deleteById(set.id());
        assertThat(azure.virtualMachineScaleSets().listByResourceGroup(rg).stream().count()).isZero();
        azure.resourceGroups().deleteByName(rg);
        assertThat(azure.resourceGroups().contain(rg)).isFalse();
    }

    @Test
    void theJavaSdkAttachesAnAutoscaleSettingThatGrowsTheSetUnderLoadToItsMaximumAndShrinksItAfterwards()
            throws Exception {
        AzureResourceManager azure = sdk();
        String rg = "autoscale-sdk-rg";
        azure.resourceGroups().define(rg).withRegion(Region.US_EAST).create();
        Network network = azure.networks().define("autoscale-vnet").withRegion(Region.US_EAST)
                .withExistingResourceGroup(rg).withAddressSpace("10.31.0.0/16")
                .withSubnet("default", "10.31.0.0/24").create();
        VirtualMachineScaleSet set = azure.virtualMachineScaleSets().define("autoscaled")
                .withRegion(Region.US_EAST).withExistingResourceGroup(rg)
                .withSku(VirtualMachineScaleSetSkuTypes.fromSkuNameAndTier("Standard_B1s", "Standard"))
                .withExistingPrimaryNetworkSubnet(network, "default")
                .withoutPrimaryInternetFacingLoadBalancer().withoutPrimaryInternalLoadBalancer()
                .withLatestLinuxImage("Canonical", "0001-com-ubuntu-server-jammy", "22_04-lts")
                .withRootUsername("azureuser").withRootPassword("Cirrus-Passw0rd!")
                .withCapacity(2).create();
        OffsetDateTime start = OffsetDateTime.now(ZoneOffset.UTC).minusDays(1);

        // Cirrus's load model (its own API, through the gateway with the same token): 90 % CPU on every instance
        assertThat(putWithToken(set.id() + "/providers/Cirrus.Monitor/loadProfiles/default?api-version=2026-01-01",
                "{\"properties\": {\"kind\": \"Constant\", \"percentCpu\": 90}}")).isEqualTo(201);

        AutoscaleSetting setting = azure.autoscaleSettings().define("autoscaled-cpu").withRegion(Region.US_EAST)
                .withExistingResourceGroup(rg).withTargetResource(set.id())
                .defineAutoscaleProfile("default").withMetricBasedScale(1, 4, 2)
                .defineScaleRule().withMetricSource(set.id()).withMetricName("Percentage CPU")
                .withStatistic(Duration.ofMinutes(5), Duration.ofMinutes(1), MetricStatisticType.AVERAGE)
                .withCondition(TimeAggregationType.AVERAGE, ComparisonOperationType.GREATER_THAN, 70)
                .withScaleAction(ScaleDirection.INCREASE, ScaleType.CHANGE_COUNT, 1, Duration.ofMinutes(1)).attach()
                .defineScaleRule().withMetricSource(set.id()).withMetricName("Percentage CPU")
                .withStatistic(Duration.ofMinutes(5), Duration.ofMinutes(1), MetricStatisticType.AVERAGE)
                .withCondition(TimeAggregationType.AVERAGE, ComparisonOperationType.LESS_THAN, 30)
                .withScaleAction(ScaleDirection.DECREASE, ScaleType.CHANGE_COUNT, 1, Duration.ofMinutes(1)).attach()
                .attach().create();
        assertThat(setting.autoscaleEnabled()).isTrue();
        assertThat(setting.profiles()).containsKey("default");

        Awaitility.await().atMost(Duration.ofSeconds(120)).until(() ->
                azure.virtualMachineScaleSets().getById(set.id()).capacity() == 4);

        // Azure Monitor's metrics through the SDK's monitor client: the definitions, then a query of the load
        MetricDefinition cpu = azure.metricDefinitions().listByResource(set.id()).stream()
                .filter(d -> d.name().value().equals("Percentage CPU")).findFirst().orElseThrow();
        MetricCollection metrics = cpu.defineQuery().startingFrom(start).endsBefore(OffsetDateTime.now(ZoneOffset.UTC)
                        .plusDays(1)).withAggregation("Average,Maximum").withInterval(Duration.ofMinutes(5)).execute();
        double max = metrics.metrics().get(0).timeseries().stream().flatMap(t -> t.data().stream())
                .filter(v -> v.maximum() != null).mapToDouble(MetricValue::maximum).max().orElse(0);
        assertThat(max).isEqualTo(90.0);

        assertThat(putWithToken(set.id() + "/providers/Cirrus.Monitor/loadProfiles/default?api-version=2026-01-01",
                "{\"properties\": {\"kind\": \"Constant\", \"percentCpu\": 5}}")).isEqualTo(200);
        Awaitility.await().atMost(Duration.ofSeconds(120)).until(() ->
                azure.virtualMachineScaleSets().getById(set.id()).capacity() == 1);

        List<String> operations = new ArrayList<>();
        azure.activityLogs().defineQuery().startingFrom(start).endsBefore(OffsetDateTime.now(ZoneOffset.UTC).plusDays(1))
                .withAllPropertiesInResponse().filterByResource(setting.id()).execute()
                .forEach(e -> operations.add(e.operationName().value()));
        assertThat(operations).contains("Microsoft.Insights/AutoscaleSettings/Scaleup/Action",
                "Microsoft.Insights/AutoscaleSettings/Scaledown/Action");

        azure.autoscaleSettings().deleteById(setting.id());
        // the last scale-in may still be removing its instance: a delete meanwhile is refused (409), as on Azure
        Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> "Succeeded".equals(
                azure.virtualMachineScaleSets().getById(set.id()).innerModel().provisioningState()));
        azure.virtualMachineScaleSets().deleteById(set.id());
        azure.resourceGroups().deleteByName(rg);
    }

    /** A PUT of Cirrus's own API with the SDK's credential (no SDK knows Cirrus.Monitor). */
    private int putWithToken(String path, String body) {
        com.azure.core.http.HttpRequest request = new com.azure.core.http.HttpRequest(
                com.azure.core.http.HttpMethod.PUT, "https://localhost:" + https.port() + path)
                .setHeader(com.azure.core.http.HttpHeaderName.AUTHORIZATION,
                        "Bearer " + AzureSdk.token(data, https.port()))
                .setHeader(com.azure.core.http.HttpHeaderName.CONTENT_TYPE, "application/json").setBody(body);
        try (com.azure.core.http.HttpResponse response = AzureSdk.httpClient(data).sendSync(request,
                com.azure.core.util.Context.NONE)) {
            assertThat(response.getStatusCode()).as(response.getBodyAsBinaryData().toString()).isLessThan(300);
            return response.getStatusCode();
        }
    }

    private static long count(VirtualMachineScaleSet set) {
        return set.virtualMachines().list().stream().count();
    }

    private AzureResourceManager sdk() {
        return AzureSdk.signedIn(data, https.port());
    }

    private static String[] concat(String[] a, String... b) {
        String[] all = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        return all;
    }
}
