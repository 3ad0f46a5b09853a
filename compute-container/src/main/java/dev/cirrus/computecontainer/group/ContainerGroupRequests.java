package dev.cirrus.computecontainer.group;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

import dev.cirrus.computecontainer.runtime.ImageReference;
import dev.cirrus.contracts.arm.ArmJson;
import dev.cirrus.contracts.arm.ArmTags;
import dev.cirrus.plumbing.arm.ArmException;
import dev.cirrus.plumbing.arm.Regions;
import tools.jackson.databind.JsonNode;

/**
 * Reads a container group's PUT body into a {@link ContainerGroupSpec}, refusing what Azure refuses, each refusal
 * a 400 naming the property ({@code target}) with Azure's code where Azure has one:
 * <ul>
 *   <li>names: the group and its containers 1-63 lower-case letters, digits and inner dashes
 *       ({@code InvalidContainerGroupName}, {@code InvalidContainerName}), no two containers alike
 *       ({@code DuplicateContainerName});</li>
 *   <li>resources: requests of more than 0 vCPU and GB, limits at least the request
 *       ({@code ResourceLimitsLessThanRequests}) and at most the group's total request
 *       ({@code ContainerLimitGreaterThanContainerGroupTotalRequest}), the group within the configured ceiling
 *       ({@code ResourceRequestsNotSupported});</li>
 *   <li>ports: 1-65535, TCP or UDP, no port twice in the group (its containers share one network namespace:
 *       {@code DuplicateContainerPorts}); the IP address's ports among the containers' ports
 *       ({@code InvalidIpAddressPorts}), at most 5;</li>
 *   <li>{@code restartPolicy} Always, OnFailure or Never and {@code osType} Linux or Windows exactly as Azure spells
 *       them ({@code InvalidParameter}); Windows is refused here ({@code UnsupportedOsType});</li>
 *   <li>images the engine would refuse ({@code InvalidImageName}); registry credentials for a server no image is
 *       pulled from ({@code InvalidImageRegistryCredential});</li>
 *   <li>probes with exactly one of exec and httpGet, sensible numbers ({@code InvalidProbe}); volume mounts of
 *       declared volumes ({@code InvalidVolumeMount}); volumes emptyDir or secret with base64 files
 *       ({@code InvalidVolume}); a DNS name label of 5-63 characters starting with a letter
 *       ({@code InvalidDnsNameLabel}).</li>
 * </ul>
 */
public final class ContainerGroupRequests {

    static final String TYPE = "Microsoft.ContainerInstance/containerGroups";
    private static final Pattern NAME = Pattern.compile("[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?");
    private static final Pattern DNS_LABEL = Pattern.compile("[a-z][a-z0-9-]{3,61}[a-z0-9]");
    private static final Pattern ENV_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_.-]{0,255}");
    private static final Pattern FILE_NAME = Pattern.compile("[A-Za-z0-9._-]{1,253}");
    private static final int MAX_CONTAINERS = 60;
    private static final int MAX_VOLUMES = 20;
    private static final int MAX_IP_PORTS = 5;
    private static final BigDecimal MAX_NUMBER = new BigDecimal("1000000");

    /** What a PUT asks for. */
    public record Put(String location, Map<String, String> tags, ContainerGroupSpec spec) {
    }

    private final Regions regions;
    private final ContainerGroupProperties limits;

    public ContainerGroupRequests(Regions regions, ContainerGroupProperties limits) {
        this.regions = regions;
        this.limits = limits;
    }

    /** 400 {@code InvalidContainerGroupName} unless 1-63 lower-case letters, digits and inner dashes. */
    public static void checkName(String name) {
        if (name == null || !NAME.matcher(name).matches()) {
            throw ArmException.badRequest("InvalidContainerGroupName", "The container group name '"
                    + printable(name) + "' is invalid. The container group name must contain no more than 63 "
                    + "characters and must match the regex '[a-z0-9]([-a-z0-9]*[a-z0-9])?' (e.g. 'my-name').", "name");
        }
    }

    public Put put(String name, JsonNode body) {
        checkName(name);
        ArmJson.requireObject(body);
        String locationText = ArmJson.string(body, "location", "location");
        if (locationText == null || locationText.isBlank()) {
            throw ArmException.badRequest("LocationRequired", "The location property is required for this definition.",
                    "location");
        }
        String location = regions.require(locationText, TYPE, "location");
        Map<String, String> tags = ArmTags.read(body);
        JsonNode p = ArmJson.object(body, "properties", "properties");
        if (p == null) {
            throw ArmJson.missing("properties", "properties");
        }
        String osType = exact(p, "osType", "properties.osType", true, "Linux", "Windows");
        if (osType.equals("Windows")) {
            throw ArmException.badRequest("UnsupportedOsType", "The OS type 'Windows' of container group '" + name
                    + "' is not supported here: Cirrus runs container groups on a Docker engine with Linux containers.",
                    "properties.osType");
        }
        String restartPolicy = exact(p, "restartPolicy", "properties.restartPolicy", false, "Always", "OnFailure",
                "Never");
        String sku = exact(p, "sku", "properties.sku", false, "Standard", "Dedicated", "Confidential");
        List<ContainerGroupSpec.Volume> volumes = volumes(p);
        Set<String> volumeNames = new HashSet<>();
        volumes.forEach(v -> volumeNames.add(v.name()));
        List<ContainerGroupSpec.Container> containers = containers(name, p, volumeNames);
        List<ContainerGroupSpec.InitContainer> inits = initContainers(name, p, volumeNames, containers);
        checkResources(name, location, containers);
        ContainerGroupSpec.IpAddress ip = ipAddress(name, p, containers);
        List<ContainerGroupSpec.RegistryCredential> credentials = credentials(p, containers, inits);
        ArmJson.object(p, "diagnostics", "properties.diagnostics");
        ArmJson.array(p, "subnetIds", "properties.subnetIds");
        return new Put(location, tags, new ContainerGroupSpec(osType, restartPolicy == null ? "Always" : restartPolicy,
                sku == null ? "Standard" : sku, containers, inits, ip, volumes, credentials));
    }

    private List<ContainerGroupSpec.Container> containers(String group, JsonNode p, Set<String> volumeNames) {
        JsonNode list = ArmJson.array(p, "containers", "properties.containers");
        if (list == null || list.isEmpty()) {
            throw ArmException.badRequest("NoContainersInContainerGroup", "The container group '" + group
                    + "' has no containers: properties.containers needs at least one.", "properties.containers");
        }
        if (list.size() > MAX_CONTAINERS) {
            throw ArmException.badRequest("TooManyContainersInContainerGroup", "The container group '" + group
                    + "' has " + list.size() + " containers; at most " + MAX_CONTAINERS + " are allowed.",
                    "properties.containers");
        }
        List<ContainerGroupSpec.Container> containers = new ArrayList<>();
        Set<String> names = new HashSet<>();
        Map<Integer, String> portOwners = new LinkedHashMap<>();
        for (int i = 0; i < list.size(); i++) {
            String at = "properties.containers[" + i + "]";
            JsonNode c = list.get(i);
            if (!c.isObject()) {
                throw ArmJson.wrongType(at, "an object");
            }
            String cname = containerName(group, c, at, names);
            JsonNode props = ArmJson.object(c, "properties", at + ".properties");
            if (props == null) {
                throw ArmJson.missing("properties", at + ".properties");
            }
            String pat = at + ".properties";
            String image = image(props, pat);
            List<String> command = strings(props, "command", pat + ".command");
            List<ContainerGroupSpec.Port> ports = new ArrayList<>();
            JsonNode portList = ArmJson.array(props, "ports", pat + ".ports");
            if (portList != null) {
                for (int j = 0; j < portList.size(); j++) {
                    ContainerGroupSpec.Port port = port(portList.get(j), pat + ".ports[" + j + "]");
                    String owner = portOwners.putIfAbsent(port.port(), cname);
                    if (owner != null) {
                        throw ArmException.badRequest("DuplicateContainerPorts", "The port '" + port.port()
                                + "' is used more than once in container group '" + group + "' (containers '" + owner
                                + "' and '" + cname + "'): its containers share one network namespace.",
                                pat + ".ports[" + j + "].port");
                    }
                    ports.add(port);
                }
            }
            List<ContainerGroupSpec.EnvironmentVariable> env = environment(props, pat);
            JsonNode resources = ArmJson.object(props, "resources", pat + ".resources");
            if (resources == null) {
                throw ArmJson.missing("resources", pat + ".resources");
            }
            JsonNode requestsNode = ArmJson.object(resources, "requests", pat + ".resources.requests");
            if (requestsNode == null) {
                throw ArmJson.missing("resources.requests", pat + ".resources.requests");
            }
            ContainerGroupSpec.Resources requests = resources(requestsNode, pat + ".resources.requests", true);
            JsonNode limitsNode = ArmJson.object(resources, "limits", pat + ".resources.limits");
            ContainerGroupSpec.Resources limits = limitsNode == null || limitsNode.isEmpty() ? null
                    : resources(limitsNode, pat + ".resources.limits", false);
            if (limits != null) {
                String low = limits.cpu() != null && limits.cpu().compareTo(requests.cpu()) < 0 ? "Cpu"
                        : limits.memoryInGB() != null && limits.memoryInGB().compareTo(requests.memoryInGB()) < 0
                        ? "MemoryInGB" : null;
                if (low != null) {
                    throw ArmException.badRequest("ResourceLimitsLessThanRequests", "The resource requirement of "
                            + "container '" + cname + "' of container group '" + group + "' is invalid. The '" + low
                            + "' limit value must be greater than or equal to the request value.",
                            pat + ".resources.limits");
                }
            }
            ContainerGroupSpec.Probe liveness = probe(props, "livenessProbe", pat, true);
            ContainerGroupSpec.Probe readiness = probe(props, "readinessProbe", pat, false);
            List<ContainerGroupSpec.VolumeMount> mounts = mounts(props, pat, volumeNames);
            containers.add(new ContainerGroupSpec.Container(cname, image, command, ports, env, requests, limits,
                    liveness, readiness, mounts));
        }
        return containers;
    }

    private List<ContainerGroupSpec.InitContainer> initContainers(String group, JsonNode p, Set<String> volumeNames,
                                                                  List<ContainerGroupSpec.Container> containers) {
        JsonNode list = ArmJson.array(p, "initContainers", "properties.initContainers");
        List<ContainerGroupSpec.InitContainer> inits = new ArrayList<>();
        if (list == null) {
            return inits;
        }
        Set<String> names = new HashSet<>();
        containers.forEach(c -> names.add(c.name()));
        for (int i = 0; i < list.size(); i++) {
            String at = "properties.initContainers[" + i + "]";
            JsonNode c = list.get(i);
            if (!c.isObject()) {
                throw ArmJson.wrongType(at, "an object");
            }
            String cname = containerName(group, c, at, names);
            JsonNode props = ArmJson.object(c, "properties", at + ".properties");
            if (props == null) {
                throw ArmJson.missing("properties", at + ".properties");
            }
            inits.add(new ContainerGroupSpec.InitContainer(cname, image(props, at + ".properties"),
                    strings(props, "command", at + ".properties.command"), environment(props, at + ".properties"),
                    mounts(props, at + ".properties", volumeNames)));
        }
        return inits;
    }

    private static String containerName(String group, JsonNode c, String at, Set<String> names) {
        String cname = ArmJson.string(c, "name", at + ".name");
        if (cname == null) {
            throw ArmJson.missing("name", at + ".name");
        }
        if (!NAME.matcher(cname).matches()) {
            throw ArmException.badRequest("InvalidContainerName", "The container name '" + printable(cname)
                    + "' in container group '" + group + "' is invalid. The container name must contain no more than "
                    + "63 characters and must match the regex '[a-z0-9]([-a-z0-9]*[a-z0-9])?' (e.g. 'my-name').",
                    at + ".name");
        }
        if (!names.add(cname)) {
            throw ArmException.badRequest("DuplicateContainerName", "The container name '" + cname + "' is used "
                    + "more than once in container group '" + group + "'. Container names must be unique.",
                    at + ".name");
        }
        return cname;
    }

    private static String image(JsonNode props, String at) {
        String image = ArmJson.string(props, "image", at + ".image");
        if (image == null || image.isBlank()) {
            throw ArmJson.missing("image", at + ".image");
        }
        if (ImageReference.parse(image).isEmpty()) {
            throw ArmException.badRequest("InvalidImageName", "The image '" + printable(image) + "' is not a valid "
                    + "image reference: use [registry/]repository[:tag] with a lower-case repository, e.g. "
                    + "'myregistry.example/app:1.0'.", at + ".image");
        }
        return image;
    }

    private static ContainerGroupSpec.Port port(JsonNode node, String at) {
        if (node == null || !node.isObject()) {
            throw ArmJson.wrongType(at, "an object");
        }
        Integer port = ArmJson.integer(node, "port", at + ".port", 1, 65535);
        if (port == null) {
            throw ArmJson.missing("port", at + ".port");
        }
        String protocol = exact(node, "protocol", at + ".protocol", false, "TCP", "UDP");
        return new ContainerGroupSpec.Port(port, protocol == null ? "TCP" : protocol);
    }

    private static List<ContainerGroupSpec.EnvironmentVariable> environment(JsonNode props, String at) {
        JsonNode list = ArmJson.array(props, "environmentVariables", at + ".environmentVariables");
        List<ContainerGroupSpec.EnvironmentVariable> env = new ArrayList<>();
        if (list == null) {
            return env;
        }
        Set<String> names = new HashSet<>();
        for (int i = 0; i < list.size(); i++) {
            String e = at + ".environmentVariables[" + i + "]";
            JsonNode v = list.get(i);
            if (!v.isObject()) {
                throw ArmJson.wrongType(e, "an object");
            }
            String name = ArmJson.string(v, "name", e + ".name");
            if (name == null) {
                throw ArmJson.missing("name", e + ".name");
            }
            if (!ENV_NAME.matcher(name).matches()) {
                throw ArmException.badRequest("InvalidEnvironmentVariable", "The environment variable name '"
                        + printable(name) + "' is invalid: it must start with a letter or '_' and have only letters, "
                        + "digits, '_', '.' and '-'.", e + ".name");
            }
            if (!names.add(name)) {
                throw ArmException.badRequest("DuplicateEnvironmentVariable", "The environment variable '" + name
                        + "' is set more than once.", e + ".name");
            }
            String value = ArmJson.string(v, "value", e + ".value");
            String secure = ArmJson.string(v, "secureValue", e + ".secureValue");
            if (value != null && secure != null) {
                throw ArmException.badRequest("InvalidEnvironmentVariable", "The environment variable '" + name
                        + "' has both 'value' and 'secureValue'; set only one.", e);
            }
            env.add(new ContainerGroupSpec.EnvironmentVariable(name, value, secure));
        }
        return env;
    }

    private static ContainerGroupSpec.Resources resources(JsonNode node, String at, boolean required) {
        BigDecimal cpu = ArmJson.decimal(node, "cpu", at + ".cpu", BigDecimal.ZERO, MAX_NUMBER);
        BigDecimal memory = ArmJson.decimal(node, "memoryInGB", at + ".memoryInGB", BigDecimal.ZERO, MAX_NUMBER);
        ArmJson.object(node, "gpu", at + ".gpu");
        if (required && cpu == null) {
            throw ArmJson.missing("cpu", at + ".cpu");
        }
        if (required && memory == null) {
            throw ArmJson.missing("memoryInGB", at + ".memoryInGB");
        }
        if (cpu != null && cpu.signum() == 0 || memory != null && memory.signum() == 0) {
            throw ArmException.invalidParameter("The value of '" + at + (cpu != null && cpu.signum() == 0 ? ".cpu"
                    : ".memoryInGB") + "' must be greater than 0.", at + (cpu != null && cpu.signum() == 0 ? ".cpu"
                    : ".memoryInGB"));
        }
        return new ContainerGroupSpec.Resources(cpu, memory);
    }

    private static ContainerGroupSpec.Probe probe(JsonNode props, String field, String at, boolean liveness) {
        String pat = at + "." + field;
        JsonNode probe = ArmJson.object(props, field, pat);
        if (probe == null) {
            return null;
        }
        JsonNode exec = ArmJson.object(probe, "exec", pat + ".exec");
        JsonNode http = ArmJson.object(probe, "httpGet", pat + ".httpGet");
        if ((exec == null) == (http == null)) {
            throw ArmException.badRequest("InvalidProbe", "The probe '" + field + "' must have exactly one of 'exec' "
                    + "and 'httpGet'.", pat);
        }
        List<String> command = null;
        ContainerGroupSpec.HttpGet httpGet = null;
        if (exec != null) {
            command = strings(exec, "command", pat + ".exec.command");
            if (command.isEmpty()) {
                throw ArmException.badRequest("InvalidProbe", "The exec probe '" + field + "' needs a command.",
                        pat + ".exec.command");
            }
        } else {
            Integer port = ArmJson.integer(http, "port", pat + ".httpGet.port", 1, 65535);
            if (port == null) {
                throw ArmException.badRequest("InvalidProbe", "The httpGet probe '" + field + "' needs a port.",
                        pat + ".httpGet.port");
            }
            String path = ArmJson.plainString(http, "path", pat + ".httpGet.path", 2048);
            if (path != null && !path.startsWith("/")) {
                throw ArmException.badRequest("InvalidProbe", "The httpGet probe path '" + printable(path)
                        + "' must start with '/'.", pat + ".httpGet.path");
            }
            String scheme = exact(http, "scheme", pat + ".httpGet.scheme", false, "http", "https");
            ArmJson.array(http, "httpHeaders", pat + ".httpGet.httpHeaders");
            httpGet = new ContainerGroupSpec.HttpGet(path == null ? "/" : path, port, scheme == null ? "http" : scheme);
        }
        Integer initialDelay = ArmJson.integer(probe, "initialDelaySeconds", pat + ".initialDelaySeconds", 0, 3600);
        Integer period = ArmJson.integer(probe, "periodSeconds", pat + ".periodSeconds", 1, 3600);
        Integer failure = ArmJson.integer(probe, "failureThreshold", pat + ".failureThreshold", 1, 1000);
        Integer success = ArmJson.integer(probe, "successThreshold", pat + ".successThreshold", 1, 1000);
        Integer timeout = ArmJson.integer(probe, "timeoutSeconds", pat + ".timeoutSeconds", 1, 3600);
        if (liveness && success != null && success != 1) {
            throw ArmException.badRequest("InvalidProbe", "The successThreshold of a liveness probe must be 1.",
                    pat + ".successThreshold");
        }
        return new ContainerGroupSpec.Probe(command, httpGet, initialDelay, period, failure, success, timeout);
    }

    private static List<ContainerGroupSpec.VolumeMount> mounts(JsonNode props, String at, Set<String> volumeNames) {
        JsonNode list = ArmJson.array(props, "volumeMounts", at + ".volumeMounts");
        List<ContainerGroupSpec.VolumeMount> mounts = new ArrayList<>();
        if (list == null) {
            return mounts;
        }
        Set<String> paths = new HashSet<>();
        for (int i = 0; i < list.size(); i++) {
            String m = at + ".volumeMounts[" + i + "]";
            JsonNode v = list.get(i);
            if (!v.isObject()) {
                throw ArmJson.wrongType(m, "an object");
            }
            String name = ArmJson.string(v, "name", m + ".name");
            String path = ArmJson.plainString(v, "mountPath", m + ".mountPath", 1024);
            if (name == null) {
                throw ArmJson.missing("name", m + ".name");
            }
            if (path == null) {
                throw ArmJson.missing("mountPath", m + ".mountPath");
            }
            if (!volumeNames.contains(name)) {
                throw ArmException.badRequest("InvalidVolumeMount", "The volume mount '" + printable(name)
                        + "' names no volume of the container group.", m + ".name");
            }
            if (!path.startsWith("/") || path.contains(":") || path.equals("/")) {
                throw ArmException.badRequest("InvalidVolumeMount", "The mount path '" + printable(path)
                        + "' must be an absolute path other than '/'.", m + ".mountPath");
            }
            if (!paths.add(path)) {
                throw ArmException.badRequest("InvalidVolumeMount", "The mount path '" + printable(path)
                        + "' is used twice in one container.", m + ".mountPath");
            }
            Boolean readOnly = ArmJson.bool(v, "readOnly", m + ".readOnly");
            mounts.add(new ContainerGroupSpec.VolumeMount(name, path, readOnly != null && readOnly));
        }
        return mounts;
    }

    private static List<ContainerGroupSpec.Volume> volumes(JsonNode p) {
        JsonNode list = ArmJson.array(p, "volumes", "properties.volumes");
        List<ContainerGroupSpec.Volume> volumes = new ArrayList<>();
        if (list == null) {
            return volumes;
        }
        if (list.size() > MAX_VOLUMES) {
            throw ArmException.badRequest("InvalidVolume", "A container group has at most " + MAX_VOLUMES
                    + " volumes; " + list.size() + " were given.", "properties.volumes");
        }
        Set<String> names = new HashSet<>();
        for (int i = 0; i < list.size(); i++) {
            String at = "properties.volumes[" + i + "]";
            JsonNode v = list.get(i);
            if (!v.isObject()) {
                throw ArmJson.wrongType(at, "an object");
            }
            String name = ArmJson.string(v, "name", at + ".name");
            if (name == null) {
                throw ArmJson.missing("name", at + ".name");
            }
            if (!NAME.matcher(name).matches()) {
                throw ArmException.badRequest("InvalidVolume", "The volume name '" + printable(name) + "' is invalid: "
                        + "it must match the regex '[a-z0-9]([-a-z0-9]*[a-z0-9])?'.", at + ".name");
            }
            if (!names.add(name)) {
                throw ArmException.badRequest("InvalidVolume", "The volume name '" + name + "' is used twice.",
                        at + ".name");
            }
            JsonNode empty = ArmJson.object(v, "emptyDir", at + ".emptyDir");
            JsonNode secret = ArmJson.object(v, "secret", at + ".secret");
            boolean azureFile = v.has("azureFile") && !v.get("azureFile").isNull();
            boolean gitRepo = v.has("gitRepo") && !v.get("gitRepo").isNull();
            int kinds = (empty != null ? 1 : 0) + (secret != null ? 1 : 0) + (azureFile ? 1 : 0) + (gitRepo ? 1 : 0);
            if (kinds != 1) {
                throw ArmException.badRequest("InvalidVolume", "The volume '" + name + "' must have exactly one of "
                        + "'emptyDir', 'secret', 'azureFile' and 'gitRepo'.", at);
            }
            if (azureFile || gitRepo) {
                throw ArmException.badRequest("InvalidVolume", "The volume '" + name + "' is an " + (azureFile
                        ? "azureFile" : "gitRepo") + " volume: this Cirrus mounts emptyDir and secret volumes only.",
                        at + (azureFile ? ".azureFile" : ".gitRepo"));
            }
            Map<String, String> files = null;
            if (secret != null) {
                files = new LinkedHashMap<>();
                for (var entry : secret.properties()) {
                    String file = entry.getKey();
                    if (!FILE_NAME.matcher(file).matches() || file.equals(".") || file.equals("..")) {
                        throw ArmException.badRequest("InvalidVolume", "The secret file name '" + printable(file)
                                + "' of volume '" + name + "' is invalid.", at + ".secret");
                    }
                    if (!entry.getValue().isString()) {
                        throw ArmJson.wrongType(at + ".secret." + file, "a string");
                    }
                    try {
                        Base64.getDecoder().decode(entry.getValue().stringValue());
                    } catch (IllegalArgumentException e) {
                        throw ArmException.badRequest("InvalidVolume", "The secret file '" + file + "' of volume '"
                                + name + "' must be base64-encoded.", at + ".secret." + file);
                    }
                    files.put(file, entry.getValue().stringValue());
                }
            }
            volumes.add(new ContainerGroupSpec.Volume(name, empty != null, files));
        }
        return volumes;
    }

    private void checkResources(String group, String location, List<ContainerGroupSpec.Container> containers) {
        BigDecimal cpu = containers.stream().map(c -> c.requests().cpu()).reduce(BigDecimal.ZERO, BigDecimal::add);
        BigDecimal memory = containers.stream().map(c -> c.requests().memoryInGB())
                .reduce(BigDecimal.ZERO, BigDecimal::add);
        if (cpu.compareTo(limits.maxCpu()) > 0 || memory.compareTo(limits.maxMemoryInGB()) > 0) {
            throw ArmException.badRequest("ResourceRequestsNotSupported", "The requested resource with 'cpu: "
                    + cpu.toPlainString() + ", memory: " + memory.toPlainString() + " GB' of container group '" + group
                    + "' is not supported in location '" + location + "': a container group requests at most "
                    + limits.maxCpu().toPlainString() + " vCPU and " + limits.maxMemoryInGB().toPlainString()
                    + " GB (cirrus.container.groups.max-cpu / max-memory-in-gb).", "properties.containers");
        }
        for (int i = 0; i < containers.size(); i++) {
            ContainerGroupSpec.Container c = containers.get(i);
            if (c.limits() == null) {
                continue;
            }
            String over = c.limits().cpu() != null && c.limits().cpu().compareTo(cpu) > 0 ? "Cpu"
                    : c.limits().memoryInGB() != null && c.limits().memoryInGB().compareTo(memory) > 0
                    ? "MemoryInGB" : null;
            if (over != null) {
                throw ArmException.badRequest("ContainerLimitGreaterThanContainerGroupTotalRequest", "The '" + over
                        + "' limit in container '" + c.name() + "' is greater than the total request of container "
                        + "group '" + group + "'.", "properties.containers[" + i + "].properties.resources.limits");
            }
        }
    }

    private static ContainerGroupSpec.IpAddress ipAddress(String group, JsonNode p,
                                                          List<ContainerGroupSpec.Container> containers) {
        JsonNode ip = ArmJson.object(p, "ipAddress", "properties.ipAddress");
        if (ip == null) {
            return null;
        }
        String type = exact(ip, "type", "properties.ipAddress.type", true, "Public", "Private");
        JsonNode list = ArmJson.array(ip, "ports", "properties.ipAddress.ports");
        if (list == null || list.isEmpty()) {
            throw ArmJson.missing("ports", "properties.ipAddress.ports");
        }
        if (list.size() > MAX_IP_PORTS) {
            throw ArmException.badRequest("InvalidIpAddressPorts", "An IP address has at most " + MAX_IP_PORTS
                    + " ports; " + list.size() + " were given.", "properties.ipAddress.ports");
        }
        Set<Integer> containerPorts = new HashSet<>();
        containers.forEach(c -> c.ports().forEach(port -> containerPorts.add(port.port())));
        List<ContainerGroupSpec.Port> ports = new ArrayList<>();
        Set<Integer> seen = new HashSet<>();
        for (int i = 0; i < list.size(); i++) {
            String at = "properties.ipAddress.ports[" + i + "]";
            ContainerGroupSpec.Port port = port(list.get(i), at);
            if (!containerPorts.contains(port.port())) {
                throw ArmException.badRequest("InvalidIpAddressPorts", "The port '" + port.port() + "' of the IP "
                        + "address of container group '" + group + "' is not a port of any of its containers.",
                        at + ".port");
            }
            if (!seen.add(port.port())) {
                throw ArmException.badRequest("InvalidIpAddressPorts", "The port '" + port.port() + "' is listed twice "
                        + "in the IP address of container group '" + group + "'.", at + ".port");
            }
            ports.add(port);
        }
        String label = ArmJson.string(ip, "dnsNameLabel", "properties.ipAddress.dnsNameLabel");
        if (label != null && !DNS_LABEL.matcher(label).matches()) {
            throw ArmException.badRequest("InvalidDnsNameLabel", "The DNS name label '" + printable(label)
                    + "' in container group '" + group + "' is invalid. It can contain only lowercase letters, numbers "
                    + "and hyphens. The first character must be a letter. The last character must be a letter or "
                    + "number. The value must be between 5 and 63 characters long.",
                    "properties.ipAddress.dnsNameLabel");
        }
        if (label != null && type.equals("Private")) {
            throw ArmException.badRequest("InvalidDnsNameLabel", "A private IP address has no DNS name label.",
                    "properties.ipAddress.dnsNameLabel");
        }
        ArmJson.string(ip, "ip", "properties.ipAddress.ip");
        return new ContainerGroupSpec.IpAddress(type, ports, label);
    }

    private static List<ContainerGroupSpec.RegistryCredential> credentials(JsonNode p,
                                                                          List<ContainerGroupSpec.Container> containers,
                                                                          List<ContainerGroupSpec.InitContainer> inits) {
        JsonNode list = ArmJson.array(p, "imageRegistryCredentials", "properties.imageRegistryCredentials");
        List<ContainerGroupSpec.RegistryCredential> credentials = new ArrayList<>();
        if (list == null) {
            return credentials;
        }
        Set<String> registries = new HashSet<>();
        containers.forEach(c -> ImageReference.parse(c.image()).map(ImageReference::registry)
                .ifPresent(r -> registries.add(r.toLowerCase(Locale.ROOT))));
        inits.forEach(c -> ImageReference.parse(c.image()).map(ImageReference::registry)
                .ifPresent(r -> registries.add(r.toLowerCase(Locale.ROOT))));
        Set<String> servers = new HashSet<>();
        for (int i = 0; i < list.size(); i++) {
            String at = "properties.imageRegistryCredentials[" + i + "]";
            JsonNode c = list.get(i);
            if (!c.isObject()) {
                throw ArmJson.wrongType(at, "an object");
            }
            String server = ArmJson.plainString(c, "server", at + ".server", 255);
            String username = ArmJson.plainString(c, "username", at + ".username", 255);
            String password = ArmJson.string(c, "password", at + ".password");
            ArmJson.string(c, "identity", at + ".identity");
            if (server == null || server.isBlank()) {
                throw ArmJson.missing("server", at + ".server");
            }
            if (username == null || username.isBlank()) {
                throw ArmJson.missing("username", at + ".username");
            }
            if (!registries.contains(server.toLowerCase(Locale.ROOT))) {
                throw ArmException.badRequest("InvalidImageRegistryCredential", "The image registry credential for "
                        + "server '" + printable(server) + "' is not used: no image of the container group is pulled "
                        + "from that server.", at + ".server");
            }
            if (!servers.add(server.toLowerCase(Locale.ROOT))) {
                throw ArmException.badRequest("InvalidImageRegistryCredential", "The server '" + printable(server)
                        + "' has more than one image registry credential.", at + ".server");
            }
            credentials.add(new ContainerGroupSpec.RegistryCredential(server, username, password));
        }
        return credentials;
    }

    private static List<String> strings(JsonNode parent, String field, String at) {
        JsonNode list = ArmJson.array(parent, field, at);
        List<String> values = new ArrayList<>();
        if (list == null) {
            return values;
        }
        for (int i = 0; i < list.size(); i++) {
            if (!list.get(i).isString()) {
                throw ArmJson.wrongType(at + "[" + i + "]", "a string");
            }
            values.add(list.get(i).stringValue());
        }
        return values;
    }

    /** A value from a fixed set, in Azure's casing exactly; required ones refuse null as missing. */
    private static String exact(JsonNode parent, String field, String at, boolean required, String... allowed) {
        String value = ArmJson.string(parent, field, at);
        if (value == null) {
            if (required) {
                throw ArmJson.missing(field, at);
            }
            return null;
        }
        for (String a : allowed) {
            if (a.equals(value)) {
                return a;
            }
        }
        throw ArmException.invalidParameter("The value '" + printable(value) + "' of '" + at + "' is not valid. "
                + "Allowed values: " + String.join(", ", allowed) + ".", at);
    }

    /** A user's text as shown in a message: without control characters, at most 100 characters. */
    static String printable(String text) {
        if (text == null) {
            return "null";
        }
        String clean = text.codePoints().filter(c -> !Character.isISOControl(c))
                .collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append).toString();
        return clean.length() > 100 ? clean.substring(0, 100) + "…" : clean;
    }
}
