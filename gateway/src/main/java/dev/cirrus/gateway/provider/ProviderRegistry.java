package dev.cirrus.gateway.provider;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.cirrus.contracts.arm.ArmLocations;
import dev.cirrus.contracts.arm.ApiVersion;
import org.springframework.core.io.DefaultResourceLoader;
import org.springframework.core.io.Resource;
import tools.jackson.core.JacksonException;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.PropertyNamingStrategies;
import tools.jackson.dataformat.yaml.YAMLMapper;

/**
 * Every resource type Cirrus serves, read once at start-up from the registry file ({@code providers/registry.yaml})
 * and the placement topology (the regions), and checked: its owning service, its api-versions, its locations, whether
 * its owner lists it per resource group, and the kind rule of types that two services share
 * ({@code Microsoft.Web/sites}). Routing, the providers listing, the api-version check, the resource group sweep
 * and the resource index all ask this. Names are matched case-insensitively, locations after normalising
 * ({@code "West Europe"} is {@code westeurope}).
 */
public final class ProviderRegistry {

    /** The owner of what the gateway serves itself (subscriptions, resource groups, role assignments, …). */
    public static final String GATEWAY = "gateway";
    /** The namespace of the types ARM serves itself. */
    public static final String RESOURCE_MANAGER = "Microsoft.Resources";

    /** A kind rule: a PUT whose {@code kind} contains {@code contains} (case-insensitively) goes to {@code owner}. */
    public record KindRule(String contains, String owner) {
    }

    /**
     * One resource type.
     *
     * @param namespace     canonically cased, e.g. {@code Microsoft.Compute}
     * @param name          e.g. {@code virtualMachines} or {@code locations/vmSizes}
     * @param owner         the service that owns it (or {@link #GATEWAY}); for a type with kinds, the owner of a
     *                      resource whose kind no rule names
     * @param apiVersions   newest first as listed
     * @param located       its resources have a location (one of the topology's regions)
     * @param listedInGroup its owners list it per resource group
     * @param kinds         owners by kind, in order (empty for most types)
     */
    public record ResourceType(String namespace, String name, String owner, List<String> apiVersions, boolean located,
                               boolean listedInGroup, List<KindRule> kinds) {

        /** {@code Namespace/type}. */
        public String fullName() {
            return namespace + "/" + name;
        }

        /** The owner of a resource of this type whose PUT body names {@code kind} (null when it names none). */
        public String ownerOfKind(String kind) {
            if (kind != null) {
                String lower = kind.toLowerCase(Locale.ROOT);
                for (KindRule rule : kinds) {
                    if (lower.contains(rule.contains())) {
                        return rule.owner();
                    }
                }
            }
            return owner;
        }

        /** Every service that may own a resource of this type. */
        public List<String> owners() {
            Set<String> all = new LinkedHashSet<>();
            all.add(owner);
            kinds.forEach(k -> all.add(k.owner()));
            return List.copyOf(all);
        }

        /** True when the owner depends on the resource (its kind), not only on the type. */
        public boolean ownedByKind() {
            return !kinds.isEmpty();
        }
    }

    /** A namespace and its types, as the providers listing shows them. */
    public record Provider(String namespace, String owner, List<ResourceType> resourceTypes) {
    }

    private static final Pattern SERVICE = Pattern.compile("[a-z][a-z0-9-]*");
    private static final Pattern VERSION_DATE = Pattern.compile("(\\d{4})-(\\d{2})-(\\d{2})(-[a-z]+)?",
            Pattern.CASE_INSENSITIVE);

    private final List<Provider> providers;
    private final Map<String, Provider> byNamespace;
    private final Map<String, ResourceType> byType;
    /** {@code namespace/type} (lower case) → its api-versions in lower case, for the per-call check. */
    private final Map<String, Set<String>> versionsByType;
    /** {@code namespace/type} (lower case) → the date of its newest api-version. */
    private final Map<String, LocalDate> newestByType;
    private final List<String> locations;
    private final List<String> displayLocations;
    private final Set<String> locationSet;

    private ProviderRegistry(List<Provider> providers, List<String> locations) {
        this.providers = List.copyOf(providers);
        this.byNamespace = new HashMap<>();
        this.byType = new HashMap<>();
        this.versionsByType = new HashMap<>();
        this.newestByType = new HashMap<>();
        for (Provider p : providers) {
            byNamespace.put(p.namespace().toLowerCase(Locale.ROOT), p);
            for (ResourceType t : p.resourceTypes()) {
                String key = t.fullName().toLowerCase(Locale.ROOT);
                byType.put(key, t);
                Set<String> lower = new LinkedHashSet<>();
                t.apiVersions().forEach(v -> lower.add(v.toLowerCase(Locale.ROOT)));
                versionsByType.put(key, Set.copyOf(lower));
                newestByType.put(key, t.apiVersions().stream().map(ProviderRegistry::date)
                        .max(LocalDate::compareTo).orElseThrow());
            }
        }
        this.locations = List.copyOf(locations);
        this.displayLocations = locations.stream().map(ArmLocations::displayName).toList();
        this.locationSet = Set.copyOf(locations);
    }

    // ---- reading ----------------------------------------------------------------------------------------------

    /** The registry file's shape; every field nullable so that a missing one is reported by name. */
    record Document(Map<String, List<String>> apiVersions,
                    List<ProviderSpec> providers) {
    }

    record ProviderSpec(String namespace, String owner, String apiVersions, List<TypeSpec> types) {
    }

    record TypeSpec(String name, String owner, String apiVersions, Boolean located, Boolean listedInGroup,
                    List<KindRule> kinds) {
    }

    private static final YAMLMapper YAML = YAMLMapper.builder()
            .propertyNamingStrategy(PropertyNamingStrategies.KEBAB_CASE)
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .build();

    /** The registry and topology Cirrus ships ({@link ProviderRegistryProperties}'s defaults). */
    public static ProviderRegistry defaults() {
        DefaultResourceLoader loader = new DefaultResourceLoader();
        return read(loader.getResource(ProviderRegistryProperties.DEFAULT_REGISTRY),
                loader.getResource(ProviderRegistryProperties.DEFAULT_TOPOLOGY), Set.of());
    }

    /**
     * Reads and checks the registry file and the regions of the placement topology file.
     *
     * @param services the services the gateway routes to (every owner but {@link #GATEWAY} must be one of them);
     *                 empty to check only the shape of the owners' names
     * @throws IllegalStateException naming every problem found
     */
    public static ProviderRegistry read(Resource registry, Resource topology, Collection<String> services) {
        List<String> problems = new ArrayList<>();
        Document doc = parse(registry, Document.class, problems);
        List<String> regions = regions(topology, problems);
        if (doc == null || !problems.isEmpty()) {
            throw invalid(registry, problems);
        }
        Map<String, List<String>> lists = doc.apiVersions() == null ? Map.of() : doc.apiVersions();
        lists.forEach((name, versions) -> {
            if (versions == null || versions.isEmpty()) {
                problems.add("api-versions." + name + " is empty");
                return;
            }
            Set<String> seen = new LinkedHashSet<>();
            for (String v : versions) {
                if (v == null || !ApiVersion.isWellFormed(v)) {
                    problems.add("api-versions." + name + ": '" + v + "' is not an api-version (YYYY-MM-DD[-preview])");
                } else if (!seen.add(v.toLowerCase(Locale.ROOT))) {
                    problems.add("api-versions." + name + ": '" + v + "' is listed twice");
                }
            }
        });
        List<Provider> providers = new ArrayList<>();
        Set<String> namespaces = new LinkedHashSet<>();
        if (doc.providers() == null || doc.providers().isEmpty()) {
            problems.add("providers: none listed");
        } else {
            for (int i = 0; i < doc.providers().size(); i++) {
                Provider p = provider("providers[" + i + "]", doc.providers().get(i), lists, services, problems);
                if (p != null && !namespaces.add(p.namespace().toLowerCase(Locale.ROOT))) {
                    problems.add("providers[" + i + "]: namespace " + p.namespace() + " is listed twice");
                } else if (p != null) {
                    providers.add(p);
                }
            }
        }
        if (!namespaces.contains(RESOURCE_MANAGER.toLowerCase(Locale.ROOT))) {
            problems.add("providers: " + RESOURCE_MANAGER + " (what ARM serves itself) is missing");
        }
        if (!problems.isEmpty()) {
            throw invalid(registry, problems);
        }
        return new ProviderRegistry(providers, regions);
    }

    private static Provider provider(String at, ProviderSpec spec, Map<String, List<String>> lists,
                                     Collection<String> services, List<String> problems) {
        if (spec == null || spec.namespace() == null || !spec.namespace().matches("[A-Za-z][A-Za-z0-9]*(\\.[A-Za-z][A-Za-z0-9]*)+")) {
            problems.add(at + ".namespace must be a provider namespace such as Microsoft.Compute");
            return null;
        }
        at = at + " (" + spec.namespace() + ")";
        checkOwner(at + ".owner", spec.owner(), services, problems);
        if (spec.types() == null || spec.types().isEmpty()) {
            problems.add(at + ".types: none listed");
            return null;
        }
        List<ResourceType> types = new ArrayList<>();
        Set<String> names = new LinkedHashSet<>();
        for (int j = 0; j < spec.types().size(); j++) {
            TypeSpec t = spec.types().get(j);
            String where = at + ".types[" + j + "]";
            if (t == null || t.name() == null || !t.name().matches("[A-Za-z][A-Za-z0-9]*(/[A-Za-z][A-Za-z0-9]*)*")) {
                problems.add(where + ".name must be a resource type such as virtualMachines or locations/vmSizes");
                continue;
            }
            if (!names.add(t.name().toLowerCase(Locale.ROOT))) {
                problems.add(where + ": type " + t.name() + " is listed twice");
            }
            String owner = t.owner() == null ? spec.owner() : t.owner();
            if (t.owner() != null) {
                checkOwner(where + ".owner", t.owner(), services, problems);
            }
            String listName = t.apiVersions() == null ? spec.apiVersions() : t.apiVersions();
            List<String> versions = listName == null ? null : lists.get(listName);
            if (versions == null || versions.isEmpty()) {
                problems.add(where + " (" + t.name() + ").api-versions: " + (listName == null ? "none named"
                        : "no list '" + listName + "' under api-versions"));
                continue;
            }
            List<KindRule> kinds = new ArrayList<>();
            if (t.kinds() != null) {
                for (KindRule k : t.kinds()) {
                    if (k == null || k.contains() == null || k.contains().isBlank()) {
                        problems.add(where + ".kinds: a rule without 'contains'");
                        continue;
                    }
                    checkOwner(where + ".kinds.owner", k.owner(), services, problems);
                    kinds.add(new KindRule(k.contains().strip().toLowerCase(Locale.ROOT), k.owner()));
                }
            }
            types.add(new ResourceType(spec.namespace(), t.name(), owner, List.copyOf(versions),
                    Boolean.TRUE.equals(t.located()), Boolean.TRUE.equals(t.listedInGroup()), List.copyOf(kinds)));
        }
        return new Provider(spec.namespace(), spec.owner(), List.copyOf(types));
    }

    private static void checkOwner(String at, String owner, Collection<String> services, List<String> problems) {
        if (owner == null || !SERVICE.matcher(owner).matches()) {
            problems.add(at + " must name a service (e.g. compute-vm) or '" + GATEWAY + "'");
        } else if (!owner.equals(GATEWAY) && !services.isEmpty() && !services.contains(owner)) {
            problems.add(at + ": '" + owner + "' is not a service of cirrus.gateway.services " + services);
        }
    }

    private static List<String> regions(Resource topology, List<String> problems) {
        JsonNode root = parse(topology, JsonNode.class, problems);
        List<String> regions = new ArrayList<>();
        if (root == null) {
            return regions;
        }
        JsonNode list = root.path("regions");
        if (!list.isArray() || list.isEmpty()) {
            problems.add(topology.getDescription() + ": no regions");
            return regions;
        }
        for (JsonNode region : list) {
            String name = region.path("name").asString(null);
            if (name == null || !name.matches("[a-z0-9]+")) {
                problems.add(topology.getDescription() + ": region name '" + name
                        + "' is not an ARM location name (lower-case letters and digits)");
            } else if (!regions.contains(name)) {
                regions.add(name);
            }
        }
        return regions;
    }

    private static <T> T parse(Resource resource, Class<T> type, List<String> problems) {
        if (!resource.exists()) {
            problems.add(resource.getDescription() + " does not exist");
            return null;
        }
        try (InputStream in = resource.getInputStream()) {
            return YAML.readValue(in, type);
        } catch (JacksonException e) {
            problems.add(resource.getDescription() + ": " + e.getOriginalMessage()
                    + (e.getLocation() == null ? "" : " (line " + e.getLocation().getLineNr() + ")"));
            return null;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static IllegalStateException invalid(Resource registry, List<String> problems) {
        return new IllegalStateException("invalid provider registry " + registry.getDescription() + ": "
                + String.join("; ", problems));
    }

    // ---- questions ----------------------------------------------------------------------------------------------

    /** Every namespace, in the registry's order. */
    public List<Provider> providers() {
        return providers;
    }

    public Optional<Provider> provider(String namespace) {
        return Optional.ofNullable(byNamespace.get(namespace.toLowerCase(Locale.ROOT)));
    }

    /** A type ({@code Microsoft.Compute}, {@code virtualMachines}), case-insensitively. */
    public Optional<ResourceType> type(String namespace, String type) {
        return Optional.ofNullable(byType.get(namespace.toLowerCase(Locale.ROOT) + "/" + type.toLowerCase(Locale.ROOT)));
    }

    /** A type by its full name ({@code Microsoft.Compute/virtualMachines}). */
    public Optional<ResourceType> type(String fullName) {
        return Optional.ofNullable(byType.get(fullName.toLowerCase(Locale.ROOT)));
    }

    /** The namespaces Cirrus serves, canonically cased and sorted, for error messages. */
    public String supportedNamespaces() {
        TreeMap<String, Provider> sorted = new TreeMap<>();
        providers.forEach(p -> sorted.put(p.namespace(), p));
        return String.join(", ", sorted.keySet());
    }

    /** The types whose owners list them per resource group: what a group deletion sweeps. */
    public List<ResourceType> listedInGroups() {
        return providers.stream().flatMap(p -> p.resourceTypes().stream()).filter(ResourceType::listedInGroup).toList();
    }

    /** The regions (the placement topology's), as ARM names them ({@code westeurope}). */
    public List<String> locations() {
        return locations;
    }

    /** The regions in Azure's display names ({@code West Europe}, from {@link ArmLocations}), in the same order. */
    public List<String> displayLocations() {
        return displayLocations;
    }

    /** The locations of a type in display names (none for a type without a location). */
    public List<String> displayLocations(ResourceType type) {
        return type.located() ? displayLocations : List.of();
    }

    /** True when the location, as a user may write it ({@code "West Europe"}, {@code westeurope}), is a region. */
    public boolean isLocation(String location) {
        return location != null && locationSet.contains(normalizeLocation(location));
    }

    /** ARM's name of a location as a user may write it: without blanks, in lower case. */
    public static String normalizeLocation(String location) {
        return ArmLocations.normalise(location);
    }

    /**
     * True when a type accepts the api-version (case-insensitively, as supplied: no blanks around it): one it lists,
     * or a well-formed one whose date is later than its newest (served as the newest). False for a type the
     * registry does not list.
     */
    public boolean accepts(String namespace, String type, String version) {
        String key = namespace.toLowerCase(Locale.ROOT) + "/" + type.toLowerCase(Locale.ROOT);
        Set<String> versions = versionsByType.get(key);
        if (versions == null) {
            return false;
        }
        if (versions.contains(version.toLowerCase(Locale.ROOT))) {
            return true;
        }
        return ApiVersion.isWellFormed(version) && date(version).isAfter(newestByType.get(key));
    }

    private static LocalDate date(String version) {
        Matcher m = VERSION_DATE.matcher(version);
        if (!m.matches()) {
            throw new IllegalArgumentException("not an api-version: " + version);
        }
        return LocalDate.of(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)), Integer.parseInt(m.group(3)));
    }

    /** For the providers listing: the type's fields in ARM's shape. */
    Map<String, Object> shape(ResourceType t) {
        Map<String, Object> type = new LinkedHashMap<>();
        type.put("resourceType", t.name());
        type.put("locations", displayLocations(t));
        type.put("apiVersions", t.apiVersions());
        type.put("defaultApiVersion", t.apiVersions().getFirst());
        type.put("capabilities", "None");
        return type;
    }
}
