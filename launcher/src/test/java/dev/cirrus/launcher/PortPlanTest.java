package dev.cirrus.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static java.util.Map.entry;

import java.net.InetSocketAddress;
import java.net.ServerSocket;

import org.junit.jupiter.api.Test;

class PortPlanTest {

    @Test
    void theDefaultsAreThePlatformWideConvention() {
        PortPlan ports = PortPlan.defaults();

        assertThat(ports.names()).containsExactly(
                entry("placement-engine", 8086),
                entry("compute-vm", 8081),
                entry("compute-container", 8082),
                entry("app-service", 8083),
                entry("serverless", 8084),
                entry("billing", 8085),
                entry("gateway", 8080),
                entry("gateway-https", 8443),
                entry("placement-grpc", 9090),
                entry("kafka", 9092),
                entry("kafka-controller", 9093),
                entry("postgres", 5432));
    }

    @Test
    void anOffsetMovesEveryPortThePlatformBinds() {
        PortPlan moved = PortPlan.defaults().offsetBy(1000);

        PortPlan.defaults().names().forEach((name, port) ->
                assertThat(moved.names()).as(name).containsEntry(name, port + 1000));
        assertThat(moved.gatewayHttps()).isEqualTo(9443);
        assertThat(moved.kafkaController()).isEqualTo(10093);
    }

    @Test
    void theHttpsPortAndTheKafkaControllerAreCheckedBeforeStartUp() throws Exception {
        try (ServerSocket https = new ServerSocket(); ServerSocket controller = new ServerSocket()) {
            https.bind(new InetSocketAddress("127.0.0.1", 0));
            controller.bind(new InetSocketAddress("127.0.0.1", 0));
            PortPlan ports = PortPlan.freePorts().with("gateway-https", https.getLocalPort())
                    .with("kafka-controller", controller.getLocalPort());

            assertThat(ports.busy()).containsExactly("gateway-https " + https.getLocalPort(),
                    "kafka-controller " + controller.getLocalPort());
        }
    }


    @Test
    void twoPartsCannotShareAPort() {
        assertThatThrownBy(() -> PortPlan.defaults().with("kafka", 8080))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("gateway and kafka would both use port 8080");
    }

    @Test
    void aPortSomethingListensOnIsReportedBusyByName() throws Exception {
        try (ServerSocket taken = new ServerSocket()) {
            taken.bind(new InetSocketAddress("127.0.0.1", 0));
            PortPlan ports = PortPlan.freePorts().with("billing", taken.getLocalPort());

            assertThat(ports.busy()).containsExactly("billing " + taken.getLocalPort());
        }
    }
}
