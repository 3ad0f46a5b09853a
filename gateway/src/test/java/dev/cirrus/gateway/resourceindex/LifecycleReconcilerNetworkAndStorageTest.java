package dev.cirrus.gateway.resourceindex;

import static dev.cirrus.gateway.support.Gateway.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;

import dev.cirrus.gateway.identity.GatewayData;
import dev.cirrus.gateway.support.ChildService;
import dev.cirrus.gateway.support.FakeService;
import dev.cirrus.gateway.support.Gateway;
import dev.cirrus.gateway.support.TestDatabase;
import dev.cirrus.testkit.ServiceCredentials;
import dev.cirrus.testkit.TestInfrastructure;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;

/**
 * The resource index follows the lifecycle events of Microsoft.Network (compute-vm) and Microsoft.Storage
 * (serverless): resources written straight to their services, with the platform's service credential and never
 * through the gateway, appear in the gateway's {@code GET …/resources} and go on their deletion events; a resource
 * group DELETE through the gateway then removes every one of them at its service. The real compute-vm (with the
 * placement engine it needs) and serverless run behind the gateway, all on the embedded Kafka.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class LifecycleReconcilerNetworkAndStorageTest {

    static final String V = "?api-version=2021-04-01";
    static final String NETWORK_V = "?api-version=2024-07-01";
    static final String STORAGE_V = "?api-version=2023-05-01";
    static final int computeVmPort = FakeService.freePort();
    static final int serverlessPort = FakeService.freePort();
    static final int placementHttpPort = FakeService.freePort();
    static final int placementGrpcPort = FakeService.freePort();
    /** the services not run here answer as a service that lists nothing (a group deletion sweeps them all) */
    static final FakeService otherServices = FakeService.start();
    static ChildService placement;
    static ChildService computeVm;
    static ChildService serverless;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        TestDatabase.withKafka(registry, "gateway_index_network");
        registry.add("cirrus.gateway.services.compute-vm", () -> "http://127.0.0.1:" + computeVmPort);
        registry.add("cirrus.gateway.services.serverless", () -> "http://127.0.0.1:" + serverlessPort);
        for (String module : new String[] {"compute-container", "app-service", "billing"}) {
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
        placement = ChildService.launch("placement-engine", placementHttpPort, user, password,
                "--cirrus.kafka.bootstrap-servers=", "--spring.datasource.url=" + pg.newDatabase("index_net_placement"),
                "--cirrus.placement.grpc-port=" + placementGrpcPort);
        computeVm = ChildService.launch("compute-vm", computeVmPort, user, password, kafka,
                "--spring.datasource.url=" + pg.newDatabase("index_net_compute_vm"),
                "--cirrus.placement.target=127.0.0.1:" + placementGrpcPort,
                "--cirrus.network.public-ip-pool=198.18.9.0/24");
        serverless = ChildService.launch("serverless", serverlessPort, user, password, kafka,
                "--spring.datasource.url=" + pg.newDatabase("index_net_serverless"));
        placement.awaitReady();
        computeVm.awaitReady();
        serverless.awaitReady();
    }

    @AfterAll
    static void stopThem() {
        otherServices.close();
        for (ChildService s : new ChildService[] {serverless, computeVm, placement}) {
            if (s != null) {
                s.close();
            }
        }
    }

    @LocalServerPort
    int port;

    @Autowired
    GatewayData data;

    @Autowired
    JdbcTemplate jdbc;

    /** Straight to the service, as another service of the platform calls it: with the service credential. */
    private static HttpResponse<String> direct(ChildService service, String method, String pathAndQuery, String body)
            throws Exception {
        HttpClient client = ServiceCredentials.httpClient();
        HttpRequest.Builder request = HttpRequest.newBuilder(service.url().resolve(pathAndQuery))
                .timeout(Duration.ofSeconds(30))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            request.header("Content-Type", "application/json");
        }
        return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static void created(HttpResponse<String> response) {
        assertThat(response.statusCode()).as(response.body()).isIn(200, 201);
    }

    @Test
    void networkResourcesAndStorageAccountsWrittenBehindTheGatewaysBackAreListedAndGoWithTheirGroup()
            throws Exception {
        Gateway gateway = Gateway.admin(port, data);
        String sub = gateway.newSubscription();
        String group = "/subscriptions/" + sub + "/resourcegroups/Behind-RG";
        assertThat(gateway.put(group + V, "{\"location\":\"eastus\"}").statusCode()).isEqualTo(201);
        String net = "/subscriptions/" + sub + "/resourceGroups/Behind-RG/providers/Microsoft.Network/";
        String vnet = net + "virtualNetworks/vnet";
        String nsg = net + "networkSecurityGroups/nsg";
        String spareNsg = net + "networkSecurityGroups/spare";
        String pip = net + "publicIPAddresses/pip";
        String nic = net + "networkInterfaces/nic";
        String lb = net + "loadBalancers/lb";
        String account = "/subscriptions/" + sub + "/resourceGroups/Behind-RG/providers/Microsoft.Storage/"
                + "storageAccounts/behind" + sub.substring(0, 8);

        created(direct(computeVm, "PUT", vnet + NETWORK_V, "{\"location\":\"eastus\",\"properties\":{\"addressSpace\":"
                + "{\"addressPrefixes\":[\"10.60.0.0/16\"]},\"subnets\":[{\"name\":\"default\",\"properties\":"
                + "{\"addressPrefix\":\"10.60.0.0/24\"}}]}}"));
        created(direct(computeVm, "PUT", nsg + NETWORK_V, "{\"location\":\"eastus\"}"));
        created(direct(computeVm, "PUT", spareNsg + NETWORK_V, "{\"location\":\"eastus\"}"));
        created(direct(computeVm, "PUT", pip + NETWORK_V, "{\"location\":\"eastus\",\"sku\":{\"name\":\"Standard\"}}"));
        created(direct(computeVm, "PUT", lb + NETWORK_V, "{\"location\":\"eastus\",\"sku\":{\"name\":\"Standard\"},"
                + "\"properties\":{\"frontendIPConfigurations\":[{\"name\":\"fe\",\"properties\":{\"publicIPAddress\":"
                + "{\"id\":\"" + pip + "\"}}}],\"backendAddressPools\":[{\"name\":\"pool\"}]}}"));
        created(direct(computeVm, "PUT", nic + NETWORK_V, "{\"location\":\"eastus\",\"properties\":{"
                + "\"networkSecurityGroup\":{\"id\":\"" + nsg + "\"},\"ipConfigurations\":[{\"name\":\"c\","
                + "\"properties\":{\"subnet\":{\"id\":\"" + vnet + "/subnets/default\"},"
                + "\"loadBalancerBackendAddressPools\":[{\"id\":\"" + lb + "/backendAddressPools/pool\"}]}}]}}"));
        created(direct(serverless, "PUT", account + STORAGE_V, "{\"location\":\"eastus\",\"kind\":\"StorageV2\","
                + "\"sku\":{\"name\":\"Standard_LRS\"}}"));

        List<String> all = List.of(vnet, nsg, spareNsg, pip, nic, lb, account);
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            JsonNode listed = json(gateway.get(group + "/resources" + V)).path("value");
            assertThat(listed.findValuesAsString("id")).containsExactlyInAnyOrderElementsOf(all);
            assertThat(listed.findValuesAsString("location")).containsOnly("eastus");
        });
        JsonNode listed = json(gateway.get(group + "/resources" + V)).path("value");
        assertThat(listed.findValuesAsString("type")).contains("Microsoft.Network/loadBalancers",
                "Microsoft.Network/networkInterfaces", "Microsoft.Storage/storageAccounts");
        // filtered by type as az resource list --resource-type does
        assertThat(json(gateway.get(group + "/resources" + V + "&$filter=resourceType%20eq%20"
                + "'Microsoft.Network/loadBalancers'")).path("value").findValuesAsString("id")).containsExactly(lb);

        // a deletion at the service is a deletion event: the index lets the resource go
        assertThat(direct(computeVm, "DELETE", spareNsg + NETWORK_V, null).statusCode()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(json(gateway.get(
                group + "/resources" + V)).path("value").findValuesAsString("id")).doesNotContain(spareNsg)
                .hasSize(all.size() - 1));

        // the group's deletion takes every one of them at its service, in the order their refusals allow
        HttpResponse<String> accepted = gateway.send("DELETE", group + V, null);
        assertThat(accepted.statusCode()).isEqualTo(202);
        URI location = URI.create(accepted.headers().firstValue("Location").orElseThrow());
        await().atMost(Duration.ofSeconds(90)).until(() ->
                gateway.get(location.getRawPath() + "?" + location.getRawQuery()).statusCode() == 200);
        for (String id : List.of(vnet, nsg, pip, nic, lb)) {
            assertThat(direct(computeVm, "GET", id + NETWORK_V, null).statusCode()).as(id).isEqualTo(404);
        }
        assertThat(direct(serverless, "GET", account + STORAGE_V, null).statusCode()).isEqualTo(404);
        assertThat(gateway.get(group + V).statusCode()).isEqualTo(404);
        assertThat(jdbc.queryForObject("select count(*) from resource_index where subscription_id = ?", Integer.class,
                sub)).isZero();
    }
}
