package dev.cirrus.gateway.support;

import dev.cirrus.testkit.SpringInfrastructure;
import dev.cirrus.testkit.TestInfrastructure;
import org.springframework.test.context.DynamicPropertyRegistry;

/** Points a gateway test at a fresh database, with or without the shared Kafka broker. */
public final class TestDatabase {

    private TestDatabase() {
    }

    /** A fresh database and the shared broker (the outbox relay publishes). */
    public static void withKafka(DynamicPropertyRegistry registry, String prefix) {
        SpringInfrastructure.register(registry, prefix);
    }

    /** A fresh database only: outbox rows stay unpublished, nothing talks to a broker. */
    public static void withoutKafka(DynamicPropertyRegistry registry, String prefix) {
        TestInfrastructure.PostgresEndpoint pg = TestInfrastructure.postgres();
        String url = pg.newDatabase(prefix);
        registry.add("spring.datasource.url", () -> url);
        registry.add("spring.datasource.username", pg::username);
        registry.add("spring.datasource.password", pg::password);
        registry.add("cirrus.kafka.bootstrap-servers", () -> "");
    }
}
