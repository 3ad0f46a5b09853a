package dev.cirrus.launcher;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * How to run the local platform. Build one with {@link #builder()}; every setting has a default.
 *
 * @param repoRoot         the repository root, where {@code {module}/target/{module}-*-exec.jar} are found
 * @param dataDir          where PostgreSQL, Kafka, the logs and the run statistics live; kept across restarts
 * @param ports            the ports of everything
 * @param services         which services to run (all of them unless a test or a partial build says otherwise)
 * @param readinessTimeout how long each service may take to answer its readiness probe
 * @param stopTimeout      how long services get to stop after SIGTERM before they are killed
 * @param stagger          pause between launching two services (zero: launch all at once)
 * @param javaCommand      the {@code java} that runs the services
 * @param jvmOptions       options of every service JVM
 * @param classDataSharing run the services with a class data sharing archive each (see {@link ClassDataSharing})
 * @param restartPolicy    when a service that exits unexpectedly is started again ({@link RestartPolicy#DEFAULT})
 */
public record PlatformConfig(Path repoRoot, Path dataDir, PortPlan ports, Set<ServiceModule> services,
                             Duration readinessTimeout, Duration stopTimeout, Duration stagger, Path javaCommand,
                             List<String> jvmOptions, boolean classDataSharing, RestartPolicy restartPolicy) {

    /** Small heaps and a quick JIT: seven JVMs share a laptop (or a 2-core CI machine) with PostgreSQL and Kafka. */
    public static final List<String> DEFAULT_JVM_OPTIONS =
            List.of("-Xmx160m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Xss512k");

    /**
     * The services every request of their kind passes through (each ARM call; each placement) keep the full JIT: the
     * configured {@code -XX:TieredStopAtLevel} is left out of their command. With C1 alone the gateway spent 2.2x the
     * CPU per proxied request in steady state (gateway/bench-results/gateway-vs-direct.md, the lead's C1 run).
     */
    public static final Set<ServiceModule> FULL_JIT = Collections.unmodifiableSet(
            EnumSet.of(ServiceModule.GATEWAY, ServiceModule.PLACEMENT_ENGINE));

    public PlatformConfig {
        repoRoot = repoRoot.toAbsolutePath().normalize();
        dataDir = dataDir.toAbsolutePath().normalize();
        if (services.isEmpty()) {
            throw new IllegalArgumentException("no service to run");
        }
        services = Collections.unmodifiableSet(EnumSet.copyOf(services));
        if (readinessTimeout.isNegative() || readinessTimeout.isZero()) {
            throw new IllegalArgumentException("the readiness timeout must be positive");
        }
        if (stopTimeout.isNegative() || stagger.isNegative()) {
            throw new IllegalArgumentException("the stop timeout and the stagger cannot be negative");
        }
        jvmOptions = List.copyOf(jvmOptions);
        restartPolicy = restartPolicy == null ? RestartPolicy.DEFAULT : restartPolicy;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The services to run, in start order. */
    public List<ServiceModule> servicesInStartOrder() {
        return List.copyOf(services);
    }

    public Builder toBuilder() {
        return new Builder().repoRoot(repoRoot).dataDir(dataDir).ports(ports).services(services)
                .readinessTimeout(readinessTimeout).stopTimeout(stopTimeout).stagger(stagger)
                .javaCommand(javaCommand).jvmOptions(jvmOptions).classDataSharing(classDataSharing)
                .restartPolicy(restartPolicy);
    }

    /**
     * The repository root at or above {@code from}: the first directory holding {@code launcher/pom.xml}. Tests
     * run with the module as working directory, so they find the root one level up.
     */
    public static Path locateRepoRoot(Path from) {
        for (Path dir = from.toAbsolutePath().normalize(); dir != null; dir = dir.getParent()) {
            if (Files.isRegularFile(dir.resolve("launcher").resolve("pom.xml"))) {
                return dir;
            }
        }
        throw new IllegalArgumentException("no Cirrus repository (a directory with launcher/pom.xml) at or above " + from);
    }

    /** The {@code java} of this JVM, so that services run on the same JDK as the launcher. */
    public static Path currentJava() {
        return ProcessHandle.current().info().command().map(Path::of)
                .orElse(Path.of(System.getProperty("java.home"), "bin", "java"));
    }

    public static final class Builder {
        private Path repoRoot = Path.of("");
        // the documented default: a hidden folder in the directory the platform is started from
        private Path dataDir = Path.of(".cirrus-data");
        private PortPlan ports = PortPlan.defaults();
        private Set<ServiceModule> services = EnumSet.allOf(ServiceModule.class);
        // generous: seven JVMs starting at once on two cores take about a minute; a slow disk doubles that
        private Duration readinessTimeout = Duration.ofSeconds(180);
        // Spring's graceful shutdown finishes in-flight requests well within this
        private Duration stopTimeout = Duration.ofSeconds(20);
        // measured on 2 cores: staggering the launches gains nothing (launcher/README.md), the CPUs are the limit
        private Duration stagger = Duration.ZERO;
        private Path javaCommand = currentJava();
        private List<String> jvmOptions = DEFAULT_JVM_OPTIONS;
        // off for the API: tests start on fresh folders, where an archive costs time and never pays off
        private boolean classDataSharing = false;
        private RestartPolicy restartPolicy = RestartPolicy.DEFAULT;

        public Builder repoRoot(Path repoRoot) {
            this.repoRoot = repoRoot;
            return this;
        }

        public Builder dataDir(Path dataDir) {
            this.dataDir = dataDir;
            return this;
        }

        public Builder ports(PortPlan ports) {
            this.ports = ports;
            return this;
        }

        public Builder services(Set<ServiceModule> services) {
            this.services = services.isEmpty() ? Set.of() : EnumSet.copyOf(services);
            return this;
        }

        public Builder services(ServiceModule first, ServiceModule... rest) {
            this.services = EnumSet.of(first, rest);
            return this;
        }

        public Builder readinessTimeout(Duration readinessTimeout) {
            this.readinessTimeout = readinessTimeout;
            return this;
        }

        public Builder stopTimeout(Duration stopTimeout) {
            this.stopTimeout = stopTimeout;
            return this;
        }

        public Builder stagger(Duration stagger) {
            this.stagger = stagger;
            return this;
        }

        public Builder javaCommand(Path javaCommand) {
            this.javaCommand = javaCommand;
            return this;
        }

        public Builder jvmOptions(List<String> jvmOptions) {
            this.jvmOptions = jvmOptions;
            return this;
        }

        public Builder classDataSharing(boolean classDataSharing) {
            this.classDataSharing = classDataSharing;
            return this;
        }

        public Builder restartPolicy(RestartPolicy restartPolicy) {
            this.restartPolicy = restartPolicy;
            return this;
        }

        public PlatformConfig build() {
            return new PlatformConfig(repoRoot, dataDir, ports, services, readinessTimeout, stopTimeout, stagger,
                    javaCommand, jvmOptions, classDataSharing, restartPolicy);
        }
    }
}
