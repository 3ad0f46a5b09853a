package dev.cirrus.gateway.sdk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import com.azure.core.credential.TokenCredential;
import com.azure.core.http.HttpClient;
import com.azure.core.http.netty.NettyAsyncHttpClientBuilder;
import com.azure.core.management.AzureEnvironment;
import com.azure.core.management.Region;
import com.azure.core.management.exception.ManagementException;
import com.azure.core.management.profile.AzureProfile;
import com.azure.identity.ClientSecretCredentialBuilder;
import com.azure.resourcemanager.AzureResourceManager;
import com.azure.resourcemanager.containerservice.fluent.ContainerServiceManagementClient;
import com.azure.resourcemanager.containerservice.fluent.models.AgentPoolInner;
import com.azure.resourcemanager.containerservice.fluent.models.ManagedClusterInner;
import com.azure.resourcemanager.containerservice.models.AgentPoolMode;
import com.azure.resourcemanager.containerservice.models.AgentPoolUpgradeSettings;
import com.azure.resourcemanager.containerservice.models.ManagedClusterAgentPoolProfile;
import com.azure.resourcemanager.containerservice.models.ManagedClusterSku;
import com.azure.resourcemanager.containerservice.models.ManagedClusterSkuName;
import com.azure.resourcemanager.containerservice.models.ManagedClusterSkuTier;
import com.azure.resourcemanager.resources.models.ResourceGroup;
import dev.cirrus.gateway.identity.GatewayData;
import dev.cirrus.gateway.support.AzureSdk;
import dev.cirrus.gateway.support.ChildService;
import dev.cirrus.gateway.support.FakeService;
import dev.cirrus.gateway.support.Gateway;
import dev.cirrus.gateway.support.TestDatabase;
import dev.cirrus.gateway.tls.HttpsListener;
import dev.cirrus.testkit.TestInfrastructure;
import io.netty.handler.ssl.SslContextBuilder;
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
 * Managed clusters (AKS) with the official Azure SDK for Java over HTTPS through the gateway: behind it the real
 * compute-container, compute-vm (the agent pools are its scale sets) and placement-engine, on the testkit's
 * PostgreSQL and Kafka. A cluster of two pools is created, a pool scaled, the cluster upgraded, its credentials asked
 * for (the documented error: no Kubernetes API is served), its node resource group and scale sets read through the
 * gateway, and it is deleted with its node resource group.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@Tag("scenario") // slow: runs in the second Maven run of ./cirrus test (root pom.xml)
class ManagedClusterSdkTest {

    static final int computeVmPort = FakeService.freePort();
    static final int computeContainerPort = FakeService.freePort();
    static final int placementHttpPort = FakeService.freePort();
    static final int placementGrpcPort = FakeService.freePort();
    static final FakeService otherServices = FakeService.start();
    static ChildService placement;
    static ChildService computeVm;
    static ChildService computeContainer;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        TestDatabase.withKafka(registry, "gateway_aks_sdk");
        registry.add("cirrus.gateway.services.compute-vm", () -> "http://127.0.0.1:" + computeVmPort);
        registry.add("cirrus.gateway.services.compute-container", () -> "http://127.0.0.1:" + computeContainerPort);
        for (String module : new String[] {"app-service", "serverless", "billing"}) {
            registry.add("cirrus.gateway.services." + module, () -> otherServices.url().toString());
        }
        registry.add("cirrus.gateway.resource-group-deletion.poll-interval", () -> "200ms");
    }

    @BeforeAll
    static void startTheServicesBehindTheGateway() {
        TestInfrastructure.PostgresEndpoint pg = TestInfrastructure.postgres();
        String kafka = "--cirrus.kafka.bootstrap-servers=" + TestInfrastructure.kafkaBootstrapServers();
        String user = "--spring.datasource.username=" + pg.username();
        String password = "--spring.datasource.password=" + pg.password();
        placement = ChildService.launch("placement-engine", placementHttpPort, user, password, kafka,
                "--spring.datasource.url=" + pg.newDatabase("aks_sdk_placement"),
                "--cirrus.placement.grpc-port=" + placementGrpcPort);
        computeVm = ChildService.launch("compute-vm", computeVmPort, user, password, kafka,
                "--spring.datasource.url=" + pg.newDatabase("aks_sdk_compute_vm"),
                "--cirrus.placement.target=127.0.0.1:" + placementGrpcPort,
                "--cirrus.vm.timings.provisioning=200ms", "--cirrus.vm.timings.deletion=200ms",
                "--cirrus.vm.worker.poll-interval=200ms", "--cirrus.vmss.poll-interval=200ms");
        computeContainer = ChildService.launch("compute-container", computeContainerPort, user, password, kafka,
                "--spring.datasource.url=" + pg.newDatabase("aks_sdk_compute_container"),
                "--cirrus.placement.target=127.0.0.1:" + placementGrpcPort,
                "--cirrus.compute-container.compute-vm-url=http://127.0.0.1:" + computeVmPort,
                "--cirrus.compute-container.worker-interval=200ms");
        placement.awaitReady();
        computeVm.awaitReady();
        computeContainer.awaitReady();
    }

    @AfterAll
    static void stopThem() {
        otherServices.close();
        for (ChildService s : new ChildService[] {computeContainer, computeVm, placement}) {
            if (s != null) {
                s.close();
            }
        }
    }

    @Autowired
    GatewayData data;

    @Autowired
    HttpsListener https;

    @Test
    void theJavaSdkCreatesScalesUpgradesAndDeletesAClusterOfTwoPools() throws Exception {
        AzureResourceManager azure = AzureSdk.signedIn(data, https.port());
        ContainerServiceManagementClient aks = azure.kubernetesClusters().manager().serviceClient();

        azure.resourceGroups().define("aks-rg").withRegion(Region.US_EAST).create();
        ManagedClusterInner cluster = aks.getManagedClusters().createOrUpdate("aks-rg", "aks1", new ManagedClusterInner()
                .withLocation("eastus")
                .withSku(new ManagedClusterSku().withName(ManagedClusterSkuName.BASE)
                        .withTier(ManagedClusterSkuTier.STANDARD))
                .withKubernetesVersion("1.29.10")
                .withDnsPrefix("aks1-dns")
                .withAgentPoolProfiles(List.of(
                        new ManagedClusterAgentPoolProfile().withName("system").withCount(2)
                                .withVmSize("Standard_D2s_v5").withMode(AgentPoolMode.SYSTEM)
                                .withUpgradeSettings(new AgentPoolUpgradeSettings().withMaxSurge("50%")),
                        new ManagedClusterAgentPoolProfile().withName("user").withCount(1)
                                .withVmSize("Standard_D2s_v5").withMode(AgentPoolMode.USER))));
        assertThat(cluster.provisioningState()).isEqualTo("Succeeded");
        assertThat(cluster.currentKubernetesVersion()).isEqualTo("1.29.10");
        assertThat(cluster.nodeResourceGroup()).isEqualTo("MC_aks-rg_aks1_eastus");
        assertThat(cluster.fqdn()).startsWith("aks1-dns-").endsWith(".hcp.eastus.azmk8s.localhost");

        // the node resource group, managed by the cluster, holds one scale set per pool
        await().atMost(Duration.ofSeconds(30)).until(() -> azure.resourceGroups().contain("MC_aks-rg_aks1_eastus"));
        ResourceGroup nodeGroup = azure.resourceGroups().getByName("MC_aks-rg_aks1_eastus");
        assertThat(nodeGroup.innerModel().managedBy()).isEqualToIgnoringCase(cluster.id());
        assertThat(azure.virtualMachineScaleSets().manager().serviceClient().getVirtualMachineScaleSets()
                .listByResourceGroup("MC_aks-rg_aks1_eastus").stream().map(s -> s.sku().capacity()).toList())
                .containsExactlyInAnyOrder(2L, 1L);

        AgentPoolInner scaled = aks.getAgentPools().createOrUpdate("aks-rg", "aks1", "user",
                new AgentPoolInner().withCount(3).withVmSize("Standard_D2s_v5").withMode(AgentPoolMode.USER));
        assertThat(scaled.count()).isEqualTo(3);
        assertThat(scaled.provisioningState()).isEqualTo("Succeeded");

        // as az aks upgrade does: the control plane and every pool to the next minor version
        ManagedClusterInner current = aks.getManagedClusters().getByResourceGroup("aks-rg", "aks1");
        current.agentPoolProfiles().forEach(p -> p.withOrchestratorVersion("1.30.6"));
        ManagedClusterInner upgraded = aks.getManagedClusters().createOrUpdate("aks-rg", "aks1",
                current.withKubernetesVersion("1.30.6"));
        assertThat(upgraded.provisioningState()).isEqualTo("Succeeded");
        assertThat(upgraded.currentKubernetesVersion()).isEqualTo("1.30.6");
        assertThat(aks.getAgentPools().get("aks-rg", "aks1", "system").currentOrchestratorVersion())
                .isEqualTo("1.30.6");

        ManagementException noApi = catchThrowableOfType(ManagementException.class,
                () -> aks.getManagedClusters().listClusterUserCredentials("aks-rg", "aks1"));
        assertThat(noApi.getValue().getCode()).isEqualTo("KubernetesApiNotServed");

        aks.getManagedClusters().delete("aks-rg", "aks1");
        assertThat(aks.getManagedClusters().listByResourceGroup("aks-rg").stream().count()).isZero();
        await().atMost(Duration.ofSeconds(60)).until(() -> !azure.resourceGroups().contain("MC_aks-rg_aks1_eastus"));
        azure.resourceGroups().deleteByName("aks-rg");
    }
}
