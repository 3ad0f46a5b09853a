package dev.cirrus.gateway.operator;

import static dev.cirrus.gateway.support.Gateway.errorCode;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.http.HttpResponse;
import java.util.concurrent.TimeUnit;

import dev.cirrus.contracts.placement.v1.ListHostsRequest;
import dev.cirrus.contracts.placement.v1.ListHostsResponse;
import dev.cirrus.contracts.placement.v1.PlacementServiceGrpc;
import dev.cirrus.gateway.identity.GatewayData;
import dev.cirrus.gateway.support.FakeService;
import dev.cirrus.gateway.support.Gateway;
import dev.cirrus.gateway.support.TestDatabase;
import io.grpc.Server;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.StreamObserver;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * An engine that does not answer in time is a 504, one that cannot be reached a 503 with Retry-After: here a real
 * gRPC server on loopback that takes every call and never answers, then stops listening.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class PlacementEngineOutageTest {

    static final int enginePort = FakeService.freePort();
    static final Server silentEngine = start();

    static Server start() {
        try {
            return NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", enginePort))
                    .addService(new PlacementServiceGrpc.PlacementServiceImplBase() {
                        @Override
                        public void listHosts(ListHostsRequest request, StreamObserver<ListHostsResponse> responses) {
                            // never answers
                        }
                    }).build().start();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        TestDatabase.withoutKafka(registry, "gateway_engine_outage");
        registry.add("cirrus.placement.target", () -> "127.0.0.1:" + enginePort);
        registry.add("cirrus.placement.deadline", () -> "500ms");
    }

    @AfterAll
    static void stop() {
        silentEngine.shutdownNow();
    }

    @LocalServerPort
    int port;

    @Autowired
    GatewayData data;

    @Test
    void anEngineThatDoesNotAnswerIs504AndOneThatIsDownIs503WithRetryAfter() throws Exception {
        Gateway admin = Gateway.admin(port, data);

        HttpResponse<String> slow = admin.get("/cirrus/placement/hosts");
        assertThat(slow.statusCode()).as(slow.body()).isEqualTo(504);
        assertThat(errorCode(slow)).isEqualTo("GatewayTimeout");
        assertThat(Gateway.errorMessage(slow)).contains("placement-engine");

        silentEngine.shutdownNow().awaitTermination(10, TimeUnit.SECONDS);

        HttpResponse<String> down = admin.send("POST", "/cirrus/placement/hosts/h1/fail", null);
        assertThat(down.statusCode()).as(down.body()).isEqualTo(503);
        assertThat(errorCode(down)).isEqualTo("ServiceUnavailable");
        assertThat(Gateway.errorMessage(down)).isEqualTo("The service 'placement-engine' is unavailable. Retry the "
                + "request later.");
        assertThat(down.headers().firstValue("Retry-After")).hasValue("5");
    }
}
