package dev.cirrus.testkit;

import org.springframework.test.context.DynamicPropertyRegistry;

/**
 * Points a Spring Boot test at the shared test servers: a fresh database for this test class and the shared broker.
 * Use from a {@code @DynamicPropertySource} method.
 */
public final class SpringInfrastructure {

    private SpringInfrastructure() {
    }

    public static void register(DynamicPropertyRegistry registry, String databasePrefix) {
        TestInfrastructure.PostgresEndpoint pg = TestInfrastructure.postgres();
        String url = pg.newDatabase(databasePrefix);
        registry.add("spring.datasource.url", () -> url);
        registry.add("spring.datasource.username", pg::username);
        registry.add("spring.datasource.password", pg::password);
        registry.add("cirrus.kafka.bootstrap-servers", TestInfrastructure::kafkaBootstrapServers);
    }
}
