package dev.cirrus.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import dev.cirrus.launcher.LauncherArguments.Command;
import org.junit.jupiter.api.Test;

class LauncherArgumentsTest {

    private static LauncherArguments parse(String... args) {
        return LauncherArguments.parse(List.of(args), Map.of());
    }

    @Test
    void noArgumentsStartThePlatformOnTheConventionalPortsWithItsDataInTheCurrentDirectory() {
        LauncherArguments parsed = parse();

        assertThat(parsed.command()).isEqualTo(Command.UP);
        PlatformConfig config = parsed.config();
        assertThat(config.dataDir()).isEqualTo(Path.of(".cirrus-data").toAbsolutePath().normalize());
        assertThat(config.repoRoot()).isEqualTo(Path.of("").toAbsolutePath());
        assertThat(config.ports()).isEqualTo(PortPlan.defaults());
        assertThat(config.services()).containsExactlyInAnyOrder(ServiceModule.values());
        assertThat(config.readinessTimeout()).isEqualTo(Duration.ofSeconds(180));
        assertThat(config.stopTimeout()).isEqualTo(Duration.ofSeconds(20));
        assertThat(config.stagger()).isZero();
        assertThat(config.classDataSharing()).isTrue();
    }

    @Test
    void classDataSharingCanBeSwitchedOff() {
        assertThat(parse("--cds=false").config().classDataSharing()).isFalse();
        assertThatThrownBy(() -> parse("--cds=maybe")).hasMessageContaining("true or false");
    }

    @Test
    void theDataFolderComesFromTheEnvironmentWhenNoOptionNamesIt() {
        LauncherArguments parsed = LauncherArguments.parse(List.of("up"), Map.of("CIRRUS_DATA", "/var/tmp/cirrus"));

        assertThat(parsed.config().dataDir()).isEqualTo(Path.of("/var/tmp/cirrus"));
    }

    @Test
    void theDataOptionWinsOverTheEnvironment() {
        LauncherArguments parsed = LauncherArguments.parse(List.of("up", "--data=/srv/cirrus"),
                Map.of("CIRRUS_DATA", "/var/tmp/cirrus"));

        assertThat(parsed.config().dataDir()).isEqualTo(Path.of("/srv/cirrus"));
    }

    @Test
    void aPortOffsetMovesEveryPortByTheSameAmount() {
        PortPlan ports = parse("--port-offset=1000").config().ports();

        assertThat(ports.http(ServiceModule.GATEWAY)).isEqualTo(9080);
        assertThat(ports.http(ServiceModule.COMPUTE_VM)).isEqualTo(9081);
        assertThat(ports.http(ServiceModule.PLACEMENT_ENGINE)).isEqualTo(9086);
        assertThat(ports.placementGrpc()).isEqualTo(10090);
        assertThat(ports.kafka()).isEqualTo(10092);
        assertThat(ports.postgres()).isEqualTo(6432);
        assertThat(ports.gatewayHttps()).isEqualTo(9443);
        assertThat(ports.kafkaController()).isEqualTo(10093);
    }

    @Test
    void oneNamedPortCanBeSetOnTopOfAnOffset() {
        PortPlan ports = parse("--port-offset=10", "--port.postgres=15432", "--port.gateway=18080").config().ports();

        assertThat(ports.postgres()).isEqualTo(15432);
        assertThat(ports.http(ServiceModule.GATEWAY)).isEqualTo(18080);
        assertThat(ports.kafka()).isEqualTo(9102);
    }

    @Test
    void freePortsAreAllDifferentFromEachOther() {
        PortPlan ports = parse("--free-ports").config().ports();

        assertThat(ports.names().values()).doesNotHaveDuplicates().hasSize(12);
        assertThat(ports.busy()).isEmpty();
    }

    @Test
    void resetAndHelpAreCommands() {
        assertThat(parse("reset", "--data=/tmp/x").command()).isEqualTo(Command.RESET);
        assertThat(parse("help").command()).isEqualTo(Command.HELP);
        assertThat(parse("--help").command()).isEqualTo(Command.HELP);
    }

    @Test
    void theServicesOptionLimitsTheRunToTheNamedServices() {
        PlatformConfig config = parse("--services=gateway,compute-vm").config();

        assertThat(config.servicesInStartOrder()).containsExactly(ServiceModule.COMPUTE_VM, ServiceModule.GATEWAY);
    }

    @Test
    void timeoutsAndTheStaggerAreSetInTheirUnits() {
        PlatformConfig config = parse("--readiness-timeout=30", "--stop-timeout=5", "--stagger-ms=750").config();

        assertThat(config.readinessTimeout()).isEqualTo(Duration.ofSeconds(30));
        assertThat(config.stopTimeout()).isEqualTo(Duration.ofSeconds(5));
        assertThat(config.stagger()).isEqualTo(Duration.ofMillis(750));
    }

    @Test
    void anUnknownOptionIsRefusedByName() {
        assertThatThrownBy(() -> parse("--colour=blue")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("--colour");
    }

    @Test
    void anUnknownServiceOrPortIsRefusedListingTheKnownOnes() {
        assertThatThrownBy(() -> parse("--services=compute-vm,mainframe"))
                .hasMessageContaining("mainframe").hasMessageContaining("compute-container");
        assertThatThrownBy(() -> parse("--port.redis=6379"))
                .hasMessageContaining("redis").hasMessageContaining("placement-grpc");
    }

    @Test
    void aPortOffsetThatIsNotANumberIsRefused() {
        assertThatThrownBy(() -> parse("--port-offset=ten")).hasMessageContaining("whole number");
        assertThatThrownBy(() -> parse("--port-offset")).hasMessageContaining("needs a value");
    }

    @Test
    void anOffsetThatPushesAPortPastTheLastOneIsRefused() {
        assertThatThrownBy(() -> parse("--port-offset=60000")).hasMessageContaining("out of range");
    }

    @Test
    void freePortsAndAnOffsetCannotBeCombined() {
        assertThatThrownBy(() -> parse("--free-ports", "--port-offset=5")).hasMessageContaining("exclude");
    }

    @Test
    void twoCommandsAreRefused() {
        assertThatThrownBy(() -> parse("up", "reset")).hasMessageContaining("more than one command");
    }
}
