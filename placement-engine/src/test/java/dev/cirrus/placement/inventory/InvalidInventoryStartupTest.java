package dev.cirrus.placement.inventory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;

import dev.cirrus.placement.PlacementEngineApplication;
import dev.cirrus.placement.RunningEngine;
import dev.cirrus.testkit.TestInfrastructure;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

/** An engine given a bad inventory or a bad setting does not start, and says why. */
@ExtendWith(OutputCaptureExtension.class)
class InvalidInventoryStartupTest {

    @TempDir
    Path dir;

    final TestInfrastructure.PostgresEndpoint postgres = TestInfrastructure.postgres();

    void start(String inventory, String... moreArgs) {
        new SpringApplicationBuilder(PlacementEngineApplication.class).run(RunningEngine.args(
                postgres.newDatabase("placement_invalid"), postgres.username(), postgres.password(), inventory,
                moreArgs)).close();
    }

    @Test
    void anInventoryWithADuplicateHostAndAZeroCapacityFailsStartUpNamingBoth(CapturedOutput output) throws Exception {
        Path file = dir.resolve("bad.yaml");
        Files.writeString(file, """
                regions:
                  - name: eastus
                    clusters:
                      - name: c1
                        racks:
                          - name: r1
                            hosts:
                              - { name: h1, vcpus: 8, memoryGib: 32 }
                              - { name: h1, vcpus: 0, memoryGib: 32 }
                """);

        assertThatThrownBy(() -> start(file.toString()))
                .rootCause().isInstanceOf(InvalidInventoryException.class)
                .hasMessageContaining("host 'h1': duplicate host name 'h1'")
                .hasMessageContaining("host 'h1': 'vcpus' must be positive, got 0");
        assertThat(output).contains("APPLICATION FAILED TO START")
                .contains("The placement inventory '" + file + "' is invalid:")
                .contains("duplicate host name 'h1'")
                .contains("point cirrus.placement.inventory at another one");
    }

    @Test
    void aMissingInventoryFileFailsStartUp() {
        assertThatThrownBy(() -> start(dir.resolve("missing.yaml").toString()))
                .rootCause().isInstanceOf(InvalidInventoryException.class)
                .hasMessageContaining("missing.yaml' is invalid:")
                .hasMessageContaining("the file does not exist");
    }

    @Test
    void aGrpcPortOutOfRangeFailsStartUpNamingTheProperty() {
        assertThatThrownBy(() -> start("classpath:inventory/two-hosts.yaml", "--cirrus.placement.grpc-port=70000"))
                .rootCause()
                .hasMessageContaining("cirrus.placement.grpc-port must be between 0 and 65535 (0 = any free port), "
                        + "got 70000");
    }

    @Test
    void anUnknownFilterOrANonFiniteWeightFailsStartUpNamingTheProperty() {
        assertThatThrownBy(() -> start("classpath:inventory/two-hosts.yaml",
                "--cirrus.placement.scheduler.filters=capacity,gpu", "--cirrus.placement.scheduler.weights.pack=NaN"))
                .rootCause()
                .hasMessageContaining("cirrus.placement.scheduler.filters: unknown filter 'gpu'")
                .hasMessageContaining("cirrus.placement.scheduler.filters must contain 'host-health'")
                .hasMessageContaining("cirrus.placement.scheduler.weights.pack must be a finite number, got NaN");
    }
}
