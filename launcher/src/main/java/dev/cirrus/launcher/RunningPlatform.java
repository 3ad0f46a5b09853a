package dev.cirrus.launcher;

import java.net.URI;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

import dev.cirrus.embedded.EmbeddedKafkaServer;
import dev.cirrus.embedded.EmbeddedPostgresServer;

/**
 * A started local platform. {@link #close()} stops the services (SIGTERM, then a kill after the stop timeout), then
 * Kafka, then PostgreSQL, and frees the data folder. A JVM shutdown hook does the same if the owner never calls it.
 */
public final class RunningPlatform implements AutoCloseable {

    private static final int LOG_TAIL_LINES = 60;
    private static final Duration POLL_INTERVAL = Duration.ofMillis(250);
    /** The environment variable that gives a service the platform's credential ({@code cirrus.service-credential}). */
    static final String SERVICE_CREDENTIAL_ENV = "CIRRUS_SERVICE_CREDENTIAL";

    private final PlatformConfig config;
    private final Endpoints endpoints;
    private final Consumer<String> progress;
    private final DataFolder.Lock lock;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(1)).build();
    private final Map<ServiceModule, Path> jars;
    private final String serviceCredential;
    private final Map<ServiceModule, ServiceProcess> services = new EnumMap<>(ServiceModule.class);
    private final Map<ServiceModule, Duration> readyAfter = new EnumMap<>(ServiceModule.class);
    private final Map<ServiceModule, ClassDataSharing.Prepared> sharing = new EnumMap<>(ServiceModule.class);
    private final Thread shutdownHook = new Thread(this::close, "cirrus-platform-stop");
    private final long startNanos = System.nanoTime();
    private EmbeddedPostgresServer postgres;
    private PostgresChild postgresChild;
    private EmbeddedKafkaServer kafka;
    private Duration postgresReady;
    private Duration kafkaReady;
    private RunStats stats;
    private boolean closed;
    private final Supervisor supervisor;
    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(RunningPlatform.class);

    private RunningPlatform(PlatformConfig config, Consumer<String> progress, Map<ServiceModule, Path> jars,
                            DataFolder.Lock lock) {
        this.config = config;
        this.progress = progress;
        this.jars = jars;
        this.lock = lock;
        this.endpoints = Endpoints.of(config);
        this.serviceCredential = DataFolder.serviceCredential(config.dataDir());
        this.supervisor = new Supervisor(config.restartPolicy(), config.readinessTimeout(), Clock.systemUTC(),
                line -> {
                    // at once on the console and in launcher.log
                    progress.accept(line);
                    log.warn(line);
                }, this::writeStatus);
    }

    static RunningPlatform start(PlatformConfig config, Consumer<String> progress) {
        Instant startedAt = Clock.systemUTC().instant();
        // before touching anything: a missing jar is the most common mistake and needs no cleanup
        Map<ServiceModule, Path> jars = ServiceJars.find(config.repoRoot(), config.servicesInStartOrder());
        DataFolder.Lock lock = DataFolder.lock(config.dataDir());
        RunningPlatform platform = new RunningPlatform(config, progress, jars, lock);
        try {
            Runtime.getRuntime().addShutdownHook(platform.shutdownHook);
            platform.boot(startedAt);
            return platform;
        } catch (RuntimeException | Error e) {
            platform.close();
            throw e;
        }
    }

    private void boot(Instant startedAt) {
        if (DataFolder.stopStalePostgres(config.dataDir(), Duration.ofSeconds(30))) {
            progress.accept("stopped a PostgreSQL server left running by an earlier launcher on " + config.dataDir());
        }
        List<String> busy = config.ports().busy();
        if (!busy.isEmpty()) {
            throw new PlatformStartException("port(s) already in use: " + String.join(", ", busy)
                    + "; stop what uses them or move all ports with --port-offset=N");
        }
        // extracting the jars for class data sharing (first run, or after a rebuild) overlaps the servers' start
        List<CompletableFuture<Void>> extractions = new ArrayList<>();
        if (config.classDataSharing()) {
            for (ServiceModule m : config.servicesInStartOrder()) {
                extractions.add(CompletableFuture.runAsync(() -> {
                    ClassDataSharing.Prepared prepared = ClassDataSharing.prepare(config.javaCommand(), jars.get(m),
                            DataFolder.cdsDir(config.dataDir(), m));
                    synchronized (services) {
                        sharing.put(m, prepared);
                    }
                }, runnable -> Thread.ofPlatform().name("cirrus-cds-" + m).start(runnable)));
            }
        }
        CompletableFuture<EmbeddedKafkaServer> kafkaStart = CompletableFuture.supplyAsync(() -> {
            EmbeddedKafkaServer k = EmbeddedKafkaServer.create(DataFolder.kafkaDir(config.dataDir()),
                    config.ports().kafka(), config.ports().kafkaController(), 3);
            k.start();
            return k;
        }, runnable -> Thread.ofPlatform().name("cirrus-kafka-start").start(runnable));
        try {
            postgres = EmbeddedPostgresServer.start(DataFolder.postgresDir(config.dataDir()), config.ports().postgres());
            postgresReady = since(startNanos);
            for (ServiceModule m : ServiceModule.values()) {
                postgres.ensureDatabase(m.database());
            }
            progress.accept("PostgreSQL ready at " + endpoints.postgresJdbcBaseUrl() + " after " + seconds(postgresReady));
        } finally {
            try {
                kafka = kafkaStart.join();
                kafkaReady = since(startNanos);
            } catch (CompletionException e) {
                throw new PlatformStartException("Kafka did not start on port " + config.ports().kafka() + ": "
                        + e.getCause(), e.getCause());
            }
        }
        progress.accept("Kafka ready at " + endpoints.kafkaBootstrapServers() + " after " + seconds(kafkaReady));
        try {
            CompletableFuture.allOf(extractions.toArray(CompletableFuture[]::new)).join();
        } catch (CompletionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : e;
        }

        List<ServiceProcess> launched = new ArrayList<>();
        for (ServiceModule m : config.servicesInStartOrder()) {
            if (!launched.isEmpty() && config.stagger().isPositive()) {
                pause(config.stagger());
            }
            launched.add(launch(m));
        }
        awaitReady(launched);
        stats = measure(startedAt);
        stats.writeJson(DataFolder.statsFile(config.dataDir()));
        supervisePostgres();
        superviseKafka();
        launched.forEach(this::supervise);
        writeStatus();
    }

    static final String POSTGRES = "postgresql";
    static final String KAFKA = "kafka";

    /**
     * From now on the end of PostgreSQL's postmaster (noticed within {@link Liveness#INTERVAL}) is reported and a new
     * server is started on the same data directory and port, by the same rules as a service.
     */
    private void supervisePostgres() {
        supervisor.watch(POSTGRES, postgresChild(), () -> {
            restartPostgres();
            return postgresChild();
        });
    }

    private PostgresChild postgresChild() {
        ProcessHandle postmaster = DataFolder.postmaster(config.dataDir())
                .orElseThrow(() -> new IllegalStateException("no PostgreSQL server runs on " + config.dataDir()));
        PostgresChild child = new PostgresChild(postmaster, endpoints.postgresJdbcBaseUrl() + "postgres",
                this::launcherLogTail);
        synchronized (this) {
            postgresChild = child;
        }
        return child;
    }

    /** Ends what the dead server left behind, then starts a new one (crash recovery replays its WAL). */
    private void restartPostgres() {
        EmbeddedPostgresServer old;
        PostgresChild dead;
        synchronized (this) {
            if (closed) {
                throw new IllegalStateException("the platform is stopping");
            }
            old = postgres;
            dead = postgresChild;
        }
        if (dead != null) {
            dead.endLeftovers(Duration.ofSeconds(10));
        }
        if (old != null) {
            try {
                old.close(); // releases zonky's hold on the data directory; its server is gone already
            } catch (RuntimeException e) {
                // pg_ctl stop finds no server: expected after a crash
            }
        }
        EmbeddedPostgresServer started = EmbeddedPostgresServer.start(DataFolder.postgresDir(config.dataDir()),
                config.ports().postgres());
        synchronized (this) {
            postgres = started;
        }
    }

    /** From now on the end of the Kafka broker (its broker state) is reported and it is started again likewise. */
    private void superviseKafka() {
        supervisor.watch(KAFKA, new KafkaChild(kafka, this::launcherLogTail), () -> {
            kafka.stop();
            kafka.start();
            return new KafkaChild(kafka, this::launcherLogTail);
        });
    }

    /** PostgreSQL's and Kafka's output goes to the launcher's log (the command line's {@code launcher.log}). */
    private String launcherLogTail(int lines) {
        String file = System.getProperty(Launcher.LOG_FILE_PROPERTY);
        return file == null ? "(their output goes to the launcher's log)" : ServiceProcess.tail(Path.of(file), lines);
    }

    /** From now on an unexpected exit of the service is reported and it is restarted ({@link Supervisor}). */
    private void supervise(ServiceProcess process) {
        ServiceModule module = process.module();
        supervisor.watch(module.moduleName(), supervised(process), () -> supervised(launch(module)));
    }

    private Supervisor.Child supervised(ServiceProcess p) {
        return new Supervisor.Child() {
            @Override
            public long pid() {
                return p.pid();
            }

            @Override
            public CompletableFuture<?> onExit() {
                return p.onExit();
            }

            @Override
            public int exitCode() {
                return p.exitCode();
            }

            @Override
            public boolean alive() {
                return p.alive();
            }

            @Override
            public boolean ready() {
                return p.ready(http);
            }

            @Override
            public String logTail(int lines) {
                return p.logTail(lines);
            }

            @Override
            public void kill() {
                p.kill();
            }
        };
    }

    /** {@code {data}/status.json}: what {@code ./cirrus status} shows. */
    private void writeStatus() {
        try {
            List<StatusFile.Entry> entries = new ArrayList<>();
            java.time.Instant now = Clock.systemUTC().instant();
            Map<String, Supervisor.Status> statuses = supervisor.statuses();
            Supervisor.Status pgStatus = statuses.get(POSTGRES);
            if (pgStatus != null) {
                entries.add(entry(pgStatus, config.ports().postgres()));
            } else {
                DataFolder.postmaster(config.dataDir()).ifPresentOrElse(
                        pg -> entries.add(new StatusFile.Entry(POSTGRES, "running", pg.pid(), config.ports().postgres(),
                                0, now)),
                        () -> entries.add(new StatusFile.Entry(POSTGRES, "down", -1, config.ports().postgres(), 0,
                                now)));
            }
            Supervisor.Status kafkaStatus = statuses.get(KAFKA);
            entries.add(kafkaStatus != null ? entry(kafkaStatus, config.ports().kafka())
                    : new StatusFile.Entry(KAFKA, kafka != null && kafka.running() ? "running" : "down",
                            ProcessHandle.current().pid(), config.ports().kafka(), 0, now));
            for (ServiceModule m : config.servicesInStartOrder()) {
                Supervisor.Status s = statuses.get(m.moduleName());
                entries.add(s == null
                        ? new StatusFile.Entry(m.moduleName(), "stopped", -1, config.ports().http(m), 0, now)
                        : entry(s, config.ports().http(m)));
            }
            StatusFile.write(DataFolder.statusFile(config.dataDir()), ProcessHandle.current().pid(), now, entries);
        } catch (RuntimeException e) {
            log.warn("could not write the status file", e);
        }
    }

    private static StatusFile.Entry entry(Supervisor.Status s, int port) {
        return new StatusFile.Entry(s.name(), s.state().name().toLowerCase(Locale.ROOT), s.pid(), port, s.restarts(),
                s.since());
    }

    private ServiceProcess launch(ServiceModule module) {
        synchronized (this) {
            if (closed) {
                throw new PlatformStartException("the platform was stopped while it was starting");
            }
        }
        Path jar = jars.get(module);
        List<String> extraOptions = List.of();
        ClassDataSharing.Prepared prepared = sharing.get(module);
        if (prepared != null) {
            jar = prepared.jar();
            extraOptions = prepared.jvmOptions();
        }
        ServiceProcess process = ServiceProcess.launch(module,
                ServiceCommand.of(config, module, jar, extraOptions, ProcessHandle.current().pid()),
                Map.of(SERVICE_CREDENTIAL_ENV, serviceCredential),
                endpoints.serviceUrl(module), DataFolder.logDir(config.dataDir()),
                DataFolder.workDir(config.dataDir(), module));
        synchronized (services) {
            services.put(module, process);
        }
        return process;
    }

    /** Polls every launched service until all are ready; fails on the first one that exits or runs out of time. */
    private void awaitReady(List<ServiceProcess> launched) {
        List<ServiceProcess> pending = new ArrayList<>(launched);
        while (!pending.isEmpty()) {
            for (var it = pending.iterator(); it.hasNext(); ) {
                ServiceProcess p = it.next();
                if (p.ready(http)) {
                    Duration ready = since(startNanos);
                    synchronized (services) {
                        readyAfter.put(p.module(), ready);
                    }
                    progress.accept(String.format(Locale.ROOT, "%-17s ready at %s after %s (%s after its launch)",
                            p.module(), endpoints.serviceUrl(p.module()), seconds(ready),
                            seconds(since(p.launchedAtNanos()))));
                    it.remove();
                } else if (!p.alive()) {
                    throw new PlatformStartException(p.module() + " exited with code " + p.exitCode()
                            + " before it was ready. Last lines of " + p.logFile() + ":\n" + p.logTail(LOG_TAIL_LINES));
                } else if (since(p.launchedAtNanos()).compareTo(config.readinessTimeout()) > 0) {
                    throw new PlatformStartException(p.module() + " was not ready within "
                            + seconds(config.readinessTimeout()) + " (" + endpoints.serviceUrl(p.module())
                            + "/actuator/health/readiness). Last lines of " + p.logFile() + ":\n"
                            + p.logTail(LOG_TAIL_LINES));
                }
            }
            if (!pending.isEmpty()) {
                pause(POLL_INTERVAL);
            }
        }
    }

    private RunStats measure(Instant startedAt) {
        List<RunStats.ProcessStats> processes = new ArrayList<>();
        ProcessHandle self = ProcessHandle.current();
        processes.add(new RunStats.ProcessStats("launcher+kafka", self.pid(), null, null,
                ProcessMemory.rssKib(self.pid()), 1));
        DataFolder.postmaster(config.dataDir()).ifPresent(pg -> processes.add(new RunStats.ProcessStats("postgresql",
                pg.pid(), null, postgresReady, ProcessMemory.rssKibOfTree(pg),
                1 + (int) pg.descendants().count())));
        synchronized (services) {
            for (ServiceProcess p : services.values()) {
                processes.add(new RunStats.ProcessStats(p.module().moduleName(), p.pid(),
                        endpoints.serviceUrl(p.module()).toString(), readyAfter.get(p.module()),
                        ProcessMemory.rssKib(p.pid()), 1));
            }
        }
        Duration allHealthy = readyAfter.values().stream().max(Duration::compareTo).orElse(since(startNanos));
        return new RunStats(startedAt, postgresReady, kafkaReady, allHealthy, endpoints, processes);
    }

    // ---- what a user of the running platform sees ----

    public Endpoints endpoints() {
        return endpoints;
    }

    /** The ARM endpoint, e.g. {@code http://127.0.0.1:8080}. */
    public URI gatewayUrl() {
        return endpoints.gatewayUrl();
    }

    public String kafkaBootstrapServers() {
        return endpoints.kafkaBootstrapServers();
    }

    /** {@code jdbc:postgresql://127.0.0.1:<port>/}: append a database name (user and password postgres). */
    public String postgresJdbcBaseUrl() {
        return endpoints.postgresJdbcBaseUrl();
    }

    public String jdbcUrl(ServiceModule module) {
        return endpoints.jdbcUrl(module);
    }

    public URI serviceUrl(ServiceModule module) {
        return endpoints.serviceUrl(module);
    }

    /** The placement engine's gRPC address, {@code 127.0.0.1:<port>}. */
    public String placementTarget() {
        return endpoints.placementTarget();
    }

    public Path dataDir() {
        return config.dataDir();
    }

    /**
     * The platform's service credential: what a direct call to a service (or to the placement engine's gRPC port)
     * must carry, in the header {@code X-Cirrus-Service-Credential} (gRPC: metadata of the same name, lower case).
     */
    public String serviceCredential() {
        return serviceCredential;
    }

    public Path logFile(ServiceModule module) {
        return DataFolder.logDir(config.dataDir()).resolve(module.moduleName() + ".log");
    }

    public PlatformConfig config() {
        return config;
    }

    /** Start times and memory as measured when the platform became ready. */
    public RunStats stats() {
        return stats;
    }

    /** The pid of a running service, if it runs. */
    public OptionalLong pid(ServiceModule module) {
        synchronized (services) {
            ServiceProcess p = services.get(module);
            return p != null && p.alive() ? OptionalLong.of(p.pid()) : OptionalLong.empty();
        }
    }

    /** The pid of the PostgreSQL server (its postmaster). */
    public Optional<Long> postgresPid() {
        return DataFolder.postmaster(config.dataDir()).map(ProcessHandle::pid);
    }

    // ---- outages on purpose, for tests of resilience ----

    /** Stops one service as {@link #close()} would (SIGTERM, then a kill after the stop timeout). */
    public void stopService(ServiceModule module) {
        supervisor.forget(module.moduleName());
        ServiceProcess p;
        synchronized (services) {
            p = services.remove(module);
        }
        if (p != null) {
            stopAll(List.of(p));
        }
    }

    /** Starts a stopped service again (same ports, database and log) and waits until it is ready. */
    public void startService(ServiceModule module) {
        if (!config.services().contains(module)) {
            throw new IllegalArgumentException(module + " is not part of this run");
        }
        if (pid(module).isPresent()) {
            return;
        }
        ServiceProcess process = launch(module);
        awaitReady(List.of(process));
        supervise(process);
    }

    /** Stops the Kafka broker (a stop on purpose: neither reported nor restarted); its records stay. */
    public void stopKafka() {
        supervisor.forget(KAFKA);
        kafka.stop();
        writeStatus();
    }

    /** Starts the Kafka broker again on the same port and log; supervised again. */
    public void startKafka() {
        kafka.start();
        superviseKafka();
    }

    /** Test-only: the broker ends inside the launcher's JVM as a fatal error would end it, behind the supervisor's back. */
    void haltKafkaForTests() {
        kafka.haltBrokerBehindItsOwnersBack();
    }

    /** Stops the services, then Kafka, then PostgreSQL, and frees the data folder. Safe to call twice. */
    @Override
    public void close() {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
        }
        supervisor.close();
        List<ServiceProcess> running;
        synchronized (services) {
            running = new ArrayList<>(services.values());
            services.clear();
        }
        List<Throwable> failures = new ArrayList<>();
        run(failures, () -> stopAll(running));
        run(failures, () -> {
            if (kafka != null) {
                kafka.stop();
            }
        });
        run(failures, () -> {
            Optional<ProcessHandle> postmaster = DataFolder.postmaster(config.dataDir());
            EmbeddedPostgresServer server;
            synchronized (this) {
                server = postgres;
            }
            if (server != null) {
                server.close();
            }
            // pg_ctl returns when the pid file is gone, a moment before the postmaster has exited, and gives up
            // after 5 s: wait for the process itself, so that no PostgreSQL outlives the platform
            postmaster.ifPresent(pg -> awaitOrKill(pg, Duration.ofSeconds(20)));
        });
        run(failures, () -> {
            try {
                java.nio.file.Files.deleteIfExists(DataFolder.statusFile(config.dataDir()));
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        run(failures, lock::close);
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException | IllegalArgumentException e) {
            // already shutting down, or the hook was never added: nothing to remove
        }
        if (!failures.isEmpty()) {
            RuntimeException e = new IllegalStateException("the platform did not stop cleanly: " + failures.get(0),
                    failures.get(0));
            failures.stream().skip(1).forEach(e::addSuppressed);
            throw e;
        }
    }

    /** SIGTERM to all at once (they stop in parallel), then a kill for those still running after the timeout. */
    private void stopAll(List<ServiceProcess> processes) {
        processes.forEach(ServiceProcess::terminate);
        long deadline = System.nanoTime() + config.stopTimeout().toNanos();
        Map<ServiceModule, ServiceProcess> stubborn = new LinkedHashMap<>();
        for (ServiceProcess p : processes) {
            Duration left = Duration.ofNanos(Math.max(0, deadline - System.nanoTime()));
            if (!p.awaitExit(left)) {
                stubborn.put(p.module(), p);
            }
        }
        stubborn.values().forEach(ServiceProcess::kill);
        if (!stubborn.isEmpty()) {
            progress.accept("killed " + stubborn.keySet() + ": not stopped " + seconds(config.stopTimeout())
                    + " after SIGTERM");
        }
    }

    private static void awaitOrKill(ProcessHandle process, Duration timeout) {
        try {
            process.onExit().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException | ExecutionException e) {
            process.destroyForcibly();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }

    private static void run(List<Throwable> failures, Runnable step) {
        try {
            step.run();
        } catch (RuntimeException | Error e) {
            failures.add(e);
        }
    }

    private static Duration since(long nanos) {
        return Duration.ofNanos(System.nanoTime() - nanos);
    }

    static String seconds(Duration d) {
        return String.format(Locale.ROOT, "%.1f s", d.toMillis() / 1000.0);
    }

    private static void pause(Duration d) {
        try {
            Thread.sleep(d);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new PlatformStartException("interrupted while starting the platform", e);
        }
    }
}
