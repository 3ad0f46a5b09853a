package dev.cirrus.plumbing.events;

import java.time.Duration;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.ObjectMapper;

/**
 * The outbox of a service and its relay. The relay runs when {@code cirrus.kafka.bootstrap-servers} is set (every
 * real deployment sets it); services also add {@code classpath:db/plumbing} to {@code spring.flyway.locations}.
 */
@Configuration(proxyBeanMethods = false)
public class EventsConfiguration {

    @Bean
    Outbox outbox(JdbcTemplate jdbc, ObjectMapper json) {
        return new Outbox(jdbc, json);
    }

    @Bean(destroyMethod = "close")
    OutboxRelay outboxRelay(JdbcTemplate jdbc, TransactionTemplate tx, Outbox outbox,
                            @Value("${cirrus.kafka.bootstrap-servers:}") String bootstrapServers,
                            // a safety net only: commits wake the relay at once
                            @Value("${cirrus.kafka.relay-poll-interval:PT1S}") Duration pollInterval,
                            // published events stay this long in the outbox, then the relay deletes them
                            @Value("${cirrus.kafka.outbox-retention:PT1H}") Duration retention) {
        OutboxRelay relay = new OutboxRelay(jdbc, tx, bootstrapServers, pollInterval, retention);
        if (!bootstrapServers.isBlank()) {
            relay.start(outbox);
        }
        return relay;
    }

    /**
     * The outbox's meters: {@code cirrus.outbox.backlog} (events not yet acknowledged by Kafka, counted when scraped)
     * and {@code cirrus.outbox.published} (acknowledged since the start); Prometheus names them
     * {@code cirrus_outbox_backlog} and {@code cirrus_outbox_published_total}.
     */
    @Bean
    io.micrometer.core.instrument.binder.MeterBinder outboxMeters(OutboxRelay relay) {
        return registry -> {
            io.micrometer.core.instrument.Gauge.builder("cirrus.outbox.backlog", relay, r -> {
                        try {
                            return r.backlog();
                        } catch (RuntimeException databaseAway) {
                            return Double.NaN;
                        }
                    })
                    .description("Outbox events not yet acknowledged by Kafka").register(registry);
            io.micrometer.core.instrument.FunctionCounter.builder("cirrus.outbox.published", relay,
                            OutboxRelay::published)
                    .description("Outbox events Kafka acknowledged since the start").register(registry);
        };
    }
}
