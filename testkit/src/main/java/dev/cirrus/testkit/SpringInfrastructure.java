package dev.cirrus.testkit;

import org.springframework.test.context.DynamicPropertyRegistry;

/**
 * Points a Spring Boot test at the shared test servers: a fresh database for this test class and the shared broker;
 * gives it the test JVM's service credential ({@link ServiceCredentials}).
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
        registry.add("cirrus.service-credential", ServiceCredentials::value);
    }
}
