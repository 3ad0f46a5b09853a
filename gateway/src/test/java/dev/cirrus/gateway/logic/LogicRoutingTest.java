package dev.cirrus.gateway.logic;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.stream.Stream;

import dev.cirrus.gateway.support.FakeService;
import dev.cirrus.gateway.support.RawHttp;
import dev.cirrus.gateway.support.TestDatabase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** What reaches serverless of a Logic Apps callback URL's call: the path and query as sent, with no ARM token. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class LogicRoutingTest {

    static final FakeService serverless = FakeService.start();
    static final FakeService others = FakeService.start();
    static final String CALLBACK = "/workflows/0123456789abcdef0123456789abcdef/triggers/manual/paths/invoke";
    static final String QUERY = "?api-version=2016-10-01&sp=%2Ftriggers%2Fmanual%2Frun&sv=1.0&sig=c2ln";

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        TestDatabase.withoutKafka(registry, "gateway_logic_routing");
        registry.add("cirrus.gateway.services.serverless", () -> serverless.url().toString());
        for (String module : new String[] {"compute-vm", "compute-container", "app-service", "billing"}) {
            registry.add("cirrus.gateway.services." + module, () -> others.url().toString());
        }
    }

    @AfterAll
    static void stop() {
        Stream.of(serverless, others).forEach(FakeService::close);
    }

    @LocalServerPort
    int port;

    @BeforeEach
    void fresh() {
        serverless.reset();
    }

    @Test
    void aCallOfACallbackUrlReachesServerlessAsSentWithoutABearerToken() {
        RawHttp.Response r = RawHttp.send(port, "POST", CALLBACK + QUERY, "127.0.0.1:" + port,
                Map.of("Content-Type", "application/json"), "{\"name\":\"Ada\"}");

        assertThat(r.status()).as(r.body()).isEqualTo(200);
        FakeService.Received received = serverless.received().get(0);
        assertThat(received.rawPathAndQuery()).isEqualTo(CALLBACK + QUERY);
        assertThat(received.body()).isEqualTo("{\"name\":\"Ada\"}");
        assertThat(others.received()).isEmpty();
    }

    @Test
    void aRelativePathAfterInvokeAndAnyMethodAreTheWorkflows() {
        RawHttp.Response r = RawHttp.send(port, "GET", CALLBACK + "/orders/42" + QUERY, "127.0.0.1:" + port, Map.of(),
                null);

        assertThat(r.status()).isEqualTo(200);
        assertThat(serverless.received().get(0).rawPathAndQuery()).isEqualTo(CALLBACK + "/orders/42" + QUERY);
    }

    @Test
    void anythingElseUnderWorkflowsIsNotRouted() {
        RawHttp.Response r = RawHttp.send(port, "POST", "/workflows/not-an-access-id/triggers/manual/paths/invoke"
                + QUERY, "127.0.0.1:" + port, Map.of(), "{}");
        RawHttp.Response runs = RawHttp.send(port, "GET", "/workflows/0123456789abcdef0123456789abcdef/runs",
                "127.0.0.1:" + port, Map.of(), null);

        assertThat(r.status()).isEqualTo(404);
        assertThat(runs.status()).isEqualTo(404);
        assertThat(serverless.received()).isEmpty();
    }
}
