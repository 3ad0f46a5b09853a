package dev.cirrus.placement.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.springframework.jdbc.core.JdbcTemplate;

/**
 * What PostgreSQL's sessions were doing while a paced round ran, every 20 ms from {@code pg_stat_activity}: the wait
 * events of the bench database's active client backends (the engine's group-commit writer among them) and what any
 * autovacuum worker was running. Printed beside each stall of the round ({@link GrpcLoad}), to tell a commit waiting
 * for a lock (a vacuum truncating a table takes an exclusive lock) or for the WAL from one waiting for CPU.
 */
final class PostgresSampler implements AutoCloseable {

    /** One sample: nanoTime and the active sessions as "backend type: wait event (query start)". */
    private record Sample(long at, List<String> sessions) {
    }

    private static final String ACTIVITY = """
            select backend_type, coalesce(wait_event_type || ':' || wait_event, 'cpu') as waiting,
                   left(regexp_replace(query, '\\s+', ' ', 'g'), 60) as query
            from pg_stat_activity
            where pid <> pg_backend_pid() and state = 'active'
              and (datname = current_database() or backend_type = 'autovacuum worker')
            """;

    private final List<Sample> samples = new ArrayList<>();
    private final Thread thread;
    private volatile boolean running = true;

    PostgresSampler(JdbcTemplate stats) {
        thread = Thread.ofPlatform().daemon().name("bench-postgres-sampler").start(() -> {
            while (running) {
                List<String> sessions = new ArrayList<>();
                try {
                    stats.query(ACTIVITY, rs -> {
                        String type = rs.getString("backend_type");
                        sessions.add(type.equals("client backend") ? rs.getString("waiting")
                                : type + " " + rs.getString("waiting") + " [" + rs.getString("query") + "]");
                    });
                } catch (RuntimeException e) {
                    return;
                }
                synchronized (samples) {
                    samples.add(new Sample(System.nanoTime(), sessions));
                }
                try {
                    Thread.sleep(20);
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
    }

    /** How often each session state was seen between two nanoTimes (sample counts), most frequent first. */
    String during(long from, long to) {
        Map<String, Integer> seen = new TreeMap<>();
        int n = 0;
        synchronized (samples) {
            for (Sample s : samples) {
                if (s.at() >= from && s.at() <= to) {
                    n++;
                    for (String session : s.sessions()) {
                        seen.merge(session, 1, Integer::sum);
                    }
                }
            }
        }
        Map<String, Integer> ordered = new LinkedHashMap<>();
        seen.entrySet().stream().sorted(Map.Entry.<String, Integer>comparingByValue().reversed())
                .forEach(e -> ordered.put(e.getKey(), e.getValue()));
        return "PostgreSQL in " + n + " samples: " + ordered;
    }

    @Override
    public void close() {
        running = false;
        thread.interrupt();
    }
}
