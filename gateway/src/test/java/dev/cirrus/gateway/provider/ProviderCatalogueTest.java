package dev.cirrus.gateway.provider;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ProviderCatalogueTest {

    @ParameterizedTest(name = "{0}/{1} {2}: {3}")
    @CsvSource({
            "Microsoft.Compute, virtualMachines, 2024-07-01, true",
            "microsoft.compute, VIRTUALMACHINES, 2024-07-01, true",
            "Microsoft.Compute, virtualMachines, 2016-04-30-PREVIEW, true",
            "Microsoft.Compute, virtualMachines, 2024-07-02, false",
            "Microsoft.Compute, virtualMachines, ' 2024-07-01', false",
            "Microsoft.Compute, noSuchType, 2024-07-01, false",
            "Microsoft.Nothing, virtualMachines, 2024-07-01, false",
            "Microsoft.Resources, resourceGroups, 2025-04-01, true",
            "Microsoft.Resources, resourceGroups, 2024-07-01-preview, false",
    })
    void aTypeSupportsExactlyTheApiVersionsItListsWhateverTheCasing(String namespace, String type, String version,
                                                                  boolean supported) {
        assertThat(ProviderCatalogue.supports(namespace, type, version)).isEqualTo(supported);
        if (supported) {
            assertThat(ProviderCatalogue.apiVersions(namespace, type).orElseThrow())
                    .anyMatch(v -> v.equalsIgnoreCase(version));
        }
    }
}
