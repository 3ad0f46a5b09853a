package dev.cirrus.gateway.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;

import dev.cirrus.testkit.ServiceCredentials;

/**
 * The benchmarks' load generator, run in a JVM of its own (so that it does not take CPU and GC time from the gateway
 * it measures): {@code concurrency} clients, each sending GET {@code url} one after the other over one keep-alive
 * HTTP/1.1 connection pool, for a warm-up then a measured period. {@code Authorization} comes from the environment
 * variable {@code LOADGEN_AUTHORIZATION} when set. Prints one line:
 * {@code requests perSecond p50Millis p99Millis errors}. JDK classes only.
 *
 * <pre>java -cp target/test-classes dev.cirrus.gateway.bench.LoadGenerator URL CONCURRENCY WARMUP_S MEASURE_S</pre>
 *
 * <p>In serve mode ({@code --serve}, see {@link #serve}) it takes its orders from standard input instead, so that a
 * benchmark can alternate between paths and read every process's CPU time between two periods.
 */
public final class LoadGenerator {

    public static void main(String[] args) throws Exception {
        if (args[0].equals("--serve")) {
            serve(Arrays.copyOfRange(args, 1, args.length));
            return;
        }
        URI uri = URI.create(args[0]);
        int concurrency = Integer.parseInt(args[1]);
        Duration warmUp = Duration.ofSeconds(Long.parseLong(args[2]));
        Duration measure = Duration.ofSeconds(Long.parseLong(args[3]));
        String authorization = System.getenv("LOADGEN_AUTHORIZATION");
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        HttpRequest.Builder builder = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30)).GET();
        if (authorization != null && !authorization.isBlank()) {
            builder.header("Authorization", authorization);
        }
        // a call straight to a service proves it comes from inside the platform, as the gateway's calls do
        String credential = System.getenv("LOADGEN_SERVICE_CREDENTIAL");
        if (credential != null && !credential.isBlank()) {
            builder.header(ServiceCredentials.HEADER, credential);
        }
        HttpRequest request = builder.build();
        run(client, request, concurrency, warmUp);
        long[] figures = run(client, request, concurrency, measure);
        System.out.println(String.join(" ", Arrays.stream(figures).mapToObj(Long::toString).toList()));
    }

    /**
     * Serve mode, for benchmarks that measure several paths at several concurrencies in alternating rounds:
     * {@code --serve URL...} ({@code Authorization} of URL i from the environment variable
     * {@code LOADGEN_AUTHORIZATION_i}, 0-based; the service credential of a direct call from
     * {@code LOADGEN_SERVICE_CREDENTIAL_i}). Reads commands from standard input, one a line, and answers each
     * with one line:
     * <ul>
     * <li>{@code warm I SECONDS CLIENTS}: load on URL I from CLIENTS clients, not recorded; answers {@code ok}.</li>
     * <li>{@code run I SECONDS CLIENTS}: the same, recorded; answers {@code requests errors}.</li>
     * <li>{@code summary I CLIENTS}: over every {@code run} of URL I with CLIENTS clients:
     * {@code requests nanos p50ns p99ns errors}.</li>
     * </ul>
     * It exits at the end of its input.
     */
    private static void serve(String[] urls) throws Exception {
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        List<HttpRequest> requests = new ArrayList<>();
        for (int i = 0; i < urls.length; i++) {
            HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(urls[i])).timeout(Duration.ofSeconds(30))
                    .GET();
            String authorization = System.getenv("LOADGEN_AUTHORIZATION_" + i);
            if (authorization != null && !authorization.isBlank()) {
                builder.header("Authorization", authorization);
            }
            String credential = System.getenv("LOADGEN_SERVICE_CREDENTIAL_" + i);
            if (credential != null && !credential.isBlank()) {
                builder.header(ServiceCredentials.HEADER, credential);
            }
            requests.add(builder.build());
        }
        java.util.Map<String, List<long[]>> latencies = new java.util.HashMap<>();
        java.util.Map<String, long[]> totals = new java.util.HashMap<>(); // {nanos, errors}
        java.io.BufferedReader in = new java.io.BufferedReader(new java.io.InputStreamReader(System.in));
        for (String line = in.readLine(); line != null; line = in.readLine()) {
            String[] c = line.strip().split(" ");
            int i = Integer.parseInt(c[1]);
            switch (c[0]) {
                case "warm" -> {
                    load(client, requests.get(i), Integer.parseInt(c[3]), Duration.ofSeconds(Long.parseLong(c[2])));
                    System.out.println("ok");
                }
                case "run" -> {
                    Load load = load(client, requests.get(i), Integer.parseInt(c[3]),
                            Duration.ofSeconds(Long.parseLong(c[2])));
                    String key = i + "@" + c[3];
                    latencies.computeIfAbsent(key, k -> new ArrayList<>()).add(load.latencies());
                    long[] total = totals.computeIfAbsent(key, k -> new long[2]);
                    total[0] += load.nanos();
                    total[1] += load.errors();
                    System.out.println(load.latencies().length + " " + load.errors());
                }
                case "summary" -> {
                    String key = i + "@" + c[2];
                    long[] all = latencies.getOrDefault(key, List.of()).stream().flatMapToLong(Arrays::stream)
                            .sorted().toArray();
                    long[] total = totals.getOrDefault(key, new long[2]);
                    System.out.println(all.length + " " + total[0] + " " + percentile(all, 50) + " "
                            + percentile(all, 99) + " " + total[1]);
                }
                default -> throw new IllegalArgumentException("unknown command: " + line);
            }
            System.out.flush();
        }
    }

    /** One period of load: every request's latency (ns, sorted), the errors, and how long it took (ns). */
    private record Load(long[] latencies, long errors, long nanos) {
    }

    /** {requests, requests/s × 1000, p50 ns, p99 ns, errors}. */
    private static long[] run(HttpClient client, HttpRequest request, int concurrency, Duration duration)
            throws Exception {
        Load load = load(client, request, concurrency, duration);
        long[] merged = load.latencies();
        double seconds = load.nanos() / 1e9;
        return new long[] {merged.length, Math.round(merged.length / seconds * 1000), percentile(merged, 50),
                percentile(merged, 99), load.errors()};
    }

    private static Load load(HttpClient client, HttpRequest request, int concurrency, Duration duration)
            throws Exception {
        long deadline = System.nanoTime() + duration.toNanos();
        AtomicLong errors = new AtomicLong();
        ExecutorService pool = Executors.newFixedThreadPool(concurrency);
        List<Future<long[]>> workers = new ArrayList<>();
        long start = System.nanoTime();
        for (int i = 0; i < concurrency; i++) {
            workers.add(pool.submit(() -> {
                long[] latencies = new long[1 << 14];
                int n = 0;
                while (System.nanoTime() < deadline) {
                    long t0 = System.nanoTime();
                    int status;
                    try {
                        status = client.send(request, HttpResponse.BodyHandlers.ofByteArray()).statusCode();
                    } catch (java.io.IOException e) {
                        status = -1;
                    }
                    long t = System.nanoTime() - t0;
                    if (status != 200) {
                        errors.incrementAndGet();
                    }
                    if (n == latencies.length) {
                        latencies = Arrays.copyOf(latencies, n * 2);
                    }
                    latencies[n++] = t;
                }
                return Arrays.copyOf(latencies, n);
            }));
        }
        List<long[]> all = new ArrayList<>();
        for (Future<long[]> w : workers) {
            all.add(w.get());
        }
        long nanos = System.nanoTime() - start;
        pool.shutdown();
        long[] merged = all.stream().flatMapToLong(Arrays::stream).sorted().toArray();
        return new Load(merged, errors.get(), nanos);
    }

    static long percentile(long[] sorted, int p) {
        if (sorted.length == 0) {
            return -1;
        }
        int index = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
    }

    /** Runs the generator as a child JVM and parses its line. */
    record Figures(String path, long requests, double perSecond, double p50Millis, double p99Millis, long errors) {

        static Figures measure(String path, URI uri, String authorization, int concurrency, Duration warmUp,
                               Duration measure) throws Exception {
            return measure(path, uri, authorization, false, concurrency, warmUp, measure);
        }

        /** {@code direct}: the calls go straight to a service and carry the service credential. */
        static Figures measure(String path, URI uri, String authorization, boolean direct, int concurrency,
                               Duration warmUp, Duration measure) throws Exception {
            List<String> command = List.of(ProcessHandle.current().info().command().orElse("java"), "-Xmx256m",
                    "-XX:+UseSerialGC", "-cp", java.nio.file.Path.of("target", "test-classes").toString(),
                    LoadGenerator.class.getName(), uri.toString(), Integer.toString(concurrency),
                    Long.toString(warmUp.toSeconds()), Long.toString(measure.toSeconds()));
            ProcessBuilder builder = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT);
            if (authorization != null) {
                builder.environment().put("LOADGEN_AUTHORIZATION", authorization);
            }
            if (direct) {
                builder.environment().put("LOADGEN_SERVICE_CREDENTIAL", ServiceCredentials.value());
            }
            Process process = builder.start();
            String out = new String(process.getInputStream().readAllBytes()).strip();
            if (process.waitFor() != 0) {
                throw new IllegalStateException("load generator failed: " + out);
            }
            String[] f = out.lines().reduce((a, b) -> b).orElseThrow().split(" ");
            return new Figures(path, Long.parseLong(f[0]), Long.parseLong(f[1]) / 1000.0, Long.parseLong(f[2]) / 1e6,
                    Long.parseLong(f[3]) / 1e6, Long.parseLong(f[4]));
        }

        String row() {
            return String.format(Locale.ROOT, "| %s | %d | %.0f | %.2f | %.2f | %d |%n", path, requests, perSecond,
                    p50Millis, p99Millis, errors);
        }
    }
}
