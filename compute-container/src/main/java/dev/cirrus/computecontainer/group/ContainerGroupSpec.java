package dev.cirrus.computecontainer.group;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;

/**
 * What a container group is made of, as its PUT described it and {@link ContainerGroupRequests} checked it: plain
 * data, stored as one JSON document ({@code container_groups.spec}). It holds the secrets a run needs (secure
 * environment values, secret volumes, registry passwords); {@link ContainerGroupView} never shows them.
 *
 * @param osType        Linux (Windows is refused: the Docker engine runs Linux containers)
 * @param restartPolicy Always, OnFailure or Never, as Azure spells them
 * @param sku           Standard, Dedicated or Confidential
 */
public record ContainerGroupSpec(String osType, String restartPolicy, String sku, List<Container> containers,
                                 List<InitContainer> initContainers, IpAddress ipAddress, List<Volume> volumes,
                                 List<RegistryCredential> imageRegistryCredentials) {

    public ContainerGroupSpec {
        containers = List.copyOf(containers);
        initContainers = initContainers == null ? List.of() : List.copyOf(initContainers);
        volumes = volumes == null ? List.of() : List.copyOf(volumes);
        imageRegistryCredentials = imageRegistryCredentials == null ? List.of() : List.copyOf(imageRegistryCredentials);
    }

    /** One container: its image and how it runs. */
    public record Container(String name, String image, List<String> command, List<Port> ports,
                            List<EnvironmentVariable> environmentVariables, Resources requests, Resources limits,
                            Probe livenessProbe, Probe readinessProbe, List<VolumeMount> volumeMounts) {
        public Container {
            command = command == null ? List.of() : List.copyOf(command);
            ports = ports == null ? List.of() : List.copyOf(ports);
            environmentVariables = environmentVariables == null ? List.of() : List.copyOf(environmentVariables);
            volumeMounts = volumeMounts == null ? List.of() : List.copyOf(volumeMounts);
        }

        /** What the runtime enforces: the limit when given, else the request (Azure's default). */
        public Resources enforced() {
            if (limits == null) {
                return requests;
            }
            return new Resources(limits.cpu() != null ? limits.cpu() : requests.cpu(),
                    limits.memoryInGB() != null ? limits.memoryInGB() : requests.memoryInGB());
        }
    }

    /** A container run to its end before the group's containers start. */
    public record InitContainer(String name, String image, List<String> command,
                                List<EnvironmentVariable> environmentVariables, List<VolumeMount> volumeMounts) {
        public InitContainer {
            command = command == null ? List.of() : List.copyOf(command);
            environmentVariables = environmentVariables == null ? List.of() : List.copyOf(environmentVariables);
            volumeMounts = volumeMounts == null ? List.of() : List.copyOf(volumeMounts);
        }
    }

    /** {@code protocol}: TCP or UDP. */
    public record Port(int port, String protocol) {
    }

    /** Exactly one of {@code value} and {@code secureValue} may be set (both null: an empty value). */
    public record EnvironmentVariable(String name, String value, String secureValue) {
        public boolean secure() {
            return secureValue != null;
        }

        public String effectiveValue() {
            return secureValue != null ? secureValue : value == null ? "" : value;
        }
    }

    /** vCPU and GB; either may be null in {@code limits}. */
    public record Resources(BigDecimal cpu, BigDecimal memoryInGB) {
    }

    /** A liveness or readiness probe: exactly one of {@code exec} and {@code httpGet}. */
    public record Probe(List<String> exec, HttpGet httpGet, Integer initialDelaySeconds, Integer periodSeconds,
                        Integer failureThreshold, Integer successThreshold, Integer timeoutSeconds) {
    }

    /** {@code scheme}: http or https. */
    public record HttpGet(String path, int port, String scheme) {
    }

    public record VolumeMount(String name, String mountPath, boolean readOnly) {
    }

    /**
     * A volume: an empty directory shared by the group's containers, or secret files ({@code secret}: file name →
     * base64 content, never shown).
     */
    public record Volume(String name, boolean emptyDir, Map<String, String> secret) {
    }

    /** {@code type}: Public or Private; {@code dnsNameLabel} may be null. */
    public record IpAddress(String type, List<Port> ports, String dnsNameLabel) {
        public IpAddress {
            ports = List.copyOf(ports);
        }
    }

    /** Used for the pulls of images from {@code server}; the password is never shown. */
    public record RegistryCredential(String server, String username, String password) {
    }

    /** The vCPU the group requests: the sum of its containers' requests (what placement and billing count). */
    public BigDecimal cpu() {
        return containers.stream().map(c -> c.requests().cpu()).reduce(BigDecimal.ZERO, BigDecimal::add);
    }

    /** The memory the group requests in GB: the sum of its containers' requests. */
    public BigDecimal memoryInGB() {
        return containers.stream().map(c -> c.requests().memoryInGB()).reduce(BigDecimal.ZERO, BigDecimal::add);
    }
}
