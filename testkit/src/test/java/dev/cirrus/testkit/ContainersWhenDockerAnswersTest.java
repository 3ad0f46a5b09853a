package dev.cirrus.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.DriverManager;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIf;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;
import org.testcontainers.kafka.KafkaContainer;
import org.testcontainers.postgresql.PostgreSQLContainer;

/**
 * Runs only where a Docker daemon answers and has both images locally (no registry need be reachable); skipped (not
 * failed) elsewhere, as {@link TestInfrastructure} then uses the embedded servers. The check is {@link #imagesPresent}
 * alone: Testcontainers' own {@code disabledWithoutDocker} starts its reaper container to find out, whose image no
 * registry here can give (the test JVM then waited minutes for the pull before going on).
 */
@Testcontainers
@EnabledIf("imagesPresent")
class ContainersWhenDockerAnswersTest {

    static boolean imagesPresent() {
        return TestInfrastructure.dockerAvailable() && TestInfrastructure.imagePresent(TestInfrastructure.POSTGRES_IMAGE)
                && TestInfrastructure.imagePresent(TestInfrastructure.KAFKA_IMAGE);
    }

    @Container
    static PostgreSQLContainer postgres = new PostgreSQLContainer(TestInfrastructure.POSTGRES_IMAGE);

    @Container
    static KafkaContainer kafka = new KafkaContainer(TestInfrastructure.KAFKA_IMAGE);

    @Test
    void thePinnedPostgresAndKafkaImagesStartAndAnswer() throws Exception {
        try (var c = DriverManager.getConnection(postgres.getJdbcUrl(), postgres.getUsername(), postgres.getPassword())) {
            assertThat(c.isValid(5)).isTrue();
        }
        assertThat(kafka.getBootstrapServers()).contains(":");
    }
}
