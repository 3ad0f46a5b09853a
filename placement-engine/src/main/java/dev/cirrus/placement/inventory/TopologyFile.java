package dev.cirrus.placement.inventory;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import org.springframework.core.io.FileSystemResource;
import org.springframework.core.io.Resource;
import org.springframework.core.io.ResourceLoader;
import tools.jackson.core.JacksonException;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.MapperFeature;
import tools.jackson.databind.exc.MismatchedInputException;
import tools.jackson.databind.exc.UnrecognizedPropertyException;
import tools.jackson.dataformat.yaml.YAMLMapper;

/**
 * Reads the inventory file and checks it, reporting every problem at once with where it is.
 *
 * <p>The file (see {@code inventory/default-topology.yaml}):
 * <pre>
 * regions:
 *   - name: koreacentral          # an ARM location name: lower-case letters and digits
 *     clusters:
 *       - name: kc-c1
 *         racks:                  # one rack = one fault domain; its index in the cluster (from 0) is the domain
 *           - name: kc-c1-r1
 *             hosts:
 *               - { name: kc-c1-r1-h01, vcpus: 64, memoryGib: 256 }
 * </pre>
 * Rules: unknown keys are errors (a misspelt {@code memoryGb} must not silently become 0); host names are unique
 * across the file; region names are unique, cluster names unique in their region, rack names unique in their
 * cluster; capacities are positive whole numbers; no list is empty.
 */
final class TopologyFile {

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]*");

    private static final YAMLMapper YAML = YAMLMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
            .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .build();

    // the file's shape; every field nullable so that a missing one is reported by name, not as a default
    record Document(List<RegionSpec> regions) {
    }

    record RegionSpec(String name, List<ClusterSpec> clusters) {
    }

    record ClusterSpec(String name, List<RackSpec> racks) {
    }

    record RackSpec(String name, List<HostSpec> hosts) {
    }

    record HostSpec(String name, Integer vcpus, Integer memoryGib) {
    }

    private TopologyFile() {
    }

    /**
     * Reads and checks the inventory at {@code location}: {@code classpath:...}, {@code file:...} or a plain
     * file-system path.
     *
     * @throws InvalidInventoryException naming every problem found
     */
    static Topology read(String location, ResourceLoader loader) {
        Resource resource = location.startsWith("classpath:") || location.startsWith("file:")
                ? loader.getResource(location)
                : new FileSystemResource(Path.of(location));
        if (!resource.exists()) {
            throw new InvalidInventoryException(location, List.of("the file does not exist"));
        }
        String content;
        try (InputStream in = resource.getInputStream()) {
            content = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new InvalidInventoryException(location, List.of("the file cannot be read: " + e.getMessage()));
        }
        Document document;
        try {
            JsonNode tree = YAML.readTree(content);
            // nothing but comments, or nothing at all: say so rather than "no content to map"
            document = tree == null || tree.isMissingNode() || tree.isNull() ? null
                    : YAML.readValue(content, Document.class);
        } catch (JacksonException e) {
            throw new InvalidInventoryException(location, List.of(describe(e)));
        }
        return check(location, document);
    }

    static Topology check(String location, Document document) {
        List<String> problems = new ArrayList<>();
        List<String> regionNames = new ArrayList<>();
        List<Topology.Host> hosts = new ArrayList<>();
        Map<String, String> firstSeenAt = new HashMap<>();
        if (document == null || isEmpty(document.regions())) {
            problems.add("'regions' is missing or empty: the inventory needs at least one region");
        } else {
            Set<String> regionSeen = new HashSet<>();
            for (int i = 0; i < document.regions().size(); i++) {
                RegionSpec region = document.regions().get(i);
                String where = where("", "region", i, region == null ? null : region.name());
                if (region == null) {
                    problems.add(where + ": is empty");
                    continue;
                }
                if (region.name() == null || !region.name().matches("[a-z0-9]+")) {
                    problems.add(where + ": the region name " + quoted(region.name())
                            + " must be lower-case letters and digits, as ARM names locations (e.g. westeurope)");
                } else if (!regionSeen.add(region.name())) {
                    problems.add(where + ": duplicate region name '" + region.name() + "'");
                } else {
                    regionNames.add(region.name());
                }
                if (isEmpty(region.clusters())) {
                    problems.add(where + ": has no clusters");
                    continue;
                }
                Set<String> clusterSeen = new HashSet<>();
                for (int j = 0; j < region.clusters().size(); j++) {
                    ClusterSpec cluster = region.clusters().get(j);
                    String clusterWhere = where(where, "cluster", j, cluster == null ? null : cluster.name());
                    if (cluster == null) {
                        problems.add(clusterWhere + ": is empty");
                        continue;
                    }
                    checkName(problems, clusterWhere, "cluster", cluster.name(), clusterSeen);
                    if (isEmpty(cluster.racks())) {
                        problems.add(clusterWhere + ": has no racks");
                        continue;
                    }
                    Set<String> rackSeen = new HashSet<>();
                    for (int k = 0; k < cluster.racks().size(); k++) {
                        RackSpec rack = cluster.racks().get(k);
                        String rackWhere = where(clusterWhere, "rack", k, rack == null ? null : rack.name());
                        if (rack == null) {
                            problems.add(rackWhere + ": is empty");
                            continue;
                        }
                        checkName(problems, rackWhere, "rack", rack.name(), rackSeen);
                        if (isEmpty(rack.hosts())) {
                            problems.add(rackWhere + ": has no hosts");
                            continue;
                        }
                        for (int h = 0; h < rack.hosts().size(); h++) {
                            HostSpec host = rack.hosts().get(h);
                            String hostWhere = where(rackWhere, "host", h, host == null ? null : host.name());
                            if (host == null) {
                                problems.add(hostWhere + ": is empty");
                                continue;
                            }
                            int before = problems.size();
                            if (host.name() == null || !NAME.matcher(host.name()).matches()) {
                                problems.add(hostWhere + ": the host name " + quoted(host.name())
                                        + " must be letters, digits, '.', '_' or '-'");
                            } else if (firstSeenAt.containsKey(host.name())) {
                                problems.add(hostWhere + ": duplicate host name '" + host.name()
                                        + "' (first at " + firstSeenAt.get(host.name()) + ")");
                            } else {
                                firstSeenAt.put(host.name(), hostWhere);
                            }
                            checkPositive(problems, hostWhere, "vcpus", host.vcpus());
                            checkPositive(problems, hostWhere, "memoryGib", host.memoryGib());
                            if (problems.size() == before) {
                                hosts.add(new Topology.Host(host.name(), region.name(), cluster.name(), rack.name(),
                                        k, host.vcpus(), host.memoryGib() * 1024L));
                            }
                        }
                    }
                }
            }
        }
        if (!problems.isEmpty()) {
            throw new InvalidInventoryException(location, problems);
        }
        return new Topology(regionNames, hosts);
    }

    private static void checkName(List<String> problems, String where, String kind, String name, Set<String> seen) {
        if (name == null || !NAME.matcher(name).matches()) {
            problems.add(where + ": the " + kind + " name " + quoted(name) + " must be letters, digits, '.', '_' or '-'");
        } else if (!seen.add(name)) {
            problems.add(where + ": duplicate " + kind + " name '" + name + "'");
        }
    }

    private static void checkPositive(List<String> problems, String where, String key, Integer value) {
        if (value == null) {
            problems.add(where + ": '" + key + "' is missing");
        } else if (value <= 0) {
            problems.add(where + ": '" + key + "' must be positive, got " + value);
        }
    }

    /** "region 'eastus' > cluster 'eus-c1' > rack #2": names where they are usable, 1-based positions otherwise. */
    private static String where(String parent, String kind, int index, String name) {
        String self = kind + " " + (name != null && !name.isBlank() ? "'" + name + "'" : "#" + (index + 1));
        return parent.isEmpty() ? self : parent + " > " + self;
    }

    private static String quoted(String name) {
        return name == null ? "(missing)" : "'" + name + "'";
    }

    private static boolean isEmpty(List<?> list) {
        return list == null || list.isEmpty();
    }

    private static String describe(JacksonException e) {
        String at = e.getLocation() == null || e.getLocation().getLineNr() < 0 ? ""
                : " at line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr();
        String path = e.getPath() == null || e.getPath().isEmpty() ? ""
                : " (" + e.getPath().stream()
                        .map(r -> r.getPropertyName() != null ? "." + r.getPropertyName() : "[" + r.getIndex() + "]")
                        .collect(Collectors.joining()).replaceFirst("^\\.", "") + ")";
        if (e instanceof UnrecognizedPropertyException unknown) {
            return "unknown key '" + unknown.getPropertyName() + "'" + at + path + "; the keys here are "
                    + unknown.getKnownPropertyIds().stream().map(String::valueOf).sorted()
                            .collect(Collectors.joining(", "));
        }
        if (e instanceof MismatchedInputException mismatch && mismatch.getTargetType() == Integer.class
                && !e.getPath().isEmpty() && e.getPath().getLast().getPropertyName() != null) {
            return "'" + e.getPath().getLast().getPropertyName() + "' must be a whole number" + at + path;
        }
        return e.getOriginalMessage() + at + path;
    }
}
