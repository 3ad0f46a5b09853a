package dev.cirrus.gateway.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

import dev.cirrus.testkit.ServiceCredentials;
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
        freshDataFolder(registry, prefix);
    }

    /** A fresh database only: outbox rows stay unpublished, nothing talks to a broker. */
    public static void withoutKafka(DynamicPropertyRegistry registry, String prefix) {
        TestInfrastructure.PostgresEndpoint pg = TestInfrastructure.postgres();
        String url = pg.newDatabase(prefix);
        registry.add("spring.datasource.url", () -> url);
        registry.add("spring.datasource.username", pg::username);
        registry.add("spring.datasource.password", pg::password);
        registry.add("cirrus.kafka.bootstrap-servers", () -> "");
        freshDataFolder(registry, prefix);
    }

    /** A data folder of its own (keys, certificate, credentials.json), as on a first start. */
    public static Path freshDataFolder(DynamicPropertyRegistry registry, String prefix) {
        try {
            Path folder = Files.createTempDirectory(prefix + "-data");
            registry.add("cirrus.gateway.data-dir", folder::toString);
            // the TLS listener on a free port, so that test contexts never collide
            registry.add("cirrus.gateway.https-port", () -> "0");
            // the platform's service credential: the same as the test JVM's child services get (ChildService)
            registry.add("cirrus.service-credential", ServiceCredentials::value);
            return folder;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
