package dev.cirrus.gateway.batch;

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

/** What reaches compute-vm of a Batch service API call, by host and by path, with no ARM token. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class BatchRoutingTest {

    static final FakeService computeVm = FakeService.start();
    static final FakeService others = FakeService.start();

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        TestDatabase.withoutKafka(registry, "gateway_batch_routing");
        registry.add("cirrus.gateway.services.compute-vm", () -> computeVm.url().toString());
        for (String module : new String[] {"compute-container", "app-service", "serverless", "billing"}) {
            registry.add("cirrus.gateway.services." + module, () -> others.url().toString());
        }
    }

    @AfterAll
    static void stop() {
        Stream.of(computeVm, others).forEach(FakeService::close);
    }

    @LocalServerPort
    int port;

    @BeforeEach
    void fresh() {
        computeVm.reset();
    }

    @Test
    void aCallByTheAccountsHostReachesComputeVmAtThePathFormWithTheSignedPath() {
        RawHttp.Response r = RawHttp.send(port, "GET", "/pools/p1/nodes?api-version=2024-07-01.20.0&maxresults=5",
                "render01.westeurope.batch.localhost:" + port, Map.of("Authorization", "SharedKey render01:c2ln",
                        "ocp-date", "Sun, 06 Dec 2026 22:00:00 GMT"), null);
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        FakeService.Received received = computeVm.received().get(0);
        assertThat(received.rawPathAndQuery())
                .isEqualTo("/batch/render01.westeurope/pools/p1/nodes?api-version=2024-07-01.20.0&maxresults=5");
        assertThat(received.header("X-Cirrus-Batch-Path")).isEqualTo("/pools/p1/nodes");
        assertThat(received.header("Authorization")).isEqualTo("SharedKey render01:c2ln");
        assertThat(received.header("ocp-date")).isEqualTo("Sun, 06 Dec 2026 22:00:00 GMT");
        assertThat(received.header("Host")).startsWith("render01.westeurope.batch.localhost");
        assertThat(others.received()).isEmpty();
    }

    @Test
    void aCallOfThePathFormReachesComputeVmAsSentAndCannotChooseTheSignedPath() {
        RawHttp.Response r = RawHttp.send(port, "POST", "/batch/render01.westeurope/jobs?api-version=2024-07-01.20.0",
                "127.0.0.1:" + port, Map.of("X-Cirrus-Batch-Path", "/jobs"), "{\"id\":\"j\"}");
        assertThat(r.status()).isEqualTo(200);
        FakeService.Received received = computeVm.received().get(0);
        assertThat(received.rawPathAndQuery()).isEqualTo("/batch/render01.westeurope/jobs?api-version=2024-07-01.20.0");
        assertThat(received.header("X-Cirrus-Batch-Path")).isNull();
        assertThat(received.body()).isEqualTo("{\"id\":\"j\"}");
    }

    @Test
    void aHostThatOnlyLooksLikeAnAccountsIsNotBatch() {
        RawHttp.Response r = RawHttp.send(port, "GET", "/pools?api-version=2024-07-01.20.0",
                "Render_01.westeurope.batch.example.com:" + port, Map.of(), null);
        assertThat(r.status()).isEqualTo(404);
        assertThat(computeVm.received()).isEmpty();
    }
}
