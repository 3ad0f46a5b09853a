package dev.cirrus.appservice.webjob;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import dev.cirrus.appservice.runtime.SiteInstances;
import dev.cirrus.appservice.site.Site;
import dev.cirrus.appservice.site.SiteProperties;
import dev.cirrus.appservice.site.SiteRepository;
import dev.cirrus.contracts.events.CloudEvent;
import dev.cirrus.contracts.events.EventTypes;
import dev.cirrus.contracts.events.Topics;
import dev.cirrus.contracts.events.WebJobRunData;
import dev.cirrus.plumbing.arm.ArmException;
import dev.cirrus.plumbing.events.Outbox;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.ObjectMapper;

/**
 * The WebJobs of the running web apps (and slots), from their deployed content's {@code App_Data/jobs/…}
 * ({@link WebJob}), run as real processes in the job's folder with the site's environment (its app settings and
 * connection strings, as its instances get them) and {@code WEBJOBS_NAME}, {@code WEBJOBS_TYPE},
 * {@code WEBJOBS_RUN_ID}, {@code WEBJOBS_PATH}, {@code WEBJOBS_DATA_PATH}:
 * <ul>
 *   <li>a <b>triggered</b> job runs when asked (Kudu's or ARM's {@code run}: 409 while a run of it is going on) and
 *       on its {@code schedule} (NCRONTAB, UTC, by the injected clock; on one instance; off with the app setting
 *       {@code WEBJOBS_DISABLE_SCHEDULE=1}); each run is recorded (status Running, then Success for exit code 0 or
 *       Failed, start and end, its output's last 64 KB), the newest {@code WEBJOBS_HISTORY_SIZE} (50) kept, and
 *       announced ({@code WebJobRunStarted}, {@code WebJobRunCompleted});</li>
 *   <li>a <b>continuous</b> job runs on every instance of the plan, or on one with {@code is_singleton}, and is
 *       started again when it exits; {@code stop} (kept in the database) or {@code WEBJOBS_STOPPED=1} ends it, a new
 *       deployment or a change of settings restarts it, and a stopped or deleted site's jobs end.</li>
 * </ul>
 */
@Component
public class WebJobs implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(WebJobs.class);
    private static final DateTimeFormatter RUN_ID = DateTimeFormatter.ofPattern("yyyyMMddHHmmssSSS")
            .withZone(ZoneOffset.UTC);
    private static final int OUTPUT_KEPT = 64 * 1024;
    private static final int DEFAULT_HISTORY = 50;

    /** A continuous job's process on one instance. */
    private record Continuous(Process process, Path dir, Map<String, String> environment, int instance) {
    }

    private final SiteRepository sites;
    private final SiteInstances instances;
    private final SiteProperties properties;
    private final WebJobRepository repository;
    private final Outbox outbox;
    private final ObjectMapper json;
    private final Clock clock;
    private final TransactionTemplate tx;
    private final dev.cirrus.appservice.site.SiteUsage usage;
    private final Map<String, Process> runningTriggered = new ConcurrentHashMap<>();
    private final Map<String, Instant> nextFire = new ConcurrentHashMap<>();
    private final Map<String, String> scheduleOf = new ConcurrentHashMap<>();
    private final Map<String, List<Continuous>> continuous = new ConcurrentHashMap<>();
    private volatile ScheduledExecutorService scheduler;

    WebJobs(SiteRepository sites, SiteInstances instances, SiteProperties properties, WebJobRepository repository,
            Outbox outbox, ObjectMapper json, Clock clock, PlatformTransactionManager transactions,
            dev.cirrus.appservice.site.SiteUsage usage) {
        this.usage = usage;
        this.sites = sites;
        this.instances = instances;
        this.properties = properties;
        this.repository = repository;
        this.outbox = outbox;
        this.json = json;
        this.clock = clock;
        this.tx = new TransactionTemplate(transactions);
    }

    /** The folder of the content the site serves, or null before its first deployment. */
    Path content(Site site) {
        SiteInstances.Generation gen = instances.current(site.key());
        if (gen != null) {
            return gen.dir();
        }
        if (site.activeDeployment() == null) {
            return null;
        }
        Path dir = instances.deploymentFolder(site, site.activeDeployment());
        return Files.isDirectory(dir) ? dir : null;
    }

    /** The site's jobs of a type ({@code triggered} or {@code continuous}), in name order. */
    public List<WebJob> jobs(Site site, String type) {
        Path content = content(site);
        return content == null ? List.of() : WebJob.discover(content, type, json);
    }

    /** One job: 400 for a name that cannot be a job's, 404 when the content has none of that name. */
    public WebJob job(Site site, String type, String name) {
        checkName(name);
        return jobs(site, type).stream().filter(j -> j.name().equalsIgnoreCase(name)).findFirst()
                .orElseThrow(() -> ArmException.notFound("NotFound", "There is no " + type + " WebJob named '" + name
                        + "' in the content of '" + site.armName() + "'."));
    }

    static void checkName(String name) {
        if (name == null || !WebJob.NAME.matcher(name).matches()) {
            throw ArmException.badRequest("BadRequest", "'" + printable(name) + "' is not a valid WebJob name: use "
                    + "letters, digits, '-' and '_' (at most 64 characters).", "name");
        }
    }

    /** A triggered job's run, started now (409 while one runs, for a stopped site, or a job that cannot run). */
    public WebJobRepository.Run run(Site site, String name, String trigger) {
        WebJob job = job(site, WebJob.TRIGGERED, name);
        if (!site.running() || usage.quotaExceeded(site)) {
            throw ArmException.conflict("Conflict", "The web app '" + site.armName() + "' is stopped: its WebJobs "
                    + "do not run.");
        }
        if (job.entry() == null) {
            throw ArmException.conflict("Conflict", "The WebJob '" + job.name() + "' cannot run: " + job.error());
        }
        synchronized (this) {
            Process running = runningTriggered.get(key(site, job.name()));
            if (running != null && running.isAlive()) {
                throw ArmException.conflict("Conflict", "The WebJob '" + job.name() + "' is already running.");
            }
            return start(site, job, trigger);
        }
    }

    /** The runs of a triggered job, newest first. */
    public List<WebJobRepository.Run> history(Site site, String name) {
        WebJob job = job(site, WebJob.TRIGGERED, name);
        return repository.runs(site.key(), job.name(), historySize(site));
    }

    public WebJobRepository.Run runOf(Site site, String name, String id) {
        WebJob job = job(site, WebJob.TRIGGERED, name);
        return repository.run(site.key(), job.name(), id).orElseThrow(() -> ArmException.notFound("NotFound",
                "The WebJob '" + job.name() + "' has no run '" + printable(id) + "'."));
    }

    /**
     * A triggered job's {@code settings.job} replaced by {@code {schedule?}} (Kudu's {@code PUT …/settings}): a
     * schedule that is not a six-field NCRONTAB is 400 and changes nothing.
     */
    public WebJob writeSettings(Site site, String name, tools.jackson.databind.JsonNode body) {
        WebJob job = job(site, WebJob.TRIGGERED, name);
        if (body == null || !body.isObject()) {
            throw ArmException.badRequest("BadRequest", "The settings must be a JSON object, e.g. {\"schedule\": "
                    + "\"0 */5 * * * *\"}.", null);
        }
        tools.jackson.databind.JsonNode schedule = body.get("schedule");
        if (schedule != null && !schedule.isNull()) {
            if (!schedule.isString()) {
                throw ArmException.badRequest("BadRequest", "schedule must be a string: an NCRONTAB expression.",
                        "schedule");
            }
            try {
                Ncrontab.parse(schedule.asString());
            } catch (IllegalArgumentException e) {
                throw ArmException.badRequest("BadRequest", WebJob.invalidSchedule(printable(schedule.asString()),
                        e.getMessage()), "schedule");
            }
        }
        try {
            Path settings = WebJob.child(job.dir(), "settings.job").orElse(job.dir().resolve("settings.job"));
            Files.writeString(settings, json.writeValueAsString(body));
        } catch (IOException e) {
            throw new IllegalStateException("settings.job of " + job.name() + " could not be written", e);
        }
        return job(site, WebJob.TRIGGERED, name);
    }

    /** {@code start} or {@code stop} of a continuous job (kept across restarts of this service). */
    public WebJob setStopped(Site site, String name, boolean stopped) {
        WebJob job = job(site, WebJob.CONTINUOUS, name);
        repository.setStopped(site.key(), job.name(), stopped);
        if (stopped) {
            stopContinuous(key(site, job.name()));
        }
        return job;
    }

    /** A continuous job's status: Running, Starting, Stopped (by the API or the settings) or Stopped with its error. */
    public String status(Site site, WebJob job) {
        if (job.error() != null || !site.running() || stoppedByUser(site, job)) {
            return "Stopped";
        }
        List<Continuous> procs = continuous.getOrDefault(key(site, job.name()), List.of());
        int wanted = job.singleton() ? 1 : instances.instanceCount(site);
        long alive = procs.stream().filter(c -> c.process().isAlive()).count();
        return alive >= wanted ? "Running" : alive > 0 ? "PendingRestart" : "Starting";
    }

    /** Whether a run of the triggered job is going on now. */
    public boolean running(Site site, String job) {
        Process p = runningTriggered.get(key(site, job));
        return p != null && p.isAlive();
    }

    private boolean stoppedByUser(Site site, WebJob job) {
        return "1".equals(site.appSettings().get("WEBJOBS_STOPPED")) || repository.stopped(site.key(), job.name());
    }

    private WebJobRepository.Run start(Site site, WebJob job, String trigger) {
        Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
        String id = RUN_ID.format(now);
        while (repository.run(site.key(), job.name(), id).isPresent()) {
            now = now.plusMillis(1);
            id = RUN_ID.format(now);
        }
        String runId = id;
        Path logFile = jobFolder(site, job).resolve(runId + ".log");
        WebJobRepository.Run run = new WebJobRepository.Run(runId, site.key(), job.name(), "Running", trigger, now,
                null, null, "");
        tx.executeWithoutResult(s -> {
            repository.insert(run);
            publish(site, job, run, EventTypes.WEB_JOB_RUN_STARTED);
        });
        Process process;
        try {
            Files.createDirectories(logFile.getParent());
            ProcessBuilder builder = new ProcessBuilder(job.command(properties.javaCommand(),
                    properties.nodeCommand(), properties.pythonCommand())).directory(job.dir().toFile())
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()));
            builder.environment().putAll(environment(site, job, runId));
            process = builder.start();
        } catch (IOException e) {
            finish(site, job, run, logFile, -1, "The job could not start: " + e.getMessage());
            return repository.run(site.key(), job.name(), runId).orElse(run);
        }
        String key = key(site, job.name());
        runningTriggered.put(key, process);
        process.onExit().thenAccept(p -> {
            runningTriggered.remove(key, p);
            finish(site, job, run, logFile, p.exitValue(), null);
        });
        return run;
    }

    private void finish(Site site, WebJob job, WebJobRepository.Run run, Path logFile, int exitCode, String note) {
        try {
            String output = tail(logFile) + (note == null ? "" : note);
            Instant end = clock.instant().truncatedTo(ChronoUnit.MILLIS);
            WebJobRepository.Run ended = new WebJobRepository.Run(run.id(), run.siteKey(), run.job(),
                    exitCode == 0 ? "Success" : "Failed", run.trigger(), run.startedAt(), end, exitCode, output);
            tx.executeWithoutResult(s -> {
                repository.end(ended);
                repository.trim(site.key(), job.name(), historySize(site));
                if (sites.find(site.resourceId()).isPresent()) {
                    publish(site, job, ended, EventTypes.WEB_JOB_RUN_COMPLETED);
                }
            });
        } catch (RuntimeException e) {
            log.warn("the end of run {} of WebJob {} of {} could not be recorded: {}", run.id(), job.name(),
                    site.name(), e.toString());
        }
    }

    private void publish(Site site, WebJob job, WebJobRepository.Run run, String type) {
        outbox.append(Topics.APP_SERVICE, CloudEvent.of("app-service", type, site.resourceId() + "/triggeredwebjobs/"
                + job.name(), run.endedAt() != null ? run.endedAt() : run.startedAt(), json.valueToTree(
                new WebJobRunData(site.subscriptionId(), site.resourceGroup(), site.armName(), job.name(), run.id(),
                        run.trigger(), run.status(), run.startedAt(), run.endedAt(), run.exitCode()))));
    }

    private Map<String, String> environment(Site site, WebJob job, String runId) {
        Map<String, String> env = new java.util.LinkedHashMap<>(instances.environment(site));
        Path data = instances.siteFolder(site.name()).resolve("data").resolve("jobs").resolve(job.type())
                .resolve(job.name());
        try {
            Files.createDirectories(data);
        } catch (IOException ignored) {
            // the job runs without its data folder
        }
        env.put("WEBJOBS_NAME", job.name());
        env.put("WEBJOBS_TYPE", job.type().substring(0, 1).toUpperCase() + job.type().substring(1));
        env.put("WEBJOBS_RUN_ID", runId);
        env.put("WEBJOBS_PATH", job.dir().toString());
        env.put("WEBJOBS_DATA_PATH", data.toString());
        env.put("WEBJOBS_SHUTDOWN_FILE", data.resolve("shutdown-" + runId).toString());
        return env;
    }

    /** Where a job's output goes: {@code {content-root}/{site}/webjobs/{type}/{name}/}. */
    Path jobFolder(Site site, WebJob job) {
        return instances.siteFolder(site.name()).resolve("webjobs").resolve(job.type()).resolve(job.name());
    }

    private static int historySize(Site site) {
        try {
            return Math.max(1, Integer.parseInt(site.appSettings().getOrDefault("WEBJOBS_HISTORY_SIZE", "50")));
        } catch (NumberFormatException e) {
            return DEFAULT_HISTORY;
        }
    }

    private static String key(Site site, String job) {
        return site.key() + "#" + job.toLowerCase(java.util.Locale.ROOT);
    }

    /** One pass: schedules that are due start their runs; continuous jobs are kept running as their sites say. */
    void supervise() {
        try {
            Set<String> seen = new HashSet<>();
            for (Site site : sites.running()) {
                Path content = content(site);
                if (content == null || usage.quotaExceeded(site)) {
                    continue;
                }
                for (WebJob job : WebJob.discover(content, WebJob.TRIGGERED, json)) {
                    seen.add(key(site, job.name()));
                    schedule(site, job);
                }
                for (WebJob job : WebJob.discover(content, WebJob.CONTINUOUS, json)) {
                    seen.add(key(site, job.name()));
                    keepRunning(site, job, content);
                }
            }
            for (String key : new ArrayList<>(continuous.keySet())) {
                if (!seen.contains(key)) {
                    stopContinuous(key);
                }
            }
            nextFire.keySet().retainAll(seen);
            scheduleOf.keySet().retainAll(seen);
            for (Map.Entry<String, Process> e : new ArrayList<>(runningTriggered.entrySet())) {
                String siteKey = e.getKey().substring(0, e.getKey().indexOf('#'));
                if (!seen.contains(e.getKey()) && sites.find(siteKey).map(s -> !s.running()).orElse(true)) {
                    kill(e.getValue()); // the site stopped or is gone: its run ends
                }
            }
        } catch (RuntimeException e) {
            log.warn("supervising the WebJobs failed: {}", e.toString());
        }
    }

    private void schedule(Site site, WebJob job) {
        String key = key(site, job.name());
        if (job.schedule() == null || job.entry() == null
                || "1".equals(site.appSettings().get("WEBJOBS_DISABLE_SCHEDULE"))) {
            nextFire.remove(key);
            scheduleOf.remove(key);
            return;
        }
        Instant now = clock.instant();
        if (!job.scheduleText().equals(scheduleOf.get(key))) {
            scheduleOf.put(key, job.scheduleText());
            Instant next = job.schedule().next(now);
            if (next == null) {
                nextFire.remove(key);
            } else {
                nextFire.put(key, next);
            }
            return;
        }
        Instant due = nextFire.get(key);
        if (due == null || now.isBefore(due)) {
            return;
        }
        Instant next = job.schedule().next(now);
        if (next == null) {
            nextFire.remove(key);
        } else {
            nextFire.put(key, next);
        }
        synchronized (this) {
            Process running = runningTriggered.get(key);
            if (running == null || !running.isAlive()) {
                start(site, job, "Schedule - " + job.scheduleText());
            }
        }
    }

    private void keepRunning(Site site, WebJob job, Path content) {
        String key = key(site, job.name());
        if (job.entry() == null || stoppedByUser(site, job)) {
            stopContinuous(key);
            return;
        }
        Map<String, String> env = instances.environment(site);
        List<Continuous> procs = continuous.computeIfAbsent(key, k -> new java.util.concurrent.CopyOnWriteArrayList<>());
        if (procs.stream().anyMatch(c -> !c.dir().equals(job.dir()) || !c.environment().equals(env))) {
            stopContinuous(key); // a new deployment or new settings: started again from them
            procs = continuous.computeIfAbsent(key, k -> new java.util.concurrent.CopyOnWriteArrayList<>());
        }
        int wanted = job.singleton() ? 1 : instances.instanceCount(site);
        Set<Integer> present = new HashSet<>();
        for (Continuous c : procs) {
            if (!c.process().isAlive() || c.instance() >= wanted) {
                procs.remove(c);
                kill(c.process());
                if (c.instance() < wanted) {
                    log.info("continuous WebJob {} of {} exited with {}: started again", job.name(), site.name(),
                            c.process().exitValue());
                }
            } else {
                present.add(c.instance());
            }
        }
        for (int i = 0; i < wanted; i++) {
            if (!present.contains(i)) {
                Path logFile = jobFolder(site, job).resolve("instance-" + i + ".log");
                try {
                    Files.createDirectories(logFile.getParent());
                    ProcessBuilder builder = new ProcessBuilder(job.command(properties.javaCommand(),
                            properties.nodeCommand(), properties.pythonCommand())).directory(job.dir().toFile())
                            .redirectErrorStream(true)
                            .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()));
                    builder.environment().putAll(environment(site, job, "continuous-" + i));
                    builder.environment().put("WEBSITE_ROLE_INSTANCE_ID", Integer.toString(i));
                    procs.add(new Continuous(builder.start(), job.dir(), env, i));
                } catch (IOException e) {
                    log.warn("continuous WebJob {} of {} could not start: {}", job.name(), site.name(),
                            e.getMessage());
                }
            }
        }
    }

    private void stopContinuous(String key) {
        List<Continuous> procs = continuous.remove(key);
        if (procs != null) {
            procs.forEach(c -> kill(c.process()));
        }
    }

    /** The pids of a continuous job's processes (for tests and the views). */
    public List<Long> continuousPids(Site site, String job) {
        return continuous.getOrDefault(key(site, job), List.of()).stream().filter(c -> c.process().isAlive())
                .map(c -> c.process().pid()).toList();
    }

    private static void kill(Process process) {
        process.descendants().forEach(ProcessHandle::destroy);
        process.destroy();
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }

    private static String tail(Path logFile) {
        try (RandomAccessFile file = new RandomAccessFile(logFile.toFile(), "r")) {
            long start = Math.max(0, file.length() - OUTPUT_KEPT);
            byte[] bytes = new byte[(int) (file.length() - start)];
            file.seek(start);
            file.readFully(bytes);
            return new String(bytes, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }

    static String printable(String text) {
        if (text == null) {
            return "null";
        }
        String clean = text.codePoints().filter(c -> !Character.isISOControl(c))
                .collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append).toString();
        return clean.length() > 100 ? clean.substring(0, 100) + "…" : clean;
    }

    @Override
    public synchronized void start() {
        if (scheduler != null) {
            return;
        }
        repository.endAbandoned(clock.instant());
        scheduler = Executors.newSingleThreadScheduledExecutor(r -> Thread.ofPlatform().daemon()
                .name("webjobs").unstarted(r));
        long every = properties.superviseEvery().toMillis();
        scheduler.scheduleWithFixedDelay(this::supervise, every, every, TimeUnit.MILLISECONDS);
    }

    @Override
    public synchronized void stop() {
        if (scheduler != null) {
            scheduler.shutdownNow();
            scheduler = null;
        }
        for (String key : new ArrayList<>(continuous.keySet())) {
            stopContinuous(key);
        }
        runningTriggered.values().forEach(WebJobs::kill);
    }

    @Override
    public boolean isRunning() {
        return scheduler != null;
    }
}
