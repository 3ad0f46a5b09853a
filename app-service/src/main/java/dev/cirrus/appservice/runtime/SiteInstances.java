package dev.cirrus.appservice.runtime;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;

import dev.cirrus.appservice.plan.AppServicePlan;
import dev.cirrus.appservice.plan.AppServicePlans;
import dev.cirrus.appservice.site.Site;
import dev.cirrus.appservice.site.SiteProperties;
import dev.cirrus.appservice.site.SiteRepository;
import dev.cirrus.appservice.site.SiteRuntime;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;
import tools.jackson.databind.ObjectMapper;

/**
 * The processes of the web apps: one per plan instance ({@code sku.capacity}, the plan's {@code numberOfWorkers}) for
 * a site whose deployed stack runs code (Java, Node.js, Python); none for static content, which the front end serves.
 *
 * <p>Each site has a current <em>generation</em>: the deployment it runs, the environment its processes got (the app
 * settings, the connection strings as {@code SQLAZURECONNSTR_name} etc., {@code PORT}, {@code SERVER_PORT},
 * {@code WEBSITE_SITE_NAME}, {@code WEBSITE_INSTANCE_ID}, …) and its instances. A new deployment, a change of settings
 * and a restart start a whole new generation first and switch to it only once every one of its processes listens on
 * its port; then the old one is stopped. So a failed start leaves the old processes serving, and no request finds
 * none. For example, a site on an S1 plan with 2 instances deployed with app.jar runs {@code java -jar app.jar} twice,
 * on two free ports, with {@code WEBSITE_INSTANCE_ID} the hash of instance 0 and of instance 1.
 *
 * <p>A supervisor ({@code cirrus.appservice.sites.supervise-every}) keeps the running sites as stored: a process that
 * exited is replaced (same instance id: an affinity cookie keeps working), the instance count follows the plan's, a
 * stopped or deleted site's processes end, a site whose processes are not running (this service restarted) gets them
 * back; with a {@code healthCheckPath}, an instance that fails it {@code health-check-failures} times in a row is taken
 * out of rotation and replaced. Every process is ended when this service stops.
 */
@Component
public class SiteInstances implements SiteRuntime, SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(SiteInstances.class);

    /** One process of a site: its instance id (the {@code ARRAffinity} cookie's value) and its port. */
    public static final class Instance {
        private final int slot;
        private final String id;
        private final int port;
        private final Process process;
        private final AtomicInteger healthFailures = new AtomicInteger();
        private volatile boolean inRotation = true;

        Instance(int slot, String id, int port, Process process) {
            this.slot = slot;
            this.id = id;
            this.port = port;
            this.process = process;
        }

        public String id() {
            return id;
        }

        public int port() {
            return port;
        }

        public boolean alive() {
            return process == null || process.isAlive();
        }

        boolean usable() {
            return inRotation && alive();
        }
    }

    /** What a site runs now: a deployment, its stack and environment, and its instances. */
    public static final class Generation {
        private final String deploymentId;
        private final Path dir;
        private final Stack stack;
        private final Map<String, String> environment;
        private final List<Instance> instances = new CopyOnWriteArrayList<>();
        private final AtomicInteger next = new AtomicInteger();

        Generation(String deploymentId, Path dir, Stack stack, Map<String, String> environment) {
            this.deploymentId = deploymentId;
            this.dir = dir;
            this.stack = stack;
            this.environment = environment;
        }

        public Path dir() {
            return dir;
        }

        public boolean isStatic() {
            return stack.isStatic();
        }

        public String deploymentId() {
            return deploymentId;
        }

        public List<Instance> instances() {
            return List.copyOf(instances);
        }

        /**
         * The instance a request goes to: the one its affinity cookie names when that one is in rotation, else the
         * next in turn (round robin) among those in rotation; null when none is.
         */
        public Instance pick(String affinity) {
            List<Instance> usable = instances.stream().filter(Instance::usable).toList();
            if (usable.isEmpty()) {
                return null;
            }
            if (affinity != null) {
                for (Instance i : usable) {
                    if (i.id.equals(affinity)) {
                        return i;
                    }
                }
            }
            return usable.get(Math.floorMod(next.getAndIncrement(), usable.size()));
        }

        /** A call to the instance could not connect: out of rotation until the supervisor replaces it. */
        public void unreachable(Instance instance) {
            instance.inRotation = false;
        }
    }

    private final SiteProperties properties;
    private final SiteRepository sites;
    private final AppServicePlans plans;
    private final ObjectMapper json;
    private final Map<String, Generation> current = new ConcurrentHashMap<>();
    private final Map<String, ReentrantLock> locks = new ConcurrentHashMap<>();
    private final HttpClient health = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final ExecutorService background = Executors.newVirtualThreadPerTaskExecutor();
    private volatile ScheduledExecutorService supervisor;
    private volatile long lastHealthCheck;

    private final CpuQuotas quotas;

    SiteInstances(SiteProperties properties, SiteRepository sites, AppServicePlans plans, ObjectMapper json,
                  CpuQuotas quotas) {
        this.quotas = quotas;
        this.properties = properties;
        this.sites = sites;
        this.plans = plans;
        this.json = json;
    }

    /** The site's folder under the content root: its deployments and its processes' logs. */
    public Path siteFolder(String siteName) {
        return Path.of(properties.contentRoot()).toAbsolutePath().resolve(siteName.toLowerCase(Locale.ROOT));
    }

    /**
     * Where a deployment's content lives: under the app's folder for the app and its slots alike, so a swap, which
     * gives a slot's deployment to the app, moves no file ({@code {content-root}/{app}/deployments/{id}}).
     */
    public Path deploymentFolder(Site site, String deploymentId) {
        return siteFolder(site.appName()).resolve("deployments").resolve(deploymentId);
    }

    /** What the site runs now, or null (no deployment yet, stopped, or not started). */
    public Generation current(String siteKey) {
        return current.get(siteKey);
    }

    /** The stack of a deployed package for this site (400 / {@link DeploymentFailure} when it cannot run). */
    Stack stackOf(Site site, Path dir) {
        return Stack.of(dir, configuredStack(site), text(site, "appCommandLine"), properties, json);
    }

    /**
     * Deploys: under the site's lock, starts a generation of the new content (when the site runs), then
     * {@code commit} records it, then the generation serves and the old one stops. A start that fails throws
     * {@link DeploymentFailure} and changes nothing; so does a commit that fails.
     */
    void deploy(Site site, String deploymentId, Path dir, Stack stack, Runnable commit) {
        ReentrantLock lock = lock(site.key());
        lock.lock();
        try {
            Generation started = site.running() && !quotas.quotaExceeded(site)
                    ? start(site, deploymentId, dir, stack) : null;
            try {
                commit.run();
            } catch (RuntimeException e) {
                if (started != null) {
                    stop(started);
                }
                throw e;
            }
            forget(site);
            Generation old = started == null ? current.remove(site.key()) : current.put(site.key(), started);
            if (old != null) {
                stop(old);
            }
        } finally {
            lock.unlock();
        }
    }

    /** A cached answer of {@link #siteNamed}. */
    private record Named(java.util.Optional<Site> site, long until) {
    }

    /** How long the front end reuses a site it looked up by name; every change of the site drops it at once. */
    private static final long NAMED_TTL_NANOS = TimeUnit.SECONDS.toNanos(1);
    private final Map<String, Named> named = new ConcurrentHashMap<>();

    /** The site a host name names, as stored (cached for a second; a change drops it). */
    public java.util.Optional<Site> siteNamed(String name) {
        String key = name.toLowerCase(Locale.ROOT);
        Named hit = named.get(key);
        long now = System.nanoTime();
        if (hit != null && hit.until - now > 0) {
            return hit.site;
        }
        java.util.Optional<Site> site = sites.findByName(key);
        if (named.size() > 10_000) {
            named.clear();
        }
        named.put(key, new Named(site, now + NAMED_TTL_NANOS));
        return site;
    }

    private void forget(Site site) {
        named.remove(site.name().toLowerCase(Locale.ROOT));
    }

    @Override
    public void changed(Site site) {
        forget(site);
        background.submit(() -> reconcile(site.key(), false));
    }

    @Override
    public void restart(Site site) {
        forget(site);
        background.submit(() -> reconcile(site.key(), true));
    }

    @Override
    public void removed(Site site) {
        forget(site);
        ReentrantLock lock = lock(site.key());
        lock.lock();
        try {
            Generation old = current.remove(site.key());
            if (old != null) {
                stop(old);
            }
            if (site.isSlot()) {
                // its logs; its deployment unless the app or another slot serves it since a swap
                ZipContent.delete(siteFolder(site.name()));
                if (site.activeDeployment() != null
                        && !sites.activeDeploymentsOfFamily(site.appKey()).contains(site.activeDeployment())) {
                    ZipContent.delete(deploymentFolder(site, site.activeDeployment()));
                }
            } else {
                ZipContent.delete(siteFolder(site.name()));
            }
        } finally {
            lock.unlock();
            locks.remove(site.key());
        }
    }

    @Override
    public void swap(Site a, Site b, Runnable commit) {
        List<Site> ordered = a.key().compareTo(b.key()) < 0 ? List.of(a, b) : List.of(b, a);
        ReentrantLock first = lock(ordered.get(0).key());
        ReentrantLock second = lock(ordered.get(1).key());
        first.lock();
        second.lock();
        try {
            Generation warmA = warm(a);
            Generation warmB;
            try {
                warmB = warm(b);
            } catch (RuntimeException e) {
                stopQuietly(warmA);
                throw e;
            }
            try {
                commit.run();
            } catch (RuntimeException e) {
                stopQuietly(warmA);
                stopQuietly(warmB);
                throw e;
            }
            forget(a);
            forget(b);
            Generation oldA = warmA == null ? current.remove(a.key()) : current.put(a.key(), warmA);
            Generation oldB = warmB == null ? current.remove(b.key()) : current.put(b.key(), warmB);
            drain(oldA);
            drain(oldB);
        } finally {
            second.unlock();
            first.unlock();
        }
    }

    /** The processes of a site's deployment with its settings, started and listening; null when none should run. */
    private Generation warm(Site site) {
        if (!site.running() || site.activeDeployment() == null || quotas.quotaExceeded(site)) {
            return null;
        }
        Path dir = deploymentFolder(site, site.activeDeployment());
        if (!Files.isDirectory(dir)) {
            return null;
        }
        return start(site, site.activeDeployment(), dir, stackOf(site, dir));
    }

    private void stopQuietly(Generation gen) {
        if (gen != null) {
            stop(gen);
        }
    }

    /** A generation no longer routed to stops after {@code drain-time}: the requests it serves end first. */
    private void drain(Generation gen) {
        if (gen == null) {
            return;
        }
        java.util.concurrent.CompletableFuture.delayedExecutor(properties.drainTime().toMillis(),
                TimeUnit.MILLISECONDS, background).execute(() -> stop(gen));
    }

    /**
     * Brings the site's processes to what is stored: none when stopped or without a deployment; otherwise a
     * generation of the active deployment with the site's environment (a new one when the environment changed or
     * {@code fresh}), with the plan's instance count, dead processes replaced.
     */
    void reconcile(String siteKey, boolean fresh) {
        ReentrantLock lock = lock(siteKey);
        lock.lock();
        Site site = null;
        try {
            // read under the lock: a deployment that held it has committed what it changed
            site = sites.find(siteKey).orElse(null);
            Generation gen = current.get(siteKey);
            if (site == null || !site.running() || site.activeDeployment() == null || quotas.quotaExceeded(site)) {
                if (gen != null) {
                    current.remove(siteKey);
                    stop(gen);
                }
                return;
            }
            Path dir = deploymentFolder(site, site.activeDeployment());
            if (!Files.isDirectory(dir)) {
                return; // the content is gone (removed by hand): nothing to run
            }
            Map<String, String> environment = environment(site);
            if (fresh || gen == null || !gen.deploymentId.equals(site.activeDeployment())
                    || !gen.environment.equals(environment)) {
                Generation started = start(site, site.activeDeployment(), dir, stackOf(site, dir));
                current.put(site.key(), started);
                if (gen != null) {
                    stop(gen);
                }
                return;
            }
            if (gen.isStatic()) {
                return;
            }
            int wanted = instanceCount(site);
            for (Instance instance : gen.instances) {
                if (!instance.usable() || instance.slot >= wanted) {
                    gen.instances.remove(instance);
                    kill(instance);
                    if (instance.slot < wanted) {
                        log.info("replacing instance {} of {} (exited or failing)", instance.id, site.name());
                    }
                }
            }
            Set<Integer> present = new java.util.HashSet<>();
            gen.instances.forEach(i -> present.add(i.slot));
            for (int slot = 0; slot < wanted; slot++) {
                if (!present.contains(slot)) {
                    gen.instances.add(startInstance(site, gen, slot));
                }
            }
        } catch (RuntimeException e) {
            log.warn("the processes of {} could not be brought to its settings: {}", siteKey, e.getMessage());
        } finally {
            lock.unlock();
        }
    }

    /** Starts a generation: every instance's process, each listening before this returns. */
    private Generation start(Site site, String deploymentId, Path dir, Stack stack) {
        Generation gen = new Generation(deploymentId, dir, stack, environment(site));
        if (stack.isStatic()) {
            return gen;
        }
        try {
            for (int slot = 0; slot < instanceCount(site); slot++) {
                gen.instances.add(startInstance(site, gen, slot));
            }
        } catch (RuntimeException e) {
            stop(gen);
            throw e;
        }
        return gen;
    }

    private Instance startInstance(Site site, Generation gen, int slot) {
        int port = freePort();
        String id = instanceId(site, slot);
        Path logFile = siteFolder(site.name()).resolve("logs").resolve(gen.deploymentId + "-" + slot + ".log");
        ProcessBuilder builder = new ProcessBuilder(gen.stack.command()).directory(gen.dir.toFile())
                .redirectErrorStream(true);
        Process process;
        try {
            Files.createDirectories(logFile.getParent());
            builder.redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()));
            Map<String, String> env = builder.environment();
            env.putAll(gen.environment);
            env.put("PORT", Integer.toString(port));
            env.put("SERVER_PORT", Integer.toString(port));
            env.put("HTTP_PLATFORM_PORT", Integer.toString(port));
            env.put("WEBSITE_INSTANCE_ID", id);
            env.put("WEBSITE_ROLE_INSTANCE_ID", Integer.toString(slot));
            process = builder.start();
        } catch (IOException e) {
            throw new DeploymentFailure("The " + gen.stack.name() + " process of '" + site.name() + "' could not "
                    + "start: " + e.getMessage());
        }
        Instance instance = new Instance(slot, id, port, process);
        long deadline = System.nanoTime() + properties.startupTimeout().toNanos();
        while (!listens(port)) {
            if (!process.isAlive()) {
                throw new DeploymentFailure("The " + gen.stack.name() + " process of '" + site.name() + "' exited "
                        + "with code " + process.exitValue() + " before it listened on PORT " + port + ". Its output "
                        + "ends with: " + tail(logFile));
            }
            if (System.nanoTime() - deadline > 0) {
                kill(instance);
                throw new DeploymentFailure("The " + gen.stack.name() + " process of '" + site.name() + "' did not "
                        + "listen on PORT " + port + " within " + properties.startupTimeout().toSeconds() + " s. Its "
                        + "output ends with: " + tail(logFile));
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(25));
        }
        log.info("instance {} of {} ({}) listens on {}", slot, site.name(), gen.stack.name(), port);
        return instance;
    }

    /** The environment of a site's processes, but for the per-instance variables. */
    public Map<String, String> environment(Site site) {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("WEBSITE_SITE_NAME", site.name());
        env.put("WEBSITE_HOSTNAME", properties.hostName(site.name()));
        env.put("WEBSITE_RESOURCE_GROUP", site.resourceGroup());
        env.put("WEBSITE_OWNER_NAME", site.subscriptionId() + "+" + site.resourceGroup() + "-" + site.location());
        env.put("WEBSITE_SKU", plans.find(site.serverFarmId()).map(p -> p.sku().tier().armName()).orElse(""));
        env.put("REGION_NAME", site.location());
        site.appSettings().forEach((name, value) -> {
            env.put(name, value);
            env.put("APPSETTING_" + name, value);
        });
        site.connectionStrings().forEach((name, cs) -> env.put(connectionStringPrefix(cs.type()) + name, cs.value()));
        String command = text(site, "appCommandLine");
        env.put("WEBSITE_STARTUP_COMMAND", command == null ? "" : command);
        String stack = configuredStack(site);
        env.put("WEBSITE_STACK", stack == null ? "" : stack);
        return env;
    }

    /** Azure's environment prefix of a connection string type ({@code SQLAZURECONNSTR_}, …). */
    static String connectionStringPrefix(String type) {
        return switch (type) {
            case "SQLServer" -> "SQLCONNSTR_";
            case "SQLAzure" -> "SQLAZURECONNSTR_";
            case "MySql" -> "MYSQLCONNSTR_";
            case "PostgreSQL" -> "POSTGRESQLCONNSTR_";
            case "NotificationHub" -> "NOTIFICATIONHUBCONNSTR_";
            case "ServiceBus" -> "SERVICEBUSCONNSTR_";
            case "EventHub" -> "EVENTHUBCONNSTR_";
            case "ApiHub" -> "APIHUBCONNSTR_";
            case "DocDb" -> "DOCDBCONNSTR_";
            case "RedisCache" -> "REDISCACHECONNSTR_";
            default -> "CUSTOMCONNSTR_";
        };
    }

    /** A stable id per site and instance: the hex SHA-256 of both, as Azure's instance ids look. */
    static String instanceId(Site site, int slot) {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest((site.key() + "#" + slot)
                    .getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(hash);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    public int instanceCount(Site site) {
        return plans.find(site.serverFarmId()).map(AppServicePlan::capacity).map(c -> Math.max(c, 1)).orElse(1);
    }

    private static String configuredStack(Site site) {
        String fx = text(site, "linuxFxVersion");
        if (fx != null && !fx.isBlank()) {
            int bar = fx.indexOf('|');
            return (bar < 0 ? fx : fx.substring(0, bar)).trim().toLowerCase(Locale.ROOT);
        }
        for (String[] pair : new String[][] {{"javaVersion", "java"}, {"nodeVersion", "node"},
                {"pythonVersion", "python"}}) {
            String v = text(site, pair[0]);
            if (v != null && !v.isBlank()) {
                return pair[1];
            }
        }
        return null;
    }

    private static String text(Site site, String name) {
        var v = site.siteConfig().get(name);
        return v == null || v.isNull() ? null : v.asString();
    }

    private static boolean listens(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new DeploymentFailure("No free port for an instance: " + e.getMessage());
        }
    }

    private static String tail(Path logFile) {
        try (RandomAccessFile file = new RandomAccessFile(logFile.toFile(), "r")) {
            long start = Math.max(0, file.length() - 2000);
            byte[] bytes = new byte[(int) (file.length() - start)];
            file.seek(start);
            file.readFully(bytes);
            String text = new String(bytes, StandardCharsets.UTF_8).strip();
            return text.isEmpty() ? "(no output)" : text;
        } catch (IOException e) {
            return "(no output)";
        }
    }

    private void stop(Generation gen) {
        gen.instances.forEach(SiteInstances::kill);
        gen.instances.clear();
    }

    private static void kill(Instance instance) {
        if (instance.process == null) {
            return;
        }
        instance.process.descendants().forEach(ProcessHandle::destroy);
        instance.process.destroy();
        try {
            if (!instance.process.waitFor(5, TimeUnit.SECONDS)) {
                instance.process.descendants().forEach(ProcessHandle::destroyForcibly);
                instance.process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            instance.process.destroyForcibly();
        }
    }

    private ReentrantLock lock(String siteKey) {
        return locks.computeIfAbsent(siteKey, k -> new ReentrantLock());
    }

    /** One pass of the supervisor: every running site as stored, every other site's processes ended. */
    void supervise() {
        try {
            List<Site> running = sites.running();
            Set<String> keys = new java.util.HashSet<>();
            boolean checkHealth = System.nanoTime() - lastHealthCheck > properties.healthCheckEvery().toNanos();
            if (checkHealth) {
                lastHealthCheck = System.nanoTime();
            }
            for (Site site : running) {
                keys.add(site.key());
                if (site.activeDeployment() == null && !current.containsKey(site.key())) {
                    continue; // nothing deployed: nothing to run
                }
                if (checkHealth) {
                    checkHealth(site);
                }
                Generation gen = current.get(site.key());
                if (gen != null && !gen.isStatic() && quotas.quotaOf(site) != null) {
                    quotas.measure(site, gen.instances.stream().filter(i -> i.process != null)
                            .map(i -> i.process.toHandle()).toList());
                }
                reconcile(site.key(), false);
            }
            for (String key : new ArrayList<>(current.keySet())) {
                if (!keys.contains(key)) {
                    ReentrantLock lock = lock(key);
                    if (lock.tryLock()) {
                        try {
                            if (sites.find(key).map(s -> !s.running()).orElse(true)) {
                                Generation gen = current.remove(key);
                                if (gen != null) {
                                    stop(gen);
                                }
                            }
                        } finally {
                            lock.unlock();
                        }
                    }
                }
            }
        } catch (RuntimeException e) {
            log.warn("supervising the web apps' processes failed: {}", e.toString());
        }
    }

    /** Asks each instance for the site's {@code healthCheckPath}; one failing it often enough leaves the rotation. */
    private void checkHealth(Site site) {
        String path = text(site, "healthCheckPath");
        Generation gen = current.get(site.key());
        if (path == null || path.isBlank() || gen == null || gen.isStatic()) {
            return;
        }
        for (Instance instance : gen.instances) {
            boolean healthy;
            try {
                HttpResponse<Void> answer = health.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                                + instance.port + path)).timeout(Duration.ofSeconds(2)).GET().build(),
                        HttpResponse.BodyHandlers.discarding());
                healthy = answer.statusCode() >= 200 && answer.statusCode() < 400;
            } catch (IOException e) {
                healthy = false;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            if (healthy) {
                instance.healthFailures.set(0);
            } else if (instance.healthFailures.incrementAndGet() >= properties.healthCheckFailures()) {
                log.info("instance {} of {} failed {} health checks of {}: out of rotation", instance.id, site.name(),
                        instance.healthFailures.get(), path);
                instance.inRotation = false;
            }
        }
    }

    @Override
    public synchronized void start() {
        if (supervisor != null) {
            return;
        }
        supervisor = Executors.newSingleThreadScheduledExecutor(r -> Thread.ofPlatform().daemon()
                .name("site-supervisor").unstarted(r));
        long every = properties.superviseEvery().toMillis();
        supervisor.scheduleWithFixedDelay(this::supervise, every, every, TimeUnit.MILLISECONDS);
        Runtime.getRuntime().addShutdownHook(Thread.ofPlatform().unstarted(this::stopAll));
    }

    @Override
    public synchronized void stop() {
        if (supervisor != null) {
            supervisor.shutdownNow();
            supervisor = null;
        }
        stopAll();
    }

    private void stopAll() {
        for (String key : new ArrayList<>(current.keySet())) {
            Generation gen = current.remove(key);
            if (gen != null) {
                stop(gen);
            }
        }
    }

    @Override
    public boolean isRunning() {
        return supervisor != null;
    }
}
