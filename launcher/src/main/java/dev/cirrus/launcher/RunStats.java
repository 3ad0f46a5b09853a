package dev.cirrus.launcher;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.OptionalLong;

/**
 * What one start of the platform measured: how long each part took to become ready and how much memory each
 * process holds right after. Printed by the launcher and written to {@code {data}/run-stats.json}.
 *
 * @param startedAt       when the start began
 * @param postgresReady   from the start until PostgreSQL answered
 * @param kafkaReady      from the start until Kafka answered
 * @param allHealthy      from the start until the last service answered its readiness probe
 * @param endpoints       where everything answers
 * @param processes       every process of the run: the launcher (which hosts Kafka), PostgreSQL, each service
 */
public record RunStats(Instant startedAt, Duration postgresReady, Duration kafkaReady, Duration allHealthy,
                       Endpoints endpoints, List<ProcessStats> processes) {

    public RunStats {
        processes = List.copyOf(processes);
    }

    /**
     * One process of the run.
     *
     * @param name    a service module name, {@code launcher} or {@code postgresql}
     * @param pid     its pid
     * @param url     its base URL (services only)
     * @param ready   from the platform's start until it was ready (null for the launcher)
     * @param rssKib  its resident memory (VmRSS) when known; for PostgreSQL the postmaster's VmRSS plus the private
     *                (anonymous) resident memory of its other processes, so shared buffers count once
     * @param processCount how many OS processes the figure covers
     */
    public record ProcessStats(String name, long pid, String url, Duration ready, OptionalLong rssKib,
                               int processCount) {
    }

    /** The total resident memory of the run in KiB (what is known of it). */
    public long totalRssKib() {
        return processes.stream().mapToLong(p -> p.rssKib().orElse(0)).sum();
    }

    public void writeJson(Path file) {
        try {
            Files.createDirectories(file.getParent());
            Files.writeString(file, toJson());
        } catch (IOException e) {
            throw new UncheckedIOException("could not write " + file, e);
        }
    }

    public String toJson() {
        StringBuilder json = new StringBuilder("{\n");
        json.append("  \"startedAt\": ").append(quote(startedAt.toString())).append(",\n");
        json.append("  \"postgresReadyMillis\": ").append(postgresReady.toMillis()).append(",\n");
        json.append("  \"kafkaReadyMillis\": ").append(kafkaReady.toMillis()).append(",\n");
        json.append("  \"startToAllHealthyMillis\": ").append(allHealthy.toMillis()).append(",\n");
        json.append("  \"totalRssKib\": ").append(totalRssKib()).append(",\n");
        json.append("  \"endpoints\": {\n");
        json.append("    \"gateway\": ").append(quote(endpoints.gatewayUrl().toString())).append(",\n");
        json.append("    \"kafkaBootstrapServers\": ").append(quote(endpoints.kafkaBootstrapServers())).append(",\n");
        json.append("    \"postgresJdbcBaseUrl\": ").append(quote(endpoints.postgresJdbcBaseUrl())).append(",\n");
        json.append("    \"placementTarget\": ").append(quote(endpoints.placementTarget())).append(",\n");
        json.append("    \"dataDir\": ").append(quote(endpoints.dataDir().toString())).append(",\n");
        json.append("    \"logDir\": ").append(quote(endpoints.logDir().toString())).append(",\n");
        json.append("    \"services\": {");
        String sep = "\n";
        for (var e : endpoints.serviceUrls().entrySet()) {
            json.append(sep).append("      ").append(quote(e.getKey().moduleName())).append(": ")
                    .append(quote(e.getValue().toString()));
            sep = ",\n";
        }
        json.append("\n    }\n  },\n");
        json.append("  \"processes\": [");
        sep = "\n";
        for (ProcessStats p : processes) {
            json.append(sep).append("    {\"name\": ").append(quote(p.name()))
                    .append(", \"pid\": ").append(p.pid())
                    .append(", \"url\": ").append(p.url() == null ? "null" : quote(p.url()))
                    .append(", \"readyMillis\": ").append(p.ready() == null ? "null" : Long.toString(p.ready().toMillis()))
                    .append(", \"rssKib\": ").append(p.rssKib().isPresent() ? Long.toString(p.rssKib().getAsLong()) : "null")
                    .append(", \"processCount\": ").append(p.processCount())
                    .append('}');
            sep = ",\n";
        }
        json.append("\n  ]\n}\n");
        return json.toString();
    }

    /** A human-readable table of the same figures. */
    public String toText() {
        StringBuilder out = new StringBuilder();
        out.append(String.format(Locale.ROOT, "Cirrus is up: all services healthy %s after start "
                        + "(PostgreSQL ready at %s, Kafka at %s)%n%n",
                seconds(allHealthy), seconds(postgresReady), seconds(kafkaReady)));
        out.append(String.format(Locale.ROOT, "  Gateway (ARM endpoint)  %s%s%n", endpoints.gatewayUrl(),
                endpoints.serviceUrls().containsKey(ServiceModule.GATEWAY) ? "" : "  (not started in this run)"));
        out.append(String.format(Locale.ROOT, "  Kafka bootstrap         %s%n", endpoints.kafkaBootstrapServers()));
        out.append(String.format(Locale.ROOT, "  PostgreSQL              %s<database>  (user postgres, password postgres)%n",
                endpoints.postgresJdbcBaseUrl()));
        out.append(String.format(Locale.ROOT, "  Placement gRPC          %s%n%n", endpoints.placementTarget()));
        out.append(String.format(Locale.ROOT, "  %-18s %-24s %8s %8s %10s%n", "process", "url", "ready", "pid", "RSS"));
        for (ProcessStats p : processes) {
            String rss = p.rssKib().isPresent() ? mib(p.rssKib().getAsLong()) : "?";
            if (p.processCount() > 1) {
                rss += " (" + p.processCount() + " processes)";
            }
            out.append(String.format(Locale.ROOT, "  %-18s %-24s %8s %8d %10s%n", p.name(),
                    p.url() == null ? "-" : p.url(), p.ready() == null ? "-" : seconds(p.ready()), p.pid(), rss));
        }
        out.append(String.format(Locale.ROOT, "  %-18s %-24s %8s %8s %10s%n%n", "total", "", "", "",
                mib(totalRssKib())));
        out.append(String.format(Locale.ROOT, "  Data folder  %s%n", endpoints.dataDir()));
        out.append(String.format(Locale.ROOT, "  Logs         %s%n", endpoints.logDir()));
        out.append(String.format(Locale.ROOT, "  Statistics   %s%n", DataFolder.statsFile(endpoints.dataDir())));
        return out.toString();
    }

    private static String seconds(Duration d) {
        return String.format(Locale.ROOT, "%.1f s", d.toMillis() / 1000.0);
    }

    private static String mib(long kib) {
        return String.format(Locale.ROOT, "%d MiB", Math.round(kib / 1024.0));
    }

    static String quote(String s) {
        StringBuilder q = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            switch (c) {
                case '"' -> q.append("\\\"");
                case '\\' -> q.append("\\\\");
                case '\n' -> q.append("\\n");
                case '\r' -> q.append("\\r");
                case '\t' -> q.append("\\t");
                default -> {
                    if (c < 0x20) {
                        q.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
                    } else {
                        q.append(c);
                    }
                }
            }
        }
        return q.append('"').toString();
    }
}
