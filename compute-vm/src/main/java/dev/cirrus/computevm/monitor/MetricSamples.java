package dev.cirrus.computevm.monitor;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * The stored per-minute samples (table {@code metric_samples}): one row per running VM and minute, keyed by both, so
 * a minute sampled twice (two replicas, a retried round) is stored once.
 */
@Repository
class MetricSamples {

    /** One VM's minute: {@code minute} is the minute's start. */
    record Sample(String resourceKey, String scaleSetKey, String displayName, Instant minute, double percentCpu,
                  double networkInBytes, double networkOutBytes, double availableMemoryBytes) {
    }

    private final JdbcClient jdbc;
    private final org.springframework.jdbc.core.JdbcTemplate batch;

    MetricSamples(JdbcClient jdbc, org.springframework.jdbc.core.JdbcTemplate batch) {
        this.jdbc = jdbc;
        this.batch = batch;
    }

    /** One batch for a round's samples (a statement per sample would be a round trip per running VM). */
    void insert(List<Sample> samples) {
        if (samples.isEmpty()) {
            return;
        }
        batch.batchUpdate("""
                        insert into metric_samples (resource_key, scale_set_key, display_name, minute, percent_cpu,
                            network_in_bytes, network_out_bytes, available_memory_bytes)
                        values (?, ?, ?, ?, ?, ?, ?, ?) on conflict do nothing""",
                samples.stream().map(s -> new Object[] {s.resourceKey(), s.scaleSetKey(), s.displayName(),
                        Timestamp.from(s.minute()), s.percentCpu(), s.networkInBytes(), s.networkOutBytes(),
                        s.availableMemoryBytes()}).toList());
    }

    /** The samples of one VM (or, with {@code scaleSet}, of every instance of the set) in [from, to). */
    List<Sample> between(String key, boolean scaleSet, Instant from, Instant to) {
        return jdbc.sql("select resource_key, scale_set_key, display_name, minute, percent_cpu, network_in_bytes, "
                        + "network_out_bytes, available_memory_bytes from metric_samples where "
                        + (scaleSet ? "scale_set_key" : "resource_key") + " = ? and minute >= ? and minute < ? "
                        + "order by minute, resource_key")
                .param(key).param(Timestamp.from(from)).param(Timestamp.from(to))
                .query((rs, i) -> new Sample(rs.getString(1), rs.getString(2), rs.getString(3),
                        rs.getTimestamp(4).toInstant(), rs.getDouble(5), rs.getDouble(6), rs.getDouble(7),
                        rs.getDouble(8)))
                .list();
    }

    /** Per scale set and minute, each metric's count, sum, minimum and maximum over the instances' samples. */
    List<MinuteStats> minuteStats(java.util.Collection<String> scaleSetKeys, Instant from, Instant to) {
        if (scaleSetKeys.isEmpty()) {
            return List.of();
        }
        return jdbc.sql("""
                        select scale_set_key, minute, count(*),
                               sum(percent_cpu), min(percent_cpu), max(percent_cpu),
                               sum(network_in_bytes), min(network_in_bytes), max(network_in_bytes),
                               sum(network_out_bytes), min(network_out_bytes), max(network_out_bytes),
                               sum(available_memory_bytes), min(available_memory_bytes), max(available_memory_bytes)
                        from metric_samples where scale_set_key = any(?) and minute >= ? and minute < ?
                        group by scale_set_key, minute order by scale_set_key, minute""")
                .param(scaleSetKeys.toArray(String[]::new)).param(Timestamp.from(from)).param(Timestamp.from(to))
                .query((rs, i) -> {
                    long n = rs.getLong(3);
                    java.util.Map<MonitorMetric, MinuteStats.Stat> stats = new java.util.EnumMap<>(MonitorMetric.class);
                    MonitorMetric[] order = {MonitorMetric.PERCENTAGE_CPU, MonitorMetric.NETWORK_IN_TOTAL,
                            MonitorMetric.NETWORK_OUT_TOTAL, MonitorMetric.AVAILABLE_MEMORY_BYTES};
                    for (int m = 0; m < order.length; m++) {
                        stats.put(order[m], new MinuteStats.Stat(n, rs.getDouble(4 + 3 * m), rs.getDouble(5 + 3 * m),
                                rs.getDouble(6 + 3 * m)));
                    }
                    return new MinuteStats(rs.getString(1), rs.getTimestamp(2).toInstant(), stats);
                })
                .list();
    }

    /** The last minute the sampler completed, locked for this round (one sampler at a time). */
    Optional<Instant> lockLastMinute() {
        return jdbc.sql("select last_minute from metric_sampler_state where id = 1 for update")
                .query((rs, i) -> rs.getTimestamp(1)).optional().map(t -> t == null ? null : t.toInstant());
    }

    void saveLastMinute(Instant minute) {
        jdbc.sql("update metric_sampler_state set last_minute = ? where id = 1").param(Timestamp.from(minute)).update();
    }

    int purgeBefore(Instant cutoff) {
        return jdbc.sql("delete from metric_samples where minute < ?").param(Timestamp.from(cutoff)).update();
    }
}
