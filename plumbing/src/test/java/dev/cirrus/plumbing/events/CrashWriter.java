package dev.cirrus.plumbing.events;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.cirrus.contracts.events.CloudEvent;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.json.JsonMapper;

/**
 * A service in miniature for {@link DurableCommitsCrashTest}, run as a child process that the test kills with
 * SIGKILL: it writes a row and its event (the real {@link Outbox}) in one transaction, prints {@code ACK id} once the
 * commit has returned (the answer a client would get), and runs the real {@link OutboxRelay} to Kafka beside it.
 *
 * <p>Arguments: JDBC URL, user, password, Kafka bootstrap servers, topic, first id, and optionally {@code standby}:
 * then its JVM starts and loads what a write needs, and it waits for a line on its standard input before it connects
 * and writes, so that the test can start the next writer while the current one is still under load.
 */
public final class CrashWriter {

    private CrashWriter() {
    }

    public static void main(String[] args) throws Exception {
        var json = JsonMapper.builder().build();
        if (args.length > 6 && args[6].equals("standby")) {
            // the JVM starts and loads what a write needs, but opens no connection before it is told to write: a
            // standby must not carry connections through the crash of the round before
            json.writeValueAsString(CloudEvent.of("crash-test", "Warm-up", "/items/0", Instant.now(),
                    json.createObjectNode().put("id", 0)));
            for (String name : List.of("com.zaxxer.hikari.pool.HikariPool", "org.postgresql.Driver",
                    "org.springframework.jdbc.core.JdbcTemplate",
                    "org.springframework.jdbc.datasource.DataSourceTransactionManager",
                    "org.apache.kafka.clients.producer.KafkaProducer")) {
                Class.forName(name);
            }
            System.out.println("STANDING BY");
            System.out.flush();
            new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
        }
        HikariConfig pool = new HikariConfig();
        pool.setJdbcUrl(args[0]);
        pool.setUsername(args[1]);
        pool.setPassword(args[2]);
        pool.setMaximumPoolSize(3);
        pool.setConnectionTimeout(2000);
        pool.setInitializationFailTimeout(-1);
        var ds = new HikariDataSource(pool);
        var jdbc = new JdbcTemplate(ds);
        var tx = new TransactionTemplate(new DataSourceTransactionManager(ds));
        Outbox outbox = new Outbox(jdbc, json);
        OutboxRelay relay = new OutboxRelay(jdbc, tx, args[3], Duration.ofMillis(50));
        relay.start(outbox);
        String topic = args[4];
        System.out.println("STARTED");
        System.out.flush();
        for (long id = Long.parseLong(args[5]); ; id++) {
            long item = id;
            try {
                tx.executeWithoutResult(s -> {
                    jdbc.update("insert into crash_items(id) values (?)", item);
                    outbox.append(topic, CloudEvent.of("crash-test", "ItemWritten", "/items/" + item, Instant.now(),
                            json.createObjectNode().put("id", item)));
                });
            } catch (RuntimeException e) {
                // PostgreSQL is away (killed): no answer for this one; try the next while it comes back
                Thread.sleep(50);
                continue;
            }
            System.out.println("ACK " + item);
            System.out.flush();
        }
    }
}
