package dev.cirrus.gateway.provider;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The resource providers Cirrus serves, as {@code GET /subscriptions/{sub}/providers} shows them: each namespace's
 * resource types with the locations (Cirrus's regions) and the api-versions Azure publishes for them. Tools (the
 * SDKs' provider registration, the CLI, Terraform) read these, and the gateway refuses an api-version a listed
 * type does not support ({@code NoRegisteredProviderFound}).
 */
public final class ProviderCatalogue {

    /** Cirrus's regions (the placement engine's default topology), in Azure's display names. */
    static final List<String> LOCATIONS = List.of("East US", "West US", "West Europe", "Korea Central");

    /**
     * @param listedInGroup the type is listed per resource group ({@code GET …/resourceGroups/{rg}/providers/{ns}/{type}})
     *                      by its service: a group deletion sweeps these lists for what is left in the group
     */
    record ResourceType(String resourceType, List<String> apiVersions, boolean located, boolean listedInGroup) {
        ResourceType(String resourceType, List<String> apiVersions, boolean located) {
            this(resourceType, apiVersions, located, false);
        }
    }

    record Provider(String namespace, List<ResourceType> resourceTypes) {
    }

    // 2026-04-01 and 2025-04-01: what the current official SDKs send (@azure/arm-compute 25.x, Java 2.5x)
    private static final List<String> COMPUTE = List.of("2026-04-01", "2025-04-01", "2024-11-01", "2024-07-01", "2024-03-01", "2023-09-01",
            "2023-07-01", "2023-03-01", "2022-11-01", "2022-08-01", "2022-03-01", "2021-11-01", "2021-07-01",
            "2021-04-01", "2021-03-01", "2020-12-01", "2020-06-01", "2019-12-01", "2019-07-01", "2019-03-01",
            "2018-10-01", "2018-06-01", "2018-04-01", "2017-12-01", "2017-03-30", "2016-08-30", "2016-04-30-preview",
            "2016-03-30", "2015-06-15");
    private static final List<String> WEB = List.of("2024-11-01", "2024-04-01", "2023-12-01", "2023-01-01",
            "2022-09-01", "2022-03-01", "2021-03-01", "2021-02-01", "2021-01-15", "2020-12-01", "2020-06-01",
            "2019-08-01", "2018-11-01", "2018-02-01", "2016-08-01");
    private static final List<String> CONTAINER_INSTANCE = List.of("2024-10-01-preview", "2024-05-01-preview",
            "2023-05-01", "2022-10-01-preview", "2021-10-01", "2021-09-01", "2021-07-01", "2021-03-01", "2020-11-01",
            "2019-12-01", "2018-10-01");
    private static final List<String> CONTAINER_SERVICE = List.of("2024-09-01", "2024-08-01", "2024-07-01",
            "2024-05-01", "2024-02-01", "2023-11-01", "2023-08-01", "2023-05-01", "2023-01-01", "2022-09-01");
    private static final List<String> BATCH = List.of("2024-07-01", "2024-02-01", "2023-11-01", "2023-05-01",
            "2022-10-01", "2022-06-01", "2022-01-01", "2021-06-01", "2021-01-01");
    private static final List<String> INSIGHTS = List.of("2022-10-01", "2021-05-01-preview", "2015-04-01");
    private static final List<String> LOGIC = List.of("2019-05-01", "2018-07-01-preview", "2016-06-01");
    private static final List<String> CONSUMPTION = List.of("2024-08-01", "2023-11-01", "2023-05-01", "2023-03-01",
            "2021-10-01", "2019-10-01");
    private static final List<String> COST = List.of("2024-08-01", "2023-11-01", "2023-08-01", "2023-03-01",
            "2022-10-01", "2021-10-01", "2019-11-01");
    private static final List<String> AUTHORIZATION = List.of("2022-04-01", "2020-10-01-preview",
            "2020-04-01-preview", "2018-09-01-preview", "2018-07-01", "2018-01-01-preview", "2017-05-01",
            "2015-07-01");

    // Microsoft.Resources (served by ARM itself: the gateway): the versions ARM lists for resourceGroups in its
    // InvalidApiVersionParameter message (2025; without the malformed '2014-04'), newest first; 2025-04-01 is what the
    // current SDKs send for groups, resources and providers (Java azure-resourcemanager-resources 2.5x,
    // @azure/arm-resources 8.x), 2022-12-01 what the Java SDK's subscription client sends for /subscriptions
    private static final List<String> RESOURCES = List.of("2025-04-01", "2025-03-01", "2024-11-01",
            "2024-10-01-preview", "2024-08-01", "2024-07-01", "2024-06-01-preview", "2024-03-01", "2023-07-01",
            "2023-07-01-preview", "2023-03-01-preview", "2022-12-01", "2022-11-01-preview", "2022-09-01", "2022-06-01",
            "2022-05-01", "2022-03-01-preview", "2022-01-01", "2021-04-01", "2021-01-01", "2020-10-01",
            "2020-09-01", "2020-08-01", "2020-07-01", "2020-06-01", "2020-05-01", "2020-01-01", "2019-11-01",
            "2019-10-01", "2019-09-01", "2019-08-01", "2019-07-01", "2019-06-01", "2019-05-10", "2019-05-01",
            "2019-03-01", "2018-11-01", "2018-09-01", "2018-08-01", "2018-07-01", "2018-06-01", "2018-05-01",
            "2018-02-01", "2018-01-01", "2017-12-01", "2017-08-01", "2017-06-01", "2017-05-10", "2017-05-01",
            "2017-03-01", "2016-09-01", "2016-07-01", "2016-06-01", "2016-02-01", "2015-11-01", "2015-01-01",
            "2014-04-01-preview", "2014-04-01", "2014-01-01", "2013-03-01", "2014-02-26");

    /** The namespace of the types ARM serves itself (subscriptions, resource groups, /resources, providers). */
    public static final String RESOURCE_MANAGER = "Microsoft.Resources";

    static final List<Provider> PROVIDERS = List.of(
            new Provider("Microsoft.Authorization", List.of(
                    new ResourceType("roleAssignments", AUTHORIZATION, false),
                    new ResourceType("roleDefinitions", AUTHORIZATION, false))),
            new Provider("Microsoft.Batch", List.of(
                    new ResourceType("batchAccounts", BATCH, true, true))),
            new Provider("Microsoft.Compute", List.of(
                    new ResourceType("virtualMachines", COMPUTE, true, true),
                    new ResourceType("availabilitySets", COMPUTE, true, true),
                    new ResourceType("virtualMachineScaleSets", COMPUTE, true, true),
                    new ResourceType("locations", COMPUTE, false),
                    new ResourceType("locations/operations", COMPUTE, true),
                    new ResourceType("locations/vmSizes", COMPUTE, true),
                    new ResourceType("locations/usages", COMPUTE, true),
                    new ResourceType("locations/publishers", COMPUTE, true))),
            new Provider("Microsoft.ContainerInstance", List.of(
                    new ResourceType("containerGroups", CONTAINER_INSTANCE, true, true))),
            new Provider("Microsoft.ContainerService", List.of(
                    new ResourceType("managedClusters", CONTAINER_SERVICE, true, true))),
            new Provider("Microsoft.Consumption", List.of(
                    new ResourceType("usageDetails", CONSUMPTION, false),
                    new ResourceType("budgets", CONSUMPTION, false, true))),
            new Provider("Microsoft.CostManagement", List.of(
                    new ResourceType("query", COST, false))),
            new Provider("Microsoft.Insights", List.of(
                    new ResourceType("autoscalesettings", INSIGHTS, true, true))),
            new Provider("Microsoft.Logic", List.of(
                    new ResourceType("workflows", LOGIC, true, true))),
            new Provider(RESOURCE_MANAGER, List.of(
                    new ResourceType("subscriptions", RESOURCES, false),
                    new ResourceType("resourceGroups", RESOURCES, true),
                    new ResourceType("resources", RESOURCES, false),
                    new ResourceType("providers", RESOURCES, false),
                    new ResourceType("operationresults", RESOURCES, false))),
            new Provider("Microsoft.Web", List.of(
                    new ResourceType("sites", WEB, true, true),
                    new ResourceType("serverFarms", WEB, true, true))));

    private ProviderCatalogue() {
    }

    /**
     * The resource types ({@code Namespace/type}) whose services list them per resource group: what a group deletion
     * sweeps (a service that does not serve such a list yet answers 404, which is "nothing there").
     */
    public static List<String> listedInGroups() {
        return PROVIDERS.stream().flatMap(p -> p.resourceTypes().stream().filter(ResourceType::listedInGroup)
                .map(t -> p.namespace() + "/" + t.resourceType())).toList();
    }

    /**
     * The api-versions of a resource type ({@code Microsoft.Compute/virtualMachines}, case-insensitive), newest
     * first; empty when Cirrus does not list the type.
     */
    public static Optional<List<String>> apiVersions(String namespace, String resourceType) {
        String type = resourceType.toLowerCase(Locale.ROOT);
        return find(namespace).flatMap(p -> p.resourceTypes().stream()
                .filter(t -> t.resourceType().toLowerCase(Locale.ROOT).equals(type)).findFirst())
                .map(ResourceType::apiVersions);
    }

    /** The locations of a resource type in Azure's display names (none for a type that has no location). */
    public static List<String> locations(String namespace, String resourceType) {
        String type = resourceType.toLowerCase(Locale.ROOT);
        return find(namespace).flatMap(p -> p.resourceTypes().stream()
                        .filter(t -> t.resourceType().toLowerCase(Locale.ROOT).equals(type)).findFirst())
                .filter(ResourceType::located).map(t -> LOCATIONS).orElse(List.of());
    }

    /** {@code namespace/type → api-versions}, all in lower case: the gateway asks on every call. */
    private static final Map<String, Set<String>> VERSIONS_BY_TYPE = PROVIDERS.stream()
            .flatMap(p -> p.resourceTypes().stream().map(t -> Map.entry(
                    (p.namespace() + "/" + t.resourceType()).toLowerCase(Locale.ROOT),
                    t.apiVersions().stream().map(v -> v.toLowerCase(Locale.ROOT)).collect(Collectors.toUnmodifiableSet()))))
            .collect(Collectors.toUnmodifiableMap(Map.Entry::getKey, Map.Entry::getValue));

    /**
     * True when Cirrus lists the resource type and it supports exactly this api-version (case-insensitively, as
     * supplied: no blanks around it). Every listed version is well-formed, so a version this accepts needs no other
     * check.
     */
    public static boolean supports(String namespace, String resourceType, String version) {
        Set<String> versions = VERSIONS_BY_TYPE.get(namespace.toLowerCase(Locale.ROOT) + "/"
                + resourceType.toLowerCase(Locale.ROOT));
        return versions != null && versions.contains(version.toLowerCase(Locale.ROOT));
    }

    static Optional<Provider> find(String namespace) {
        String key = namespace.toLowerCase(Locale.ROOT);
        return PROVIDERS.stream().filter(p -> p.namespace().toLowerCase(Locale.ROOT).equals(key)).findFirst();
    }
}
