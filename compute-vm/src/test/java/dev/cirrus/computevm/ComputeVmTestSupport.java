package dev.cirrus.computevm;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;

import dev.cirrus.contracts.events.Topics;
import dev.cirrus.testkit.ServiceCredentials;
import dev.cirrus.testkit.SpringInfrastructure;
import dev.cirrus.testkit.TestInfrastructure;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;

/**
 * The running service for black-box tests: real PostgreSQL and Kafka from the testkit, the REAL placement engine
 * ({@link PlacementEngineProcess}, a child process) over gRPC, and HTTP over loopback. Classes extending this share
 * one Spring context (and so one database and one engine); each test uses its own subscription, names or region
 * (see the test inventory), so they do not meet. Fast mode: every simulated duration is a second or less.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "cirrus.vm.timings.provisioning=1s",
        "cirrus.vm.timings.deletion=1s",
        "cirrus.vm.timings.start=1s",
        "cirrus.vm.timings.power-off=1s",
        "cirrus.vm.timings.deallocate=1s",
        "cirrus.vm.timings.restart=1s",
        "cirrus.vm.timings.redeploy=1s",
        "cirrus.vm.timings.reboot=1s",
        "cirrus.vm.timings.placement-deadline=30s",
        "cirrus.vm.worker.poll-interval=200ms",
        "cirrus.vmss.poll-interval=200ms",
        "cirrus.vm.list.page-size=3",
        "cirrus.placement.circuit-breaker.open-duration=500ms",
        "cirrus.batch.root=target/batch-nodes",
        "cirrus.batch.node-boot=300ms",
        "cirrus.batch.tick=200ms",
        // monitor time 30 times faster: a minute of metrics in 2 s, the autoscale engine every 0.5 s
        "cirrus.monitor.clock-rate=30",
        "cirrus.monitor.autoscale-interval=PT15S"})
public abstract class ComputeVmTestSupport {

    public static final String API = "api-version=2024-07-01";
    public static final String PASSWORD = "Sup3r-S3cret-Pa55word!";

    protected static final PlacementEngineProcess ENGINE = PlacementEngineProcess.shared();
    protected static final ObjectMapper JSON = JsonMapper.builder().build();
    private static TopicReader vmTopic;

    @DynamicPropertySource
    static void infrastructure(DynamicPropertyRegistry registry) {
        SpringInfrastructure.register(registry, "compute_vm");
        registry.add("cirrus.placement.target", ENGINE::target);
    }

    @LocalServerPort
    protected int port;

    @Autowired
    protected JdbcTemplate jdbc;

    protected final HttpClient http =
            ServiceCredentials.httpClient(HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build());

    /** Every response body a test received, to prove secrets never leave the service. */
    protected final List<String> bodiesSeen = new ArrayList<>();

    protected static synchronized TopicReader vmTopic() {
        if (vmTopic == null) {
            vmTopic = new TopicReader(TestInfrastructure.kafkaBootstrapServers(), Topics.COMPUTE_VM);
        }
        return vmTopic;
    }

    protected static String newSubscription() {
        return UUID.randomUUID().toString();
    }

    public static String vmPath(String sub, String rg, String name) {
        return "/subscriptions/" + sub + "/resourceGroups/" + rg + "/providers/Microsoft.Compute/virtualMachines/" + name;
    }

    public static String vmKey(String sub, String rg, String name) {
        return vmPath(sub, rg, name).toLowerCase(Locale.ROOT);
    }

    /**
     * The network interface {@link #vmBody} names: no such NIC exists; {@link #putVm} puts a real one in its place,
     * made for the VM in its subscription, group and region.
     */
    public static final String NIC_PLACEHOLDER = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/"
            + "fixture/providers/Microsoft.Network/networkInterfaces/fixture-nic";

    /**
     * A complete Linux VM body, with an admin password that must never come back. Its NIC is
     * {@link #NIC_PLACEHOLDER}: create the VM with {@link #putVm}, which makes the NIC it needs.
     */
    public static String vmBody(String size) {
        return """
                {"location": "West Europe",
                 "tags": {"env": "test", "owner": "cirrus"},
                 "properties": {
                   "hardwareProfile": {"vmSize": "%s"},
                   "storageProfile": {"imageReference": {"publisher": "Canonical",
                       "offer": "0001-com-ubuntu-server-jammy", "sku": "22_04-lts", "version": "latest"}},
                   "osProfile": {"computerName": "web1", "adminUsername": "azureuser", "adminPassword": "%s"},
                   "networkProfile": {"networkInterfaces": [{"id":
                       "%s",
                       "properties": {"primary": true}}]}}}
                """.formatted(size, PASSWORD, NIC_PLACEHOLDER);
    }

    /** {@code /subscriptions/{s}/resourceGroups/{g}/providers/Microsoft.Network/{type}/{name}}. */
    public static String networkPath(String sub, String rg, String type, String name) {
        return "/subscriptions/" + sub + "/resourceGroups/" + rg + "/providers/Microsoft.Network/" + type + "/" + name;
    }

    /** How a fixture sends a PUT (path without api-version, JSON body). */
    @FunctionalInterface
    public interface Putter {
        HttpResponse<String> put(String path, String body) throws Exception;
    }

    /**
     * Makes sure the group has a virtual network for {@code location} ({@code vnet-{location}}, 10.0.0.0/16, one
     * subnet {@code default} spanning it) and puts a NIC {@code nicName} in it; returns the NIC's id.
     */
    public static String createNic(Putter putter, String sub, String rg, String location, String nicName) {
        String region = location.toLowerCase(Locale.ROOT).replace(" ", "");
        String vnet = networkPath(sub, rg, "virtualNetworks", "vnet-" + region);
        String nic = networkPath(sub, rg, "networkInterfaces", nicName);
        try {
            HttpResponse<String> network = putter.put(vnet, """
                    {"location": "%s", "properties": {"addressSpace": {"addressPrefixes": ["10.0.0.0/16"]},
                     "subnets": [{"name": "default", "properties": {"addressPrefix": "10.0.0.0/16"}}]}}
                    """.formatted(region));
            if (network.statusCode() >= 300) {
                throw new IllegalStateException("virtual network fixture refused: " + network.body());
            }
            HttpResponse<String> created = putter.put(nic, """
                    {"location": "%s", "properties": {"ipConfigurations": [{"name": "ipconfig1",
                     "properties": {"subnet": {"id": "%s/subnets/default"}}}]}}
                    """.formatted(region, vnet));
            if (created.statusCode() >= 300) {
                throw new IllegalStateException("network interface fixture refused: " + created.body());
            }
        } catch (Exception e) {
            throw e instanceof RuntimeException r ? r : new IllegalStateException(e);
        }
        return nic;
    }

    /**
     * {@code body} (which names {@link #NIC_PLACEHOLDER}) naming instead the NIC {@code {vmName}-nic}, created in
     * the VM's subscription, group and location ({@link #createNic}).
     */
    public static String withNic(Putter putter, String vmPath, String body) {
        String[] segments = vmPath.split("/");
        String location;
        try {
            location = JSON.readTree(body).path("location").asString("westeurope");
        } catch (RuntimeException notJson) {
            location = "westeurope";
        }
        return body.replace(NIC_PLACEHOLDER, createNic(putter, segments[2], segments[4], location,
                segments[8] + "-nic"));
    }

    protected String createNic(String sub, String rg, String location, String nicName) {
        return createNic(this::put, sub, rg, location, nicName);
    }

    /** PUTs a VM whose body names {@link #NIC_PLACEHOLDER}, after creating its NIC ({@link #withNic}). */
    protected HttpResponse<String> putVm(String vmPath, String body, String... headers) {
        return put(vmPath, withNic(this::put, vmPath, body), headers);
    }

    protected String url(String pathAndQuery) {
        return pathAndQuery.startsWith("http") ? pathAndQuery : "http://127.0.0.1:" + port + pathAndQuery;
    }

    protected static String withApi(String path) {
        return path + (path.contains("?") ? "&" : "?") + API;
    }

    protected HttpResponse<String> send(String method, String pathAndQuery, String body, String... headers) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url(pathAndQuery))).timeout(Duration.ofSeconds(30))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            b.header("Content-Type", "application/json");
        }
        for (int i = 0; i < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        try {
            HttpResponse<String> response = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
            synchronized (bodiesSeen) {
                bodiesSeen.add(response.body());
                response.headers().map().values().forEach(v -> bodiesSeen.add(String.join(",", v)));
            }
            return response;
        } catch (Exception e) {
            throw new IllegalStateException(method + " " + pathAndQuery + " failed", e);
        }
    }

    protected HttpResponse<String> put(String path, String body, String... headers) {
        return send("PUT", withApi(path), body, headers);
    }

    protected HttpResponse<String> get(String pathOrUrl) {
        return send("GET", pathOrUrl.contains("api-version=") ? pathOrUrl : withApi(pathOrUrl), null);
    }

    protected HttpResponse<String> delete(String path, String... headers) {
        return send("DELETE", withApi(path), null, headers);
    }

    protected static JsonNode json(HttpResponse<String> response) {
        return JSON.readTree(response.body());
    }

    protected static String header(HttpResponse<String> response, String name) {
        return response.headers().firstValue(name).orElse(null);
    }

    protected int count(String sql, Object... args) {
        Integer n = jdbc.queryForObject(sql, Integer.class, args);
        return n == null ? 0 : n;
    }
}
