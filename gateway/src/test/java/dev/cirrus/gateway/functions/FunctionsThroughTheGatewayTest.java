package dev.cirrus.gateway.functions;

import static dev.cirrus.gateway.support.Gateway.errorCode;
import static dev.cirrus.gateway.support.Gateway.json;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.util.Map;
import java.util.UUID;

import dev.cirrus.gateway.identity.GatewayData;
import dev.cirrus.gateway.support.ChildService;
import dev.cirrus.gateway.support.FakeService;
import dev.cirrus.gateway.support.Gateway;
import dev.cirrus.gateway.support.RawHttp;
import dev.cirrus.gateway.support.TestDatabase;
import dev.cirrus.testkit.TestInfrastructure;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Functions over HTTP through the gateway, against the real serverless service (its executable jar as a child
 * process): a JavaScript function created through ARM via the gateway, then invoked as a client of the app would,
 * by path ({@code /functions/{app}/api/...}) and by host ({@code {app}.azurewebsites.localhost}), without an ARM
 * token, with the function keys checked by serverless.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class FunctionsThroughTheGatewayTest {

    static final String V = "?api-version=2023-12-01";
    static final String RG_V = "?api-version=2021-04-01";
    static final int serverlessPort = FakeService.freePort();
    static ChildService serverless;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        TestDatabase.withoutKafka(registry, "gateway_functions");
        registry.add("cirrus.gateway.services.serverless", () -> "http://127.0.0.1:" + serverlessPort);
    }

    @BeforeAll
    static void startServerless() {
        TestInfrastructure.PostgresEndpoint pg = TestInfrastructure.postgres();
        serverless = ChildService.start("serverless", serverlessPort,
                "--spring.datasource.url=" + pg.newDatabase("gw_serverless"),
                "--spring.datasource.username=" + pg.username(), "--spring.datasource.password=" + pg.password(),
                "--cirrus.kafka.bootstrap-servers=");
    }

    @AfterAll
    static void stopServerless() {
        if (serverless != null) {
            serverless.close();
        }
    }

    @LocalServerPort
    int port;

    @Autowired
    GatewayData data;

    @Test
    @Order(1)
    void aJavaScriptFunctionCreatedThroughArmAnswersByPathAndByHostWithItsKeysEnforced() {
        Gateway arm = Gateway.admin(port, data);
        String sub = arm.newSubscription();
        String app = "fn-" + UUID.randomUUID().toString().substring(0, 8);
        String site = "/subscriptions/" + sub + "/resourceGroups/functions-rg/providers/Microsoft.Web/sites/" + app;
        assertThat(arm.put("/subscriptions/" + sub + "/resourcegroups/functions-rg" + RG_V, "{\"location\":\"westeurope\"}")
                .statusCode()).isEqualTo(201);
        HttpResponse<String> created = arm.put(site + V, "{\"kind\":\"functionapp\",\"location\":\"westeurope\"}");
        assertThat(created.statusCode()).as(created.body()).isEqualTo(200);
        String function = Gateway.JSON.writeValueAsString(Map.of("properties", Map.of(
                "config", Gateway.JSON.readTree("{\"bindings\":[{\"type\":\"httpTrigger\",\"direction\":\"in\","
                        + "\"name\":\"req\",\"authLevel\":\"function\",\"methods\":[\"get\",\"post\"]},"
                        + "{\"type\":\"http\",\"direction\":\"out\",\"name\":\"res\"}]}"),
                "files", Map.of("index.js", "module.exports = async function (context, req) {"
                        + " const name = req.query.name || (req.body && req.body.name) || 'world';"
                        + " context.res = { status: 200, body: { greeting: 'Hello, ' + name, method: req.method,"
                        + " url: req.url, size: (req.rawBody || '').length } }; };"))));
        HttpResponse<String> put = arm.put(site + "/functions/hello" + V, function);
        assertThat(put.statusCode()).as(put.body()).isEqualTo(201);
        String key = json(arm.send("POST", site + "/functions/hello/listkeys" + V, null)).path("default").asString();
        assertThat(key).isNotBlank();

        // the data plane: no ARM token, the function key instead
        Gateway client = new Gateway(port);
        HttpResponse<String> noKey = client.get("/functions/" + app + "/api/hello");
        assertThat(noKey.statusCode()).isEqualTo(401);
        HttpResponse<String> wrongKey = client.get("/functions/" + app + "/api/hello?code=not-the-key");
        assertThat(wrongKey.statusCode()).isEqualTo(401);

        HttpResponse<String> byPath = client.get("/functions/" + app + "/api/hello?name=Ada&code=" + key);
        assertThat(byPath.statusCode()).as(byPath.body()).isEqualTo(200);
        assertThat(json(byPath).path("greeting").asString()).isEqualTo("Hello, Ada");
        assertThat(byPath.headers().firstValue("x-cirrus-invocation-id")).isPresent();

        String big = "{\"name\":\"Grace\",\"padding\":\"" + "x".repeat(1024 * 1024) + "\"}";
        HttpResponse<String> posted = client.send("POST", "/functions/" + app + "/api/hello", big,
                "x-functions-key", key);
        assertThat(posted.statusCode()).as("the body streams through to the function").isEqualTo(200);
        assertThat(json(posted).path("greeting").asString()).isEqualTo("Hello, Grace");
        assertThat(json(posted).path("size").asInt()).isEqualTo(big.length());

        String host = app + ".azurewebsites.localhost:" + port;
        RawHttp.Response byHost = RawHttp.send(port, "GET", "/api/hello?name=Linus", host, Map.of("x-functions-key", key), null);
        assertThat(byHost.status()).as(byHost.body()).isEqualTo(200);
        assertThat(Gateway.JSON.readTree(byHost.body()).path("greeting").asString()).isEqualTo("Hello, Linus");
        assertThat(Gateway.JSON.readTree(byHost.body()).path("url").asString()).contains(app + ".azurewebsites.localhost");
        RawHttp.Response byHostWithoutKey = RawHttp.send(port, "GET", "/api/hello", host, Map.of(), null);
        assertThat(byHostWithoutKey.status()).isEqualTo(401);
        RawHttp.Response armPathByHost = RawHttp.send(port, "GET", "/subscriptions/" + sub + "/resourcegroups" + RG_V,
                host, Map.of(), null);
        assertThat(armPathByHost.status()).as("an app's host never reaches the gateway's ARM endpoints").isEqualTo(404);
    }

    @Test
    @Order(2)
    void whenServerlessIsDownAFunctionCallIs503NamingIt() {
        serverless.close();
        serverless = null;

        HttpResponse<String> down = new Gateway(port).get("/functions/any-app/api/hello");

        assertThat(down.statusCode()).isEqualTo(503);
        assertThat(errorCode(down)).isEqualTo("ServiceUnavailable");
        assertThat(Gateway.errorMessage(down)).contains("'serverless'");
    }
}
