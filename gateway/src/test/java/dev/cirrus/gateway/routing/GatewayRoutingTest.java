package dev.cirrus.gateway.routing;

import static dev.cirrus.gateway.support.Gateway.errorCode;
import static dev.cirrus.gateway.support.Gateway.errorMessage;
import static dev.cirrus.gateway.support.Gateway.json;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import dev.cirrus.gateway.support.FakeService;
import dev.cirrus.gateway.support.FakeService.Reply;
import dev.cirrus.gateway.identity.GatewayData;
import dev.cirrus.gateway.support.Gateway;
import dev.cirrus.gateway.support.TestDatabase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;

/**
 * The gateway in front of real HTTP servers on loopback: routing by provider namespace, what reaches a service,
 * and what a client sees when a service errs, is down or is slow.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class GatewayRoutingTest {

    static final String SUB = "0b1f6c2e-3a4d-4e5f-8a9b-0c1d2e3f4a5b";
    static final String RG = "Routing-RG";
    static final String V = "api-version=2024-07-01";
    /** api-versions the providers catalogue lists for the other namespaces (the gateway refuses any other) */
    static final String WEB = "api-version=2023-12-01";
    static final String LOGIC = "api-version=2019-05-01";
    static final String COST = "api-version=2023-03-01";
    static final String CONSUMPTION = "api-version=2023-05-01";
    static final String CONTAINER_INSTANCE = "api-version=2023-05-01";

    static String version(String path) {
        String p = path.toLowerCase();
        return p.contains("microsoft.web") ? WEB : p.contains("microsoft.logic") ? LOGIC
                : p.contains("microsoft.containerinstance") ? CONTAINER_INSTANCE : V;
    }

    static final FakeService computeVm = FakeService.start();
    static final FakeService computeContainer = FakeService.start();
    static final FakeService appService = FakeService.start();
    static final FakeService serverless = FakeService.start();
    /** billing is down: nothing listens on its port */
    static final int billingPort = FakeService.freePort();

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        TestDatabase.withoutKafka(registry, "gateway_routing");
        registry.add("cirrus.gateway.services.compute-vm", () -> computeVm.url().toString());
        registry.add("cirrus.gateway.services.compute-container", () -> computeContainer.url().toString());
        registry.add("cirrus.gateway.services.app-service", () -> appService.url().toString());
        registry.add("cirrus.gateway.services.serverless", () -> serverless.url().toString());
        registry.add("cirrus.gateway.services.billing", () -> "http://127.0.0.1:" + billingPort);
        registry.add("spring.cloud.gateway.server.webflux.httpclient.response-timeout", () -> "1s");
        registry.add("cirrus.gateway.functions.response-timeout", () -> "1s");
    }

    @AfterAll
    static void stopServices() {
        Stream.of(computeVm, computeContainer, appService, serverless).forEach(FakeService::close);
    }

    @LocalServerPort
    int port;

    @Autowired
    GatewayData data;

    Gateway gateway;

    @BeforeEach
    void resourceGroupExistsAndServicesAreFresh() {
        gateway = Gateway.admin(port, data);
        gateway.subscription(SUB);
        HttpResponse<String> rg = gateway.put("/subscriptions/" + SUB + "/resourcegroups/" + RG + "?" + V,
                "{\"location\":\"westus\"}");
        assertThat(rg.statusCode()).isIn(200, 201);
        Stream.of(computeVm, computeContainer, appService, serverless).forEach(FakeService::reset);
    }

    static Stream<Arguments> pathsAndTheirOwners() {
        String inRg = "/subscriptions/" + SUB + "/resourceGroups/" + RG + "/providers/";
        return Stream.of(
                Arguments.of(inRg + "Microsoft.Compute/virtualMachines/vm1", computeVm),
                Arguments.of("/subscriptions/" + SUB + "/resourcegroups/routing-rg/providers/microsoft.compute/virtualMachines/vm1", computeVm),
                Arguments.of("/subscriptions/" + SUB + "/providers/MICROSOFT.COMPUTE/virtualMachines", computeVm),
                Arguments.of("/providers/Microsoft.Compute/operations", computeVm),
                Arguments.of(inRg + "Microsoft.ContainerInstance/containerGroups/cg1", computeContainer),
                Arguments.of(inRg + "microsoft.containerservice/managedClusters/aks1", computeContainer),
                Arguments.of(inRg + "Microsoft.Web/serverfarms/plan1", appService),
                Arguments.of(inRg + "microsoft.web/sites/site1", appService),
                Arguments.of(inRg + "Microsoft.Logic/workflows/wf1", serverless));
    }

    // the fakes are AutoCloseable: JUnit would close them after the first invocation that received one
    @ParameterizedTest(autoCloseArguments = false)
    @MethodSource("pathsAndTheirOwners")
    void aCallUnderAProviderNamespaceReachesTheServiceThatOwnsItWhateverTheCasing(String path, FakeService owner) {
        HttpResponse<String> response = gateway.get(path + "?" + version(path));

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo("{\"served\":true}");
        assertThat(owner.received()).extracting(FakeService.Received::rawPathAndQuery).containsExactly(path + "?" + version(path));
        Stream.of(computeVm, computeContainer, appService, serverless).filter(s -> s != owner)
                .forEach(other -> assertThat(other.received()).isEmpty());
    }

    @Test
    void theServiceReceivesTheOriginalPathQueryAndBodyAndTheGatewaysAddress() {
        String path = "/subscriptions/" + SUB + "/resourcegroups/routing-RG/providers/microsoft.Compute/virtualMachines/My-VM";
        String query = "?$expand=instanceView&api-version=2024-07-01&$filter=name%20eq%20%27vm%281%29%27";
        String body = "{\"location\":\"westus\",\"properties\":{\"hardwareProfile\":{\"vmSize\":\"Standard_D2s_v5\"},"
                + "\"networkProfile\":{\"networkInterfaces\":[{\"id\":\"/subscriptions/" + SUB + "/resourceGroups/routing-RG/"
                + "providers/Microsoft.Network/networkInterfaces/My-VM-nic\"}]}}}";
        computeVm.answer(r -> new Reply(201, Map.of("Content-Type", "application/json",
                "Azure-AsyncOperation", "http://gateway.example/op/1"), "{\"name\":\"My-VM\"}"));

        HttpResponse<String> response = gateway.send("PUT", path + query, body,
                "x-ms-client-request-id", "client-1", "x-ms-correlation-request-id", "corr-1");

        assertThat(response.statusCode()).isEqualTo(201);
        assertThat(response.body()).isEqualTo("{\"name\":\"My-VM\"}");
        assertThat(response.headers().firstValue("Azure-AsyncOperation")).hasValue("http://gateway.example/op/1");
        assertThat(response.headers().firstValue("x-ms-request-id")).hasValueSatisfying(id -> UUID.fromString(id));
        assertThat(response.headers().firstValue("x-ms-correlation-request-id")).hasValue("corr-1");
        assertThat(response.headers().firstValue("x-ms-client-request-id")).hasValue("client-1");

        FakeService.Received received = computeVm.received().getFirst();
        assertThat(received.method()).isEqualTo("PUT");
        assertThat(received.rawPathAndQuery()).isEqualTo(path + query);
        assertThat(received.body()).isEqualTo(body);
        String gatewayAddress = "127.0.0.1:" + port;
        assertThat(received.header("Host")).isEqualTo(gatewayAddress);
        assertThat(received.header("X-Forwarded-Host")).isEqualTo(gatewayAddress);
        assertThat(received.header("X-Forwarded-Proto")).isEqualTo("http");
        assertThat(received.header("X-Forwarded-Port")).isEqualTo(String.valueOf(port));
        assertThat(received.header("Forwarded")).isNull();
        assertThat(received.header("x-ms-correlation-request-id")).isEqualTo("corr-1");
        assertThat(received.header("x-ms-client-request-id")).isEqualTo("client-1");
        assertThat(received.header("x-ms-request-id"))
                .isEqualTo(response.headers().firstValue("x-ms-request-id").orElseThrow());
    }

    @Test
    void hopByHopHeadersAndTheOnesConnectionNamesStopAtTheGatewayBothWays() throws IOException {
        String path = "/subscriptions/" + SUB + "/resourceGroups/" + RG
                + "/providers/Microsoft.Compute/virtualMachines/vm1?" + V;
        computeVm.answer(r -> new Reply(200, Map.of("Content-Type", "application/json",
                "Proxy-Authenticate", "Basic realm=\"vm\"", "X-Application-Context", "compute-vm:8081",
                "x-ms-served-by", "compute-vm"), "{}"));

        // java.net.http refuses to send Connection itself: a raw HTTP/1.1 exchange
        String answer = rawExchange("GET " + path + " HTTP/1.1\r\n"
                + "Host: 127.0.0.1:" + port + "\r\n"
                + "Authorization: Bearer " + gateway.token() + "\r\n"
                + "Connection: keep-alive, X-Hop-Named\r\n"
                + "X-Hop-Named: 1\r\n"
                + "Keep-Alive: timeout=5\r\n"
                + "TE: trailers\r\n"
                + "Proxy-Authorization: Basic YTpi\r\n"
                + "Forwarded: for=192.0.2.60;proto=https\r\n"
                + "X-End-To-End: kept\r\n\r\n");

        assertThat(answer).startsWith("HTTP/1.1 200");
        FakeService.Received received = computeVm.received().getFirst();
        assertThat(received.header("X-End-To-End")).isEqualTo("kept");
        Stream.of("X-Hop-Named", "Keep-Alive", "TE", "Proxy-Authorization", "Forwarded")
                .forEach(header -> assertThat(received.header(header)).as(header).isNull());
        String headers = answer.substring(0, answer.indexOf("\r\n\r\n")).toLowerCase(java.util.Locale.ROOT);
        assertThat(headers).contains("x-ms-served-by: compute-vm")
                .doesNotContain("proxy-authenticate").doesNotContain("x-application-context");
    }

    @Autowired
    java.util.List<org.springframework.cloud.gateway.filter.headers.HttpHeadersFilter> frameworkHeaderFilters;

    /**
     * The header filters Spring Cloud Gateway declares are the ones {@link ProxiedHeaders} stands in for
     * (FrameworkBehaviourPinTest pins what each does): one added by an upgrade would not be applied to routed calls.
     */
    @Test
    void theFrameworksHeaderFiltersAreTheOnesTheGatewaysOwnReplace() {
        assertThat(frameworkHeaderFilters).extracting(f -> f.getClass().getSimpleName())
                .containsExactlyInAnyOrder(
                        // ProxiedHeaders.REQUEST: what these four do (with X-Forwarded-* from the request as
                        // arm.ForwardedHeaders left it, where RemoveXForwarded would send none)
                        "RemoveForwardedHeadersFilter", "RemoveXForwardedHeadersFilter",
                        "TransferEncodingNormalizationHeadersFilter", "RemoveHopByHopHeadersFilter",
                        // not applied: no route here carries gRPC (its content type, TE: trailers, trailers back)
                        "GRPCRequestHeadersFilter", "GRPCResponseHeadersFilter");
    }

    @Test
    void withoutAnIngressTheServiceSeesTheClientsOwnAddressInXForwardedFor() {
        gateway.get("/subscriptions/" + SUB + "/providers/Microsoft.Compute/virtualMachines?" + V);

        assertThat(computeVm.received().getFirst().header("X-Forwarded-For")).isEqualTo("127.0.0.1");
    }

    /** Sends {@code request} as written and reads one answer (headers, then Content-Length bytes of body). */
    private String rawExchange(String request) throws IOException {
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write(request.getBytes(StandardCharsets.US_ASCII));
            out.flush();
            BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
            StringBuilder answer = new StringBuilder();
            int length = 0;
            for (String line = in.readLine(); line != null && !line.isEmpty(); line = in.readLine()) {
                answer.append(line).append("\r\n");
                if (line.regionMatches(true, 0, "Content-Length:", 0, 15)) {
                    length = Integer.parseInt(line.substring(15).strip());
                }
            }
            answer.append("\r\n");
            char[] body = new char[length];
            int read = 0;
            while (read < length) {
                int n = in.read(body, read, length - read);
                if (n < 0) {
                    break;
                }
                read += n;
            }
            return answer.append(body, 0, read).toString();
        }
    }

    @Test
    void anArmErrorAServiceAnswersReachesTheClientUnchanged() {
        String conflict = "{\"error\":{\"code\":\"OperationNotAllowed\",\"message\":\"Operation could not be "
                + "completed as it results in exceeding approved Cores quota.\",\"target\":\"vmSize\"}}";
        appService.answer(r -> new Reply(409, Map.of("Content-Type", "application/json; charset=utf-8",
                "x-ms-failure-cause", "gateway"), conflict));

        HttpResponse<String> response = gateway.put("/subscriptions/" + SUB + "/resourceGroups/" + RG
                + "/providers/Microsoft.Web/serverfarms/plan1?" + WEB, "{\"location\":\"westus\"}");

        assertThat(response.statusCode()).isEqualTo(409);
        assertThat(response.body()).isEqualTo(conflict);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/json; charset=utf-8");
        assertThat(response.headers().firstValue("x-ms-failure-cause")).hasValue("gateway");
        assertThat(response.headers().firstValue("x-ms-request-id")).isPresent();
    }

    @Test
    void aServerErrorAServiceAnswersReachesTheClientUnchanged() {
        String failure = "{\"error\":{\"code\":\"ServiceUnavailable\",\"message\":\"The service's database is "
                + "unavailable. Retry the request later.\"}}";
        serverless.answer(r -> Reply.json(503, failure));

        HttpResponse<String> response = gateway.get("/subscriptions/" + SUB + "/resourceGroups/" + RG
                + "/providers/Microsoft.Logic/workflows/wf1?" + LOGIC);

        assertThat(response.statusCode()).isEqualTo(503);
        assertThat(response.body()).isEqualTo(failure);
    }

    @Test
    void aServiceThatIsDownIsA503NamingItWithinTheConnectBound() {
        long start = System.nanoTime();
        HttpResponse<String> response = gateway.send("POST", "/subscriptions/" + SUB
                + "/providers/Microsoft.CostManagement/query?" + COST, "{\"type\":\"ActualCost\"}");
        Duration took = Duration.ofNanos(System.nanoTime() - start);

        assertThat(response.statusCode()).isEqualTo(503);
        assertThat(errorCode(response)).isEqualTo("ServiceUnavailable");
        assertThat(errorMessage(response)).isEqualTo("The service 'billing' is unavailable. Retry the request later.");
        assertThat(response.headers().firstValue("x-ms-request-id")).isPresent();
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("application/json"));
        assertThat(took).isLessThan(Duration.ofSeconds(3));
    }

    @Test
    void consumptionCallsGoToBillingToo() {
        HttpResponse<String> response = gateway.get("/subscriptions/" + SUB
                + "/providers/microsoft.consumption/usageDetails?" + CONSUMPTION);

        assertThat(response.statusCode()).isEqualTo(503);
        assertThat(errorMessage(response)).contains("'billing'");
    }

    @Test
    void aServiceThatDoesNotAnswerInTimeIsA504() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        serverless.answer(r -> {
            try {
                release.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return Reply.json(200, "{}");
        });
        try {
            long start = System.nanoTime();
            HttpResponse<String> response = gateway.get("/subscriptions/" + SUB + "/resourceGroups/" + RG
                    + "/providers/Microsoft.Logic/workflows/slow?" + LOGIC);
            Duration took = Duration.ofNanos(System.nanoTime() - start);

            assertThat(response.statusCode()).isEqualTo(504);
            assertThat(errorCode(response)).isEqualTo("GatewayTimeout");
            assertThat(errorMessage(response)).isEqualTo("The gateway did not receive a response from "
                    + "'Microsoft.Logic' (service 'serverless') within the specified time period.");
            assertThat(response.headers().firstValue("x-ms-request-id")).isPresent();
            assertThat(took).isBetween(Duration.ofMillis(900), Duration.ofSeconds(5));
        } finally {
            release.countDown();
        }
    }

    @Test
    void aFunctionCallByPathReachesServerlessUnchangedWithoutATokenAndBeyondArmsBodyLimit() {
        String body = "x".repeat(5 * 1024 * 1024);
        HttpResponse<String> response = new Gateway(port).send("POST", "/functions/My-App/api/orders/7?code=k&a=%20b",
                body, "Content-Type", "text/plain");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo("{\"served\":true}");
        assertThat(serverless.received()).hasSize(1);
        FakeService.Received received = serverless.received().getFirst();
        assertThat(received.method()).isEqualTo("POST");
        assertThat(received.rawPathAndQuery()).isEqualTo("/functions/My-App/api/orders/7?code=k&a=%20b");
        assertThat(received.body()).hasSize(body.length());
        assertThat(received.header("Authorization")).isNull();
        assertThat(response.headers().firstValue("x-ms-ratelimit-remaining-subscription-reads")).isEmpty();
    }

    @Test
    void aFunctionCallByHostReachesServerlessWithItsOwnPathAndTheHostKept() {
        String host = "my-app.azurewebsites.localhost:" + port;
        dev.cirrus.gateway.support.RawHttp.Response response = dev.cirrus.gateway.support.RawHttp.send(port, "DELETE",
                "/api/orders/7?x=1", host, Map.of(), null);

        assertThat(response.status()).isEqualTo(200);
        FakeService.Received received = serverless.received().getFirst();
        assertThat(received.method()).isEqualTo("DELETE");
        assertThat(received.rawPathAndQuery()).isEqualTo("/api/orders/7?x=1");
        assertThat(received.header("Host")).isEqualTo(host);
        assertThat(received.header("X-Forwarded-Host")).isEqualTo(host);
    }

    @Test
    void aZipDeployToTheAppsKuduHostReachesServerlessWithTheHostKept() {
        String host = "my-app.scm.azurewebsites.localhost:" + port;
        dev.cirrus.gateway.support.RawHttp.Response response = dev.cirrus.gateway.support.RawHttp.send(port, "POST",
                "/api/zipdeploy", host, Map.of(), null);

        assertThat(response.status()).isEqualTo(200);
        FakeService.Received received = serverless.received().getFirst();
        assertThat(received.method()).isEqualTo("POST");
        assertThat(received.rawPathAndQuery()).isEqualTo("/api/zipdeploy");
        assertThat(received.header("X-Forwarded-Host")).isEqualTo(host);
    }

    @Test
    void aFunctionThatDoesNotAnswerWithinTheFunctionsTimeoutIsA504() {
        CountDownLatch release = new CountDownLatch(1);
        serverless.answer(r -> {
            try {
                release.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return Reply.json(200, "{}");
        });
        try {
            HttpResponse<String> response = new Gateway(port).get("/functions/slow-app/api/wait");

            assertThat(response.statusCode()).isEqualTo(504);
            assertThat(errorCode(response)).isEqualTo("GatewayTimeout");
            assertThat(errorMessage(response)).contains("'serverless'");
        } finally {
            release.countDown();
        }
    }

    @Test
    void aPathInsideAResourceGroupThatDoesNotExistIs404BeforeAnyServiceIsCalled() {
        HttpResponse<String> response = gateway.put("/subscriptions/" + SUB
                + "/resourceGroups/No-Such-Group/providers/Microsoft.Compute/virtualMachines/vm1?" + V,
                "{\"location\":\"westus\"}");

        assertThat(response.statusCode()).isEqualTo(404);
        assertThat(errorCode(response)).isEqualTo("ResourceGroupNotFound");
        assertThat(errorMessage(response)).isEqualTo("Resource group 'No-Such-Group' could not be found.");
        assertThat(computeVm.received()).isEmpty();
    }

    @Test
    void aNamespaceNoServiceOwnsIsNoRegisteredProviderFound() {
        HttpResponse<String> response = gateway.get("/subscriptions/" + SUB + "/resourceGroups/" + RG
                + "/providers/Microsoft.Maps/accounts/map1?" + V);

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(errorCode(response)).isEqualTo("NoRegisteredProviderFound");
        assertThat(errorMessage(response)).startsWith("No registered resource provider found for namespace "
                + "'Microsoft.Maps' and API version '2024-07-01' for type 'Microsoft.Maps/accounts'.");
        Stream.of(computeVm, computeContainer, appService, serverless)
                .forEach(service -> assertThat(service.received()).isEmpty());
    }

    @Test
    void aRoutedCallWithoutApiVersionIsRefusedBeforeTheService() {
        HttpResponse<String> response = gateway.get("/subscriptions/" + SUB + "/resourceGroups/" + RG
                + "/providers/Microsoft.Compute/virtualMachines/vm1");

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(errorCode(response)).isEqualTo("MissingApiVersionParameter");
        assertThat(computeVm.received()).isEmpty();
    }

    @Test
    void theProvidersListNamesTheResourceTypesLocationsAndApiVersionsCirrusServes() {
        HttpResponse<String> list = gateway.get("/subscriptions/" + SUB + "/providers?" + V);

        assertThat(list.statusCode()).isEqualTo(200);
        assertThat(json(list).path("value").findValuesAsString("namespace"))
                .contains("Microsoft.Compute", "Microsoft.Web", "Microsoft.Authorization");
        HttpResponse<String> compute = gateway.get("/subscriptions/" + SUB + "/providers/microsoft.compute?" + V);
        assertThat(compute.statusCode()).isEqualTo(200);
        assertThat(json(compute).path("registrationState").asString()).isEqualTo("Registered");
        JsonNode vms = json(compute).path("resourceTypes").get(0);
        assertThat(vms.path("resourceType").asString()).isEqualTo("virtualMachines");
        assertThat(vms.path("locations").toString()).contains("East US");
        assertThat(vms.path("apiVersions").toString()).contains("2024-07-01");
        assertThat(json(compute).path("resourceTypes").findValuesAsString("resourceType"))
                .contains("availabilitySets", "locations/vmSizes", "locations/usages", "locations/publishers");
        assertThat(gateway.send("POST", "/subscriptions/" + SUB + "/providers/Microsoft.Web/register?" + V, null)
                .statusCode()).isEqualTo(200);
        assertThat(computeVm.received()).isEmpty();
        assertThat(appService.received()).isEmpty();
    }

    @Test
    void aFunctionAppGoesToServerlessByItsKindAndStaysThereAndOtherSitesGoToAppService() {
        String sites = "/subscriptions/" + SUB + "/resourceGroups/" + RG + "/providers/Microsoft.Web/sites/";
        String functionBody = "{\"kind\":\"functionapp,linux\",\"location\":\"westus\"}";

        HttpResponse<String> created = gateway.put(sites + "orders-fn?" + WEB, functionBody);

        assertThat(created.statusCode()).isEqualTo(200);
        assertThat(serverless.received()).hasSize(1);
        assertThat(serverless.received().getFirst().body()).isEqualTo(functionBody);
        assertThat(appService.received()).isEmpty();
        gateway.get(sites + "ORDERS-FN?" + WEB);
        gateway.send("POST", sites + "orders-fn/restart?" + WEB, null);
        gateway.send("DELETE", sites + "orders-fn?" + WEB, null);
        assertThat(serverless.received()).hasSize(4);

        gateway.put(sites + "shop?" + WEB, "{\"kind\":\"app\",\"location\":\"westus\"}");
        gateway.get(sites + "shop?" + WEB);
        gateway.get(sites + "never-seen?" + WEB);
        gateway.get("/subscriptions/" + SUB + "/resourceGroups/" + RG + "/providers/Microsoft.Web/serverfarms/plan?" + WEB);
        assertThat(appService.received()).hasSize(4);
        assertThat(serverless.received()).hasSize(4);
    }

    @Test
    void aSitePutTheServiceRefusesIsNotRemembered() {
        String site = "/subscriptions/" + SUB + "/resourceGroups/" + RG + "/providers/Microsoft.Web/sites/refused-fn";
        serverless.answer(r -> FakeService.Reply.json(400, "{\"error\":{\"code\":\"InvalidParameter\",\"message\":\"no\"}}"));

        assertThat(gateway.put(site + "?" + WEB, "{\"kind\":\"functionapp\"}").statusCode()).isEqualTo(400);
        gateway.get(site + "?" + WEB);

        assertThat(appService.received()).hasSize(1);
    }

    @Test
    void resourcesAcceptedByTheirServiceAreListedWithTypeFilterAndPaging() {
        String sub = gateway.newSubscription();
        String rg = "/subscriptions/" + sub + "/resourceGroups/Index-RG";
        assertThat(gateway.put(rg + "?" + V, "{\"location\":\"westus\"}").statusCode()).isEqualTo(201);
        String vm1 = rg + "/providers/Microsoft.Compute/virtualMachines/vm1";
        String vm2 = rg + "/providers/Microsoft.Compute/virtualMachines/vm2";
        String site = rg + "/providers/Microsoft.Web/sites/web1";
        gateway.put(vm1 + "?" + V, "{\"location\":\"West US\",\"tags\":{\"env\":\"dev\"}}");
        gateway.put(vm2 + "?" + V, "{\"location\":\"westus\"}");
        gateway.put(site + "?" + WEB, "{\"kind\":\"app,linux\",\"location\":\"westus\"}");
        computeVm.answer(r -> FakeService.Reply.json(400, "{\"error\":{\"code\":\"InvalidParameter\",\"message\":\"no\"}}"));
        gateway.put(rg + "/providers/Microsoft.Compute/virtualMachines/refused?" + V, "{\"location\":\"westus\"}");

        HttpResponse<String> all = gateway.get("/subscriptions/" + sub + "/resources?" + V);
        assertThat(all.statusCode()).isEqualTo(200);
        assertThat(json(all).path("value").findValuesAsString("id")).containsExactly(vm1, vm2, site);
        JsonNode first = json(all).path("value").get(0);
        assertThat(first.path("type").asString()).isEqualTo("Microsoft.Compute/virtualMachines");
        assertThat(first.path("name").asString()).isEqualTo("vm1");
        assertThat(first.path("location").asString()).isEqualTo("westus");
        assertThat(first.path("tags").path("env").asString()).isEqualTo("dev");
        assertThat(json(all).path("value").get(2).path("kind").asString()).isEqualTo("app,linux");

        HttpResponse<String> sites = gateway.get(rg + "/resources?" + V
                + "&$filter=resourceType%20eq%20'microsoft.web/sites'");
        assertThat(json(sites).path("value").findValuesAsString("id")).containsExactly(site);

        HttpResponse<String> page1 = gateway.get("/subscriptions/" + sub + "/resources?" + V + "&$top=2");
        assertThat(json(page1).path("value").size()).isEqualTo(2);
        String next = json(page1).path("nextLink").asString();
        assertThat(next).startsWith("http://127.0.0.1:" + port + "/subscriptions/" + sub + "/resources?");
        HttpResponse<String> page2 = gateway.get(next.substring(("http://127.0.0.1:" + port).length()));
        assertThat(json(page2).path("value").findValuesAsString("id")).containsExactly(site);
        assertThat(json(page2).has("nextLink")).isFalse();

        computeVm.reset();
        assertThat(gateway.send("DELETE", vm2 + "?" + V, null).statusCode()).isEqualTo(200);
        computeVm.answer(r -> new FakeService.Reply(202, java.util.Map.of(), null));
        assertThat(gateway.send("DELETE", vm1 + "?" + V, null).statusCode()).isEqualTo(202);
        assertThat(json(gateway.get(rg + "/resources?" + V)).path("value").findValuesAsString("id"))
                .containsExactly(vm1, site);

        computeVm.reset();
        assertThat(gateway.send("DELETE", rg + "?" + V, null).statusCode()).isEqualTo(202);
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(
                json(gateway.get("/subscriptions/" + sub + "/resources?" + V)).path("value").size()).isZero());
    }

    @Test
    void aBadResourcesQueryIsRefused() {
        assertThat(Gateway.errorCode(gateway.get("/subscriptions/" + SUB + "/resources?" + V + "&$top=0")))
                .isEqualTo("InvalidTopInQueryString");
        assertThat(Gateway.errorCode(gateway.get("/subscriptions/" + SUB + "/resources?" + V
                + "&$filter=properties%2FvmId%20eq%20'x'"))).isEqualTo("InvalidFilterInQueryString");
    }
}
