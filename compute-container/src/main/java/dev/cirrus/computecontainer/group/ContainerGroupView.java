package dev.cirrus.computecontainer.group;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.springframework.stereotype.Component;

/**
 * A container group in Azure's shape ({@code ContainerGroup} of the Microsoft.ContainerInstance API). Secrets never
 * leave: an environment variable with a {@code secureValue} shows its name only, a registry credential its server
 * and user, a secret volume its file names without content. {@code ipAddress.ip} is 127.0.0.1 while the group runs
 * (its ports are published there), and each of its ports carries {@code hostPort}, the loopback port it is published
 * on (a Cirrus addition; the gateway routes the {@code fqdn} to it).
 */
@Component
class ContainerGroupView {

    private final ContainerGroupProperties properties;

    ContainerGroupView(ContainerGroupProperties properties) {
        this.properties = properties;
    }

    /** {@code {label}.{region}.azurecontainer.{dnsZone}}. */
    String fqdn(ContainerGroup g) {
        return g.spec().ipAddress().dnsNameLabel() + "." + g.location() + ".azurecontainer." + properties.dnsZone();
    }

    Map<String, Object> view(ContainerGroup g, Map<String, ContainerInstanceView> views) {
        ContainerGroupSpec spec = g.spec();
        Map<String, Object> props = new LinkedHashMap<>();
        props.put("provisioningState", g.provisioningState());
        List<Object> containers = new ArrayList<>();
        for (ContainerGroupSpec.Container c : spec.containers()) {
            Map<String, Object> cp = new LinkedHashMap<>();
            cp.put("image", c.image());
            cp.put("command", c.command());
            cp.put("ports", c.ports().stream().map(p -> Map.of("port", p.port(), "protocol", p.protocol())).toList());
            cp.put("environmentVariables", environment(c.environmentVariables()));
            Map<String, Object> resources = new LinkedHashMap<>();
            resources.put("requests", resources(c.requests()));
            if (c.limits() != null) {
                resources.put("limits", resources(c.limits()));
            }
            cp.put("resources", resources);
            if (c.livenessProbe() != null) {
                cp.put("livenessProbe", probe(c.livenessProbe()));
            }
            if (c.readinessProbe() != null) {
                cp.put("readinessProbe", probe(c.readinessProbe()));
            }
            cp.put("volumeMounts", mounts(c.volumeMounts()));
            ContainerInstanceView v = views.get(c.name());
            if (v != null) {
                cp.put("instanceView", instanceView(v));
            }
            containers.add(Map.of("name", c.name(), "properties", cp));
        }
        props.put("containers", containers);
        if (!spec.initContainers().isEmpty()) {
            props.put("initContainers", spec.initContainers().stream().map(c -> {
                Map<String, Object> cp = new LinkedHashMap<>();
                cp.put("image", c.image());
                cp.put("command", c.command());
                cp.put("environmentVariables", environment(c.environmentVariables()));
                cp.put("volumeMounts", mounts(c.volumeMounts()));
                return Map.of("name", c.name(), "properties", cp);
            }).toList());
        }
        props.put("imageRegistryCredentials", spec.imageRegistryCredentials().stream()
                .map(c -> Map.of("server", c.server(), "username", c.username())).toList());
        props.put("restartPolicy", spec.restartPolicy());
        if (spec.ipAddress() != null) {
            Map<String, Object> ip = new LinkedHashMap<>();
            ip.put("ports", spec.ipAddress().ports().stream().map(p -> {
                Map<String, Object> port = new LinkedHashMap<>();
                port.put("protocol", p.protocol());
                port.put("port", p.port());
                Integer host = g.publishedPorts().get(p.port());
                if (host != null) {
                    port.put("hostPort", host);
                }
                return port;
            }).toList());
            ip.put("type", spec.ipAddress().type());
            if (!g.publishedPorts().isEmpty()) {
                ip.put("ip", "127.0.0.1");
            }
            if (spec.ipAddress().dnsNameLabel() != null) {
                ip.put("dnsNameLabel", spec.ipAddress().dnsNameLabel());
                ip.put("fqdn", fqdn(g));
            }
            props.put("ipAddress", ip);
        }
        props.put("osType", spec.osType());
        if (!spec.volumes().isEmpty()) {
            props.put("volumes", spec.volumes().stream().map(v -> {
                Map<String, Object> volume = new LinkedHashMap<>();
                volume.put("name", v.name());
                if (v.emptyDir()) {
                    volume.put("emptyDir", Map.of());
                } else {
                    Map<String, Object> files = new LinkedHashMap<>();
                    v.secret().keySet().forEach(k -> files.put(k, null));
                    volume.put("secret", files);
                }
                return volume;
            }).toList());
        }
        props.put("sku", spec.sku());
        Map<String, Object> instanceView = new LinkedHashMap<>();
        instanceView.put("events", List.of());
        instanceView.put("state", g.state());
        props.put("instanceView", instanceView);
        if (g.failure() != null) {
            props.put("provisioningError", Map.of("code", g.failure().code(), "message", g.failure().message()));
        }
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("id", g.resourceId());
        view.put("name", g.name());
        view.put("type", ContainerGroups.TYPE);
        view.put("location", g.location());
        view.put("tags", g.tags());
        view.put("etag", g.etag());
        view.put("properties", props);
        return view;
    }

    private static List<Object> environment(List<ContainerGroupSpec.EnvironmentVariable> env) {
        return env.stream().<Object>map(e -> e.secure() ? Map.of("name", e.name())
                : Map.of("name", e.name(), "value", e.value() == null ? "" : e.value())).toList();
    }

    private static Map<String, Object> resources(ContainerGroupSpec.Resources r) {
        Map<String, Object> m = new LinkedHashMap<>();
        if (r.cpu() != null) {
            m.put("cpu", r.cpu());
        }
        if (r.memoryInGB() != null) {
            m.put("memoryInGB", r.memoryInGB());
        }
        return m;
    }

    private static List<Object> mounts(List<ContainerGroupSpec.VolumeMount> mounts) {
        return mounts.stream().<Object>map(m -> Map.of("name", m.name(), "mountPath", m.mountPath(),
                "readOnly", m.readOnly())).toList();
    }

    private static Map<String, Object> probe(ContainerGroupSpec.Probe p) {
        Map<String, Object> m = new LinkedHashMap<>();
        if (p.exec() != null) {
            m.put("exec", Map.of("command", p.exec()));
        }
        if (p.httpGet() != null) {
            m.put("httpGet", Map.of("path", p.httpGet().path(), "port", p.httpGet().port(), "scheme",
                    p.httpGet().scheme()));
        }
        putIf(m, "initialDelaySeconds", p.initialDelaySeconds());
        putIf(m, "periodSeconds", p.periodSeconds());
        putIf(m, "failureThreshold", p.failureThreshold());
        putIf(m, "successThreshold", p.successThreshold());
        putIf(m, "timeoutSeconds", p.timeoutSeconds());
        return m;
    }

    private static void putIf(Map<String, Object> m, String key, Object value) {
        if (value != null) {
            m.put(key, value);
        }
    }

    private static Map<String, Object> instanceView(ContainerInstanceView v) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("restartCount", v.restartCount());
        m.put("currentState", state(v.currentState()));
        m.put("previousState", state(v.previousState()));
        m.put("events", v.events().stream().map(e -> {
            Map<String, Object> event = new LinkedHashMap<>();
            event.put("count", e.count());
            event.put("firstTimestamp", e.firstTimestamp() == null ? null : e.firstTimestamp().toString());
            event.put("lastTimestamp", e.lastTimestamp() == null ? null : e.lastTimestamp().toString());
            event.put("name", e.name());
            event.put("message", e.message());
            event.put("type", e.type());
            return event;
        }).toList());
        return m;
    }

    private static Map<String, Object> state(ContainerInstanceView.State s) {
        Map<String, Object> m = new LinkedHashMap<>();
        if (s == null) {
            return m;
        }
        m.put("state", s.state());
        m.put("startTime", s.startTime() == null ? null : s.startTime().toString());
        m.put("exitCode", s.exitCode());
        m.put("finishTime", s.finishTime() == null ? null : s.finishTime().toString());
        m.put("detailStatus", s.detailStatus());
        return m;
    }
}
