package dev.cirrus.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.DriverManager;

import org.junit.jupiter.api.Test;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;
import org.testcontainers.kafka.KafkaContainer;
import org.testcontainers.postgresql.PostgreSQLContainer;

/** Runs only where a Docker daemon answers; skipped (not failed) elsewhere. */
@Testcontainers(disabledWithoutDocker = true)
class ContainersWhenDockerAnswersTest {

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
