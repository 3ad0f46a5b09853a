package dev.cirrus.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;

class ServiceCommandTest {

    private final PlatformConfig config = PlatformConfig.builder()
            .ports(PortPlan.defaults().offsetBy(100))
            .javaCommand(Path.of("/opt/jdk/bin/java"))
            .build();

    private List<String> command(ServiceModule module) {
        return ServiceCommand.of(config, module, Path.of("/repo", module.moduleName(), "target", "x-exec.jar"), 4242);
    }

    @Test
    void aServiceRunsOnTheLaunchersJavaWithASmallHeapAndItsExecJar() {
        assertThat(command(ServiceModule.BILLING)).startsWith("/opt/jdk/bin/java", "-Xmx160m", "-XX:+UseSerialGC",
                "-XX:TieredStopAtLevel=1", "-Xss512k", "-jar", "/repo/billing/target/x-exec.jar");
    }

    @Test
    void theGatewayAndThePlacementEngineKeepTheFullJitWhileTheOtherServicesStopAtC1() {
        for (ServiceModule module : ServiceModule.values()) {
            List<String> command = command(module);
            assertThat(command).as(module.moduleName()).contains("-Xmx160m", "-XX:+UseSerialGC", "-Xss512k");
            if (module == ServiceModule.GATEWAY || module == ServiceModule.PLACEMENT_ENGINE) {
                assertThat(command).as(module.moduleName()).noneMatch(arg -> arg.startsWith("-XX:TieredStopAtLevel"));
            } else {
                assertThat(command).as(module.moduleName()).contains("-XX:TieredStopAtLevel=1");
            }
        }
    }

    @Test
    void everyServiceGetsItsPortItsOwnDatabaseKafkaAndTheLaunchersPid() {
        assertThat(command(ServiceModule.COMPUTE_CONTAINER)).contains(
                "--server.port=8182",
                "--spring.datasource.url=jdbc:postgresql://127.0.0.1:5532/compute_container",
                "--spring.datasource.username=postgres",
                "--spring.datasource.password=postgres",
                "--cirrus.kafka.bootstrap-servers=127.0.0.1:9192",
                "--cirrus.parent-pid=4242");
    }

    @Test
    void thePlacementEngineServesGrpcOnItsPortAndTheVmServiceIsPointedAtIt() {
        assertThat(command(ServiceModule.PLACEMENT_ENGINE))
                .contains("--server.port=8186", "--cirrus.placement.grpc-port=9190",
                        "--spring.datasource.url=jdbc:postgresql://127.0.0.1:5532/placement");
        assertThat(command(ServiceModule.COMPUTE_VM))
                .contains("--cirrus.placement.target=127.0.0.1:9190");
        assertThat(command(ServiceModule.BILLING)).noneMatch(arg -> arg.startsWith("--cirrus.placement"));
    }

    @Test
    void computeContainerIsPointedAtComputeVmForTheManagedClustersScaleSets() {
        assertThat(command(ServiceModule.COMPUTE_CONTAINER))
                .contains("--cirrus.compute-container.compute-vm-url=http://127.0.0.1:8181");
        assertThat(command(ServiceModule.BILLING)).noneMatch(arg -> arg.startsWith("--cirrus.compute-container"));
    }

    @Test
    void theGatewayIsToldWhereEveryServiceItRoutesToAnswers() {
        assertThat(command(ServiceModule.GATEWAY)).contains(
                "--server.port=8180",
                "--cirrus.gateway.services.compute-vm=http://127.0.0.1:8181",
                "--cirrus.gateway.services.compute-container=http://127.0.0.1:8182",
                "--cirrus.gateway.services.app-service=http://127.0.0.1:8183",
                "--cirrus.gateway.services.serverless=http://127.0.0.1:8184",
                "--cirrus.gateway.services.billing=http://127.0.0.1:8185");
        assertThat(command(ServiceModule.COMPUTE_VM)).noneMatch(arg -> arg.startsWith("--cirrus.gateway"));
    }

    @Test
    void theGatewayFindsThePlacementEngineForItsOperatorApiOnTheGrpcPortItServes() {
        assertThat(command(ServiceModule.GATEWAY)).contains("--cirrus.placement.target=127.0.0.1:9190");
    }

    @Test
    void theGatewaysHttpsListenerMovesWithThePorts() {
        assertThat(command(ServiceModule.GATEWAY)).contains("--cirrus.gateway.https-port=8543");
    }

    @Test
    void theFunctionAppsUrlsNameTheGatewaysPortWhereverItMoved() {
        assertThat(command(ServiceModule.SERVERLESS)).contains("--cirrus.functions.public-port=8180");
    }

    @Test
    void everyServiceBehindTheGatewayListensOnLoopbackOnly() {
        for (ServiceModule module : ServiceModule.values()) {
            if (module == ServiceModule.GATEWAY) {
                assertThat(command(module)).noneMatch(arg -> arg.startsWith("--server.address"));
            } else {
                assertThat(command(module)).as(module.moduleName()).contains("--server.address=127.0.0.1");
            }
        }
        assertThat(command(ServiceModule.PLACEMENT_ENGINE)).contains("--cirrus.placement.grpc-address=127.0.0.1");
    }
}
