package dev.cirrus.billing.meter;

import java.util.List;

import dev.cirrus.contracts.events.Topics;
import dev.cirrus.plumbing.events.InboxConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.SmartLifecycle;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.ObjectMapper;

/**
 * Feeds {@code cirrus.compute.vm} into the VM meter through the plumbing's inbox consumer {@value #NAME}: each event
 * id is applied at most once, in the transaction of its effect. Starts once the application context is up (the
 * database is migrated by then) and stops before it closes. Reports its state as the {@code vmMeter} health
 * contributor.
 */
@Component("vmMeter")
class VmMeterConsumer implements SmartLifecycle, HealthIndicator {

    /** The inbox consumer and Kafka consumer group of the VM meter. */
    static final String NAME = "billing-vm-meter";

    private static final Logger log = LoggerFactory.getLogger(VmMeterConsumer.class);

    private final String bootstrapServers;
    private final JdbcTemplate jdbc;
    private final TransactionTemplate tx;
    private final ObjectMapper json;
    private final VmMeterHandler handler;
    private volatile InboxConsumer consumer;

    VmMeterConsumer(// unset only in a run without Kafka: then nothing is metered, and health says so
                    @Value("${cirrus.kafka.bootstrap-servers:}") String bootstrapServers,
                    JdbcTemplate jdbc, TransactionTemplate tx, ObjectMapper json, VmMeterHandler handler) {
        this.bootstrapServers = bootstrapServers;
        this.jdbc = jdbc;
        this.tx = tx;
        this.json = json;
        this.handler = handler;
    }

    @Override
    public synchronized void start() {
        if (bootstrapServers.isBlank()) {
            log.warn("cirrus.kafka.bootstrap-servers is not set: VM usage is not metered");
            return;
        }
        consumer = new InboxConsumer(NAME, List.of(Topics.COMPUTE_VM), bootstrapServers, jdbc, tx, json, handler);
        consumer.start();
        log.info("VM meter consuming {} from {}", Topics.COMPUTE_VM, bootstrapServers);
    }

    @Override
    public synchronized void stop() {
        if (consumer != null) {
            consumer.close();
            consumer = null;
        }
    }

    @Override
    public boolean isRunning() {
        return consumer != null;
    }

    @Override
    public Health health() {
        InboxConsumer c = consumer;
        if (bootstrapServers.isBlank()) {
            return Health.unknown().withDetail("reason", "cirrus.kafka.bootstrap-servers is not set").build();
        }
        if (c == null || !c.alive()) {
            return Health.down().withDetail("consumer", NAME).build();
        }
        return Health.up().withDetail("consumer", NAME).withDetail("topic", Topics.COMPUTE_VM).build();
    }
}
