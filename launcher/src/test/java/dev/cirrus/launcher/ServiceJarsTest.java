package dev.cirrus.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ServiceJarsTest {

    @TempDir
    Path repo;

    private Path jar(String module, String name, Instant modified) throws Exception {
        Path file = repo.resolve(module).resolve("target").resolve(name);
        Files.createDirectories(file.getParent());
        Files.writeString(file, "jar");
        Files.setLastModifiedTime(file, FileTime.from(modified));
        return file;
    }

    @Test
    void theRunnableExecJarIsChosenNotThePlainOneBesideIt() throws Exception {
        jar("billing", "billing-0.1.0-SNAPSHOT.jar", Instant.parse("2026-01-02T00:00:00Z"));
        Path exec = jar("billing", "billing-0.1.0-SNAPSHOT-exec.jar", Instant.parse("2026-01-01T00:00:00Z"));

        assertThat(ServiceJars.find(repo, ServiceModule.BILLING)).isEqualTo(exec);
    }

    @Test
    void theNewestJarWinsWhenSeveralVersionsLieInTarget() throws Exception {
        jar("gateway", "gateway-0.1.0-SNAPSHOT-exec.jar", Instant.parse("2026-01-01T00:00:00Z"));
        Path newer = jar("gateway", "gateway-0.2.0-SNAPSHOT-exec.jar", Instant.parse("2026-02-01T00:00:00Z"));

        assertThat(ServiceJars.find(repo, ServiceModule.GATEWAY)).isEqualTo(newer);
    }

    @Test
    void aJarOfAnotherModuleIsNotMistakenForTheWantedOne() throws Exception {
        jar("compute-vm", "compute-container-0.1.0-SNAPSHOT-exec.jar", Instant.parse("2026-01-01T00:00:00Z"));

        assertThat(ServiceJars.find(repo, ServiceModule.COMPUTE_VM)).isNull();
    }

    @Test
    void missingJarsFailTheStartNamingEachAndHowToBuildThem() throws Exception {
        jar("billing", "billing-0.1.0-SNAPSHOT-exec.jar", Instant.parse("2026-01-01T00:00:00Z"));

        assertThatThrownBy(() -> ServiceJars.find(repo,
                EnumSet.of(ServiceModule.BILLING, ServiceModule.SERVERLESS, ServiceModule.GATEWAY)))
                .isInstanceOf(PlatformStartException.class)
                .hasMessageContaining("2 service(s)")
                .hasMessageContaining(repo.resolve("serverless/target/serverless-*-exec.jar").toString())
                .hasMessageContaining(repo.resolve("gateway/target/gateway-*-exec.jar").toString())
                .hasMessageContaining("mvn -B -q -DskipTests install");
    }

    @Test
    void everyJarIsFoundWhenAllAreBuilt() throws Exception {
        jar("billing", "billing-0.1.0-SNAPSHOT-exec.jar", Instant.parse("2026-01-01T00:00:00Z"));
        jar("serverless", "serverless-0.1.0-SNAPSHOT-exec.jar", Instant.parse("2026-01-01T00:00:00Z"));

        assertThat(ServiceJars.find(repo, List.of(ServiceModule.BILLING, ServiceModule.SERVERLESS)))
                .containsOnlyKeys(ServiceModule.BILLING, ServiceModule.SERVERLESS);
    }
}
