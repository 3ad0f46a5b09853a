package dev.cirrus.gateway.provider;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.core.io.ByteArrayResource;
import org.springframework.core.io.ClassPathResource;
import org.springframework.core.io.Resource;

class ProviderRegistryTest {

    static final ProviderRegistry REGISTRY = ProviderRegistry.defaults();
    static final Set<String> SERVICES = Set.of("compute-vm", "compute-container", "app-service", "serverless", "billing");

    @ParameterizedTest(name = "{0}/{1} {2}: {3}")
    @CsvSource({
            "Microsoft.Compute, virtualMachines, 2024-07-01, true",
            "microsoft.compute, VIRTUALMACHINES, 2024-07-01, true",
            "Microsoft.Compute, virtualMachines, 2016-04-30-PREVIEW, true",
            "Microsoft.Compute, virtualMachines, 2024-07-02, false",
            "Microsoft.Compute, virtualMachines, 2026-04-02, true",
            "Microsoft.Compute, virtualMachines, 2099-12-31-preview, true",
            "Microsoft.Compute, virtualMachines, 2099-02-30, false",
            "Microsoft.Compute, virtualMachines, ' 2024-07-01', false",
            "Microsoft.Compute, noSuchType, 2024-07-01, false",
            "Microsoft.Nothing, virtualMachines, 2024-07-01, false",
            "Microsoft.Resources, resourceGroups, 2025-04-01, true",
            "Microsoft.Resources, resourceGroups, 2024-07-01-preview, false",
    })
    void aTypeAcceptsTheVersionsItListsAndNewerOnesWhateverTheCasing(String namespace, String type, String version,
                                                                   boolean accepted) {
        assertThat(REGISTRY.accepts(namespace, type, version)).isEqualTo(accepted);
    }

    @Test
    void theLocationsAreThePlacementTopologysRegions() {
        assertThat(REGISTRY.locations()).containsExactly("koreacentral", "eastus", "westeurope", "westus");
        assertThat(REGISTRY.displayLocations()).containsExactly("Korea Central", "East US", "West Europe", "West US");
        assertThat(REGISTRY.isLocation("West Europe")).isTrue();
        assertThat(REGISTRY.isLocation("WESTEUROPE")).isTrue();
        assertThat(REGISTRY.isLocation("marsnorth")).isFalse();
        assertThat(REGISTRY.isLocation("westus2")).as("an Azure region the topology does not define").isFalse();
    }

    @Test
    void aTopologyWithOtherRegionsGivesOtherLocations() {
        ProviderRegistry registry = ProviderRegistry.read(new ClassPathResource("providers/registry.yaml"),
                yaml("regions:\n  - name: swedencentral\n    clusters: []\n  - name: lab1\n"), SERVICES);

        assertThat(registry.displayLocations()).containsExactly("Sweden Central", "lab1");
        assertThat(registry.isLocation("Sweden Central")).isTrue();
        assertThat(registry.isLocation("westus")).isFalse();
    }

    @Test
    void sitesBelongToServerlessByAFunctionAppKindAndToAppServiceOtherwise() {
        ProviderRegistry.ResourceType sites = REGISTRY.type("microsoft.web", "SITES").orElseThrow();

        assertThat(sites.ownerOfKind("functionapp,linux")).isEqualTo("serverless");
        assertThat(sites.ownerOfKind("FunctionApp")).isEqualTo("serverless");
        assertThat(sites.ownerOfKind("app,linux")).isEqualTo("app-service");
        assertThat(sites.ownerOfKind(null)).isEqualTo("app-service");
        assertThat(sites.owners()).containsExactly("app-service", "serverless");
    }

    @Test
    void theGroupSweepListsEveryTypeListedInAGroup() {
        assertThat(REGISTRY.listedInGroups()).extracting(ProviderRegistry.ResourceType::fullName)
                .contains("Microsoft.Compute/virtualMachines", "Microsoft.Web/sites", "Microsoft.Consumption/budgets")
                .doesNotContain("Microsoft.Resources/resourceGroups", "Microsoft.Compute/skus");
    }

    @Test
    void theShippedRegistryNamesOnlyTheGatewaysServices() {
        ProviderRegistry checked = ProviderRegistry.read(new ClassPathResource("providers/registry.yaml"),
                new ClassPathResource("inventory/default-topology.yaml"), SERVICES);

        assertThat(checked.providers()).extracting(ProviderRegistry.Provider::namespace).contains("Microsoft.Compute",
                "Microsoft.Resources", "Microsoft.Web", "Microsoft.Storage");
    }

    @Test
    void aRegistryWithMistakesStopsTheStartNamingEveryOne() {
        String bad = """
                api-versions:
                  good: [2024-01-01]
                  broken: [2024-13-01, 2024-01-01, 2024-01-01]
                providers:
                  - namespace: Microsoft.Compute
                    owner: compute-vms
                    api-versions: good
                    types:
                      - { name: virtualMachines, located: true }
                      - { name: virtualMachines }
                      - { name: disks, api-versions: missing }
                  - namespace: Microsoft.Resources
                    owner: gateway
                    api-versions: good
                    types: [{ name: resourceGroups, lisetd-in-group: true }]
                """;
        assertThatThrownBy(() -> ProviderRegistry.read(yaml(bad), new ClassPathResource("inventory/default-topology.yaml"),
                SERVICES)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("lisetd-in-group");

        String wrong = bad.replace("lisetd-in-group", "listed-in-group");
        assertThatThrownBy(() -> ProviderRegistry.read(yaml(wrong), new ClassPathResource("inventory/default-topology.yaml"),
                SERVICES)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("'2024-13-01' is not an api-version")
                .hasMessageContaining("'2024-01-01' is listed twice")
                .hasMessageContaining("'compute-vms' is not a service of cirrus.gateway.services")
                .hasMessageContaining("type virtualMachines is listed twice")
                .hasMessageContaining("no list 'missing' under api-versions");
    }

    @Test
    void aTopologyWithoutRegionsOrWithABadRegionNameStopsTheStart() {
        Resource registry = new ClassPathResource("providers/registry.yaml");
        assertThatThrownBy(() -> ProviderRegistry.read(registry, yaml("regions: []\n"), SERVICES))
                .hasMessageContaining("no regions");
        assertThatThrownBy(() -> ProviderRegistry.read(registry, yaml("regions:\n  - name: West Europe\n"), SERVICES))
                .hasMessageContaining("'West Europe' is not an ARM location name");
        assertThatThrownBy(() -> ProviderRegistry.read(registry, new ClassPathResource("no/such/topology.yaml"),
                SERVICES)).hasMessageContaining("does not exist");
    }

    static Resource yaml(String text) {
        return new ByteArrayResource(text.getBytes(StandardCharsets.UTF_8), "test yaml");
    }
}
