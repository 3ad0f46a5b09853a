package dev.cirrus.computecontainer.runtime;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.command.CreateContainerCmd;
import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.command.PullImageResultCallback;
import com.github.dockerjava.api.command.WaitContainerResultCallback;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.AccessMode;
import com.github.dockerjava.api.model.AuthConfig;
import com.github.dockerjava.api.model.Bind;
import com.github.dockerjava.api.model.ExposedPort;
import com.github.dockerjava.api.model.Frame;
import com.github.dockerjava.api.model.HostConfig;
import com.github.dockerjava.api.model.InternetProtocol;
import com.github.dockerjava.api.model.Ports;
import com.github.dockerjava.api.model.RestartPolicy;
import com.github.dockerjava.api.model.Volume;
import com.github.dockerjava.core.DefaultDockerClientConfig;
import com.github.dockerjava.core.DockerClientConfig;
import com.github.dockerjava.core.DockerClientImpl;
import com.github.dockerjava.zerodep.ZerodepDockerHttpClient;
import dev.cirrus.computecontainer.group.ContainerGroupSpec;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Docker engine container groups run on, through the Docker Engine API (docker-java; {@code DOCKER_HOST} or
 * {@code cirrus.container.docker.host} names it). A group is run the way Azure runs one, its containers sharing one
 * network namespace:
 * <ol>
 *   <li>the images are made present (pulled with the group's registry credential for their server when absent);</li>
 *   <li>init containers run one after the other to their end (a non-zero exit fails the group);</li>
 *   <li>the group's first container is created with the group's IP address ports published on 127.0.0.1 (a free
 *       host port each); every other container joins its network namespace ({@code --network container:…}), so the
 *       containers of a group reach each other on localhost;</li>
 *   <li>each container gets its CPU quota ({@code NanoCpus}) and memory limit from its limits (else its requests),
 *       its environment (secure values included), its command as entrypoint, its volumes (a Docker volume per
 *       emptyDir or secret volume of the group; secret files are written in before any container starts), and Docker's restart
 *       policy for the group's one (Always → always, OnFailure → on-failure, Never → no);</li>
 *   <li>every container and volume carries the labels {@value #OWNER} (this service's owner name),
 *       {@value #GROUP} (the group's platform id) and {@value #CONTAINER} (the container's name): after a restart
 *       the service adopts what it knows and removes the rest ({@code GroupMonitor}).</li>
 * </ol>
 * If anything fails on the way, everything the group had on the engine is removed before the error is thrown.
 */
public class DockerEngine implements AutoCloseable {

    public static final String OWNER = "dev.cirrus.owner";
    public static final String GROUP = "dev.cirrus.container-group";
    public static final String CONTAINER = "dev.cirrus.container";
    public static final String RESOURCE = "dev.cirrus.resource-id";

    private static final Logger log = LoggerFactory.getLogger(DockerEngine.class);
    private static final long GIB = 1024L * 1024L * 1024L;

    /** What one run of a group produced: the Docker id of each container and the host port of each group port. */
    public record Deployment(Map<String, String> containerIds, Map<Integer, Integer> publishedPorts) {
    }

    /** What the engine says about one container now. */
    public record Observed(String id, String status, boolean running, boolean restarting, Integer exitCode,
                           Instant startedAt, Instant finishedAt, int restartCount, boolean oomKilled) {
    }

    /** A container this service owns, by its labels. */
    public record Owned(String id, String groupId, String container) {
    }

    private final DockerClient docker;
    private final String host;
    private final String owner;
    private final Duration pullTimeout;
    private int engineCpus;

    public DockerEngine(DockerProperties properties) {
        DefaultDockerClientConfig.Builder builder = DefaultDockerClientConfig.createDefaultConfigBuilder();
        if (properties.host() != null) {
            builder.withDockerHost(properties.host());
        }
        DockerClientConfig config = builder.build();
        URI uri = config.getDockerHost();
        this.host = uri.toString();
        this.docker = DockerClientImpl.getInstance(config, new ZerodepDockerHttpClient.Builder()
                .dockerHost(uri)
                .sslConfig(config.getSSLConfig())
                .maxConnections(32)
                .connectionTimeout(Duration.ofSeconds(3))
                .responseTimeout(Duration.ofMinutes(5))
                .build());
        this.owner = properties.owner();
        this.pullTimeout = properties.pullTimeout();
    }

    /** The engine's address, as configured or found. */
    public String host() {
        return host;
    }

    public String owner() {
        return owner;
    }

    /** The client, for what this class does not wrap (tests build images with it). */
    public DockerClient client() {
        return docker;
    }

    /** True when an engine answers at {@link #host()}. */
    public boolean answers() {
        try {
            docker.pingCmd().exec();
            return true;
        } catch (RuntimeException e) {
            return false;
        }
    }

    /** Unless an engine answers: {@link EngineUnavailableException}, saying how to give Cirrus one. */
    public void requireEngine() {
        try {
            docker.pingCmd().exec();
        } catch (RuntimeException e) {
            throw new EngineUnavailableException(host, e);
        }
    }

    /**
     * Makes an image present: nothing to do when the engine has it, else a pull with the credential of its server.
     *
     * @return true when it was pulled, false when it was already there
     */
    public boolean ensureImage(String image, List<ContainerGroupSpec.RegistryCredential> credentials) {
        requireEngine();
        try {
            docker.inspectImageCmd(image).exec();
            return false;
        } catch (NotFoundException absent) {
            // pulled below
        }
        ImageReference ref = ImageReference.parse(image).orElseThrow(() -> new ImageInaccessibleException(image,
                "The image '" + image + "' is not a valid image reference.", null));
        var pull = docker.pullImageCmd(ref.repositoryWithRegistry());
        if (ref.digest() != null) {
            pull = docker.pullImageCmd(ref.repositoryWithRegistry() + "@" + ref.digest());
        } else {
            pull.withTag(ref.tagOrLatest());
        }
        if (ref.registry() != null) {
            for (ContainerGroupSpec.RegistryCredential c : credentials) {
                if (c.server().equalsIgnoreCase(ref.registry())) {
                    pull.withAuthConfig(new AuthConfig().withRegistryAddress(c.server()).withUsername(c.username())
                            .withPassword(c.password()));
                }
            }
        }
        try {
            boolean done = pull.exec(new PullImageResultCallback()).awaitCompletion(pullTimeout.toMillis(),
                    TimeUnit.MILLISECONDS);
            if (!done) {
                throw new ImageInaccessibleException(image, "Pulling the image '" + image + "' took longer than "
                        + pullTimeout.toSeconds() + " s.", null);
            }
            docker.inspectImageCmd(image).exec();
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ImageInaccessibleException(image, "Pulling the image '" + image + "' was interrupted.", e);
        } catch (ImageInaccessibleException e) {
            throw e;
        } catch (RuntimeException e) {
            if (!answers()) {
                throw new EngineUnavailableException(host, e);
            }
            throw new ImageInaccessibleException(image, "The image '" + image + "' is not on the Docker engine and "
                    + "could not be pulled: " + firstLine(e.getMessage()), e);
        }
    }

    /** Runs a group's init containers, then creates and starts its containers (see the class comment). */
    public Deployment deploy(UUID groupId, String resourceId, ContainerGroupSpec spec) {
        requireEngine();
        try {
            Map<String, String> volumes = volumes(groupId, spec);
            for (ContainerGroupSpec.InitContainer init : spec.initContainers()) {
                runInit(groupId, resourceId, init, volumes);
            }
            Map<String, String> ids = new LinkedHashMap<>();
            String first = null;
            for (ContainerGroupSpec.Container c : spec.containers()) {
                String id = create(groupId, resourceId, c, spec, volumes, first);
                ids.put(c.name(), id);
                if (first == null) {
                    first = id;
                }
            }
            for (String id : ids.values()) {
                docker.startContainerCmd(id).exec();
            }
            return new Deployment(ids, publishedPorts(first, spec));
        } catch (RuntimeException e) {
            try {
                removeGroup(groupId);
            } catch (RuntimeException cleanup) {
                e.addSuppressed(cleanup);
            }
            if (!answers()) {
                throw new EngineUnavailableException(host, e);
            }
            throw e;
        }
    }

    /** Removes every container and volume of a group (stopping what runs); nothing left is no error. */
    public void removeGroup(UUID groupId) {
        List<com.github.dockerjava.api.model.Container> containers = docker.listContainersCmd().withShowAll(true)
                .withLabelFilter(Map.of(OWNER, owner, GROUP, groupId.toString())).exec();
        // the engine lists the newest first, so the namespace holder (the first container created) goes last
        for (com.github.dockerjava.api.model.Container c : containers) {
            remove(c.getId());
        }
        var volumes = docker.listVolumesCmd().withFilter("label", List.of(OWNER + "=" + owner,
                GROUP + "=" + groupId)).exec().getVolumes();
        for (var volume : volumes == null ? List.<com.github.dockerjava.api.command.InspectVolumeResponse>of() : volumes) {
            try {
                docker.removeVolumeCmd(volume.getName()).exec();
            } catch (NotFoundException gone) {
                // removed meanwhile
            }
        }
    }

    /** Removes one container, killed at once if it runs (as Azure's stop ends a group); nothing left is no error. */
    public void remove(String containerId) {
        try {
            docker.removeContainerCmd(containerId).withForce(true).withRemoveVolumes(true).exec();
        } catch (NotFoundException gone) {
            // removed meanwhile
        }
    }

    /** What the engine says about a container now; empty when it is gone. */
    public Optional<Observed> observe(String containerId) {
        try {
            InspectContainerResponse r = docker.inspectContainerCmd(containerId).exec();
            var s = r.getState();
            Long exit = s.getExitCodeLong();
            return Optional.of(new Observed(containerId, s.getStatus(), Boolean.TRUE.equals(s.getRunning()),
                    Boolean.TRUE.equals(s.getRestarting()), exit == null ? null : exit.intValue(),
                    time(s.getStartedAt()), time(s.getFinishedAt()),
                    r.getRestartCount() == null ? 0 : r.getRestartCount(), Boolean.TRUE.equals(s.getOOMKilled())));
        } catch (NotFoundException gone) {
            return Optional.empty();
        }
    }

    /** Every container this service's owner name labels. */
    public List<Owned> owned() {
        return docker.listContainersCmd().withShowAll(true).withLabelFilter(Map.of(OWNER, owner)).exec().stream()
                .map(c -> new Owned(c.getId(), c.getLabels().get(GROUP), c.getLabels().get(CONTAINER)))
                .toList();
    }

    /**
     * A container's output, stdout and stderr interleaved as Docker keeps them.
     *
     * @param tail       the last lines only, or null for all
     * @param timestamps each line prefixed with its RFC 3339 time
     */
    public String logs(String containerId, Integer tail, boolean timestamps) {
        StringBuilder out = new StringBuilder();
        var cmd = docker.logContainerCmd(containerId).withStdOut(true).withStdErr(true).withTimestamps(timestamps);
        if (tail != null) {
            cmd.withTail(tail);
        } else {
            cmd.withTailAll();
        }
        try {
            cmd.exec(new ResultCallback.Adapter<Frame>() {
                @Override
                public void onNext(Frame frame) {
                    synchronized (out) {
                        out.append(new String(frame.getPayload(), StandardCharsets.UTF_8));
                    }
                }
            }).awaitCompletion(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        synchronized (out) {
            return out.toString();
        }
    }

    private Map<String, String> volumes(UUID groupId, ContainerGroupSpec spec) {
        Map<String, String> names = new HashMap<>();
        for (ContainerGroupSpec.Volume v : spec.volumes()) {
            String name = "cirrus-" + groupId + "-" + v.name();
            docker.createVolumeCmd().withName(name).withLabels(Map.of(OWNER, owner, GROUP, groupId.toString())).exec();
            names.put(v.name(), name);
            if (v.secret() != null && !v.secret().isEmpty()) {
                writeSecrets(groupId, name, v.secret(), spec.containers().getFirst().image());
            }
        }
        return names;
    }

    private void runInit(UUID groupId, String resourceId, ContainerGroupSpec.InitContainer init,
                         Map<String, String> volumes) {
        CreateContainerCmd cmd = docker.createContainerCmd(init.image())
                .withName("cirrus-" + groupId + "-init-" + init.name())
                .withLabels(labels(groupId, resourceId, init.name()))
                .withEnv(init.environmentVariables().stream().map(e -> e.name() + "=" + e.effectiveValue()).toList())
                .withHostConfig(HostConfig.newHostConfig().withBinds(binds(init.volumeMounts(), volumes)));
        if (!init.command().isEmpty()) {
            cmd.withEntrypoint(init.command());
        }
        String id = cmd.exec().getId();
        docker.startContainerCmd(id).exec();
        Integer status = docker.waitContainerCmd(id).exec(new WaitContainerResultCallback())
                .awaitStatusCode(10, TimeUnit.MINUTES);
        remove(id);
        if (status == null || status != 0) {
            throw new IllegalStateException("The init container '" + init.name() + "' exited with code " + status
                    + ".");
        }
    }

    private String create(UUID groupId, String resourceId, ContainerGroupSpec.Container c, ContainerGroupSpec spec,
                          Map<String, String> volumes, String namespaceHolder) {
        ContainerGroupSpec.Resources enforced = c.enforced();
        // the engine refuses a quota above its machine's CPUs: a 4-vCPU group on a 2-core laptop gets all of them
        BigDecimal cpu = enforced.cpu().min(BigDecimal.valueOf(cpus()));
        HostConfig host = HostConfig.newHostConfig()
                .withNanoCPUs(cpu.multiply(BigDecimal.valueOf(1_000_000_000L)).longValue())
                .withMemory(enforced.memoryInGB().multiply(BigDecimal.valueOf(GIB)).longValue())
                .withRestartPolicy(switch (spec.restartPolicy()) {
                    case "Never" -> RestartPolicy.noRestart();
                    case "OnFailure" -> RestartPolicy.onFailureRestart(0);
                    default -> RestartPolicy.alwaysRestart();
                })
                .withBinds(binds(c.volumeMounts(), volumes));
        CreateContainerCmd cmd = docker.createContainerCmd(c.image())
                .withName("cirrus-" + groupId + "-" + c.name())
                .withLabels(labels(groupId, resourceId, c.name()))
                .withEnv(c.environmentVariables().stream().map(e -> e.name() + "=" + e.effectiveValue()).toList());
        if (!c.command().isEmpty()) {
            cmd.withEntrypoint(c.command());
        }
        if (namespaceHolder == null) {
            List<ExposedPort> exposed = new ArrayList<>();
            Ports bindings = new Ports();
            if (spec.ipAddress() != null) {
                for (ContainerGroupSpec.Port p : spec.ipAddress().ports()) {
                    ExposedPort port = new ExposedPort(p.port(), InternetProtocol.parse(p.protocol()
                            .toLowerCase(Locale.ROOT)));
                    exposed.add(port);
                    // loopback only, a free port each: the gateway routes the group's fqdn to it
                    bindings.bind(port, Ports.Binding.bindIp("127.0.0.1"));
                }
            }
            cmd.withExposedPorts(exposed);
            host.withPortBindings(bindings);
        } else {
            host.withNetworkMode("container:" + namespaceHolder);
        }
        return cmd.withHostConfig(host).exec().getId();
    }

    /** The CPUs of the engine's machine, asked once. */
    private synchronized int cpus() {
        if (engineCpus == 0) {
            Integer n = docker.infoCmd().exec().getNCPU();
            engineCpus = n == null || n < 1 ? 1 : n;
        }
        return engineCpus;
    }

    private static List<Bind> binds(List<ContainerGroupSpec.VolumeMount> mounts, Map<String, String> volumes) {
        return mounts.stream().map(m -> new Bind(volumes.get(m.name()), new Volume(m.mountPath()),
                m.readOnly() ? AccessMode.ro : AccessMode.rw)).toList();
    }

    /**
     * Writes a secret volume's files: through a helper container of the group's first image (created, never
     * started) that mounts the volume writable, since the group's own containers may mount it read-only.
     */
    private void writeSecrets(UUID groupId, String volumeName, Map<String, String> files, String image) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (TarArchiveOutputStream tar = new TarArchiveOutputStream(bytes)) {
            for (Map.Entry<String, String> file : files.entrySet()) {
                byte[] content = Base64.getDecoder().decode(file.getValue());
                TarArchiveEntry entry = new TarArchiveEntry("cirrus-secret/" + file.getKey());
                entry.setSize(content.length);
                entry.setMode(0444);
                tar.putArchiveEntry(entry);
                tar.write(content);
                tar.closeArchiveEntry();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        String helper = docker.createContainerCmd(image).withName("cirrus-" + groupId + "-secrets-" + volumeName)
                .withLabels(Map.of(OWNER, owner, GROUP, groupId.toString()))
                // never started; the engine wants a command all the same, and an image need not have one
                .withEntrypoint("/cirrus-never-started")
                .withHostConfig(HostConfig.newHostConfig().withBinds(new Bind(volumeName, new Volume("/cirrus-secret"))))
                .exec().getId();
        try {
            docker.copyArchiveToContainerCmd(helper).withRemotePath("/")
                    .withTarInputStream(new ByteArrayInputStream(bytes.toByteArray())).exec();
        } finally {
            remove(helper);
        }
    }

    private Map<String, String> labels(UUID groupId, String resourceId, String container) {
        return Map.of(OWNER, owner, GROUP, groupId.toString(), CONTAINER, container, RESOURCE, resourceId);
    }

    private Map<Integer, Integer> publishedPorts(String firstId, ContainerGroupSpec spec) {
        Map<Integer, Integer> ports = new LinkedHashMap<>();
        if (spec.ipAddress() == null) {
            return ports;
        }
        var bindings = docker.inspectContainerCmd(firstId).exec().getNetworkSettings().getPorts().getBindings();
        for (var entry : bindings.entrySet()) {
            Ports.Binding[] bound = entry.getValue();
            if (bound != null && bound.length > 0 && bound[0].getHostPortSpec() != null) {
                ports.put(entry.getKey().getPort(), Integer.parseInt(bound[0].getHostPortSpec()));
            }
        }
        return ports;
    }

    private static Instant time(String dockerTime) {
        if (dockerTime == null || dockerTime.isEmpty() || dockerTime.startsWith("0001-")) {
            return null;
        }
        try {
            return Instant.parse(dockerTime);
        } catch (RuntimeException e) {
            return null;
        }
    }

    private static String firstLine(String text) {
        if (text == null) {
            return "no reason given";
        }
        String line = text.strip().lines().findFirst().orElse(text);
        return line.length() > 300 ? line.substring(0, 300) + "…" : line;
    }

    @Override
    public void close() {
        try {
            docker.close();
        } catch (IOException e) {
            log.debug("closing the Docker client: {}", e.toString());
        }
    }
}
