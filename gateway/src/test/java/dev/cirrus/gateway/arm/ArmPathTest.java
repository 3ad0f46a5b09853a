package dev.cirrus.gateway.arm;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.Optional;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ArmPathTest {

    static ArmPath path(String value) {
        return new ArmPath(Arrays.asList(value.split("/")));
    }

    static Optional<String> opt(String value) {
        return Optional.ofNullable(value);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(nullValues = "-", value = {
            // path, isArm, subscription, resource group, inside group, namespace, type
            "/subscriptions/S/resourceGroups/Rg/providers/Microsoft.Compute/virtualMachines/vm1, true, S, Rg, true, Microsoft.Compute, virtualMachines",
            "/SUBSCRIPTIONS/S/RESOURCEGROUPS/rg/PROVIDERS/microsoft.compute/virtualMachines, true, S, rg, true, microsoft.compute, virtualMachines",
            "/subscriptions/S/resourcegroups/Rg, true, S, Rg, false, -, -",
            "/subscriptions/S/resourcegroups, true, S, -, false, -, -",
            "/subscriptions/S/providers/Microsoft.Web/sites, true, S, -, false, Microsoft.Web, sites",
            "/providers/Microsoft.Compute/operations, true, -, -, false, Microsoft.Compute, operations",
            "/subscriptions/S/resourceGroups/providers/providers/X.Y, true, S, providers, true, providers, X.Y",
            "/subscriptions/S/resourceGroups/rg/providers, true, S, rg, true, -, -",
            "/actuator/health, false, -, -, false, -, -",
            "/, false, -, -, false, -, -",
    })
    void readsTheArmPartsOfAPathCaseInsensitively(String value, boolean arm, String subscription, String group,
                                                   boolean inside, String namespace, String type) {
        ArmPath path = path(value);

        assertThat(path.isArm()).isEqualTo(arm);
        assertThat(path.subscriptionId()).isEqualTo(opt(subscription));
        assertThat(path.resourceGroup()).isEqualTo(opt(group));
        assertThat(path.isInsideResourceGroup()).isEqualTo(inside);
        assertThat(path.providerNamespace()).isEqualTo(opt(namespace));
        assertThat(path.resourceType()).isEqualTo(opt(type));
    }

    @ParameterizedTest
    @CsvSource({
            "0b1f6c2e-3a4d-4e5f-8a9b-0c1d2e3f4a5b, true",
            "0B1F6C2E-3A4D-4E5F-8A9B-0C1D2E3F4A5B, true",
            "0b1f6c2e3a4d4e5f8a9b0c1d2e3f4a5b, false",
            "my-subscription, false",
            "0b1f6c2e-3a4d-4e5f-8a9b-0c1d2e3f4a5g, false",
            "0b1f6c2e3-a4d-4e5f-8a9b-0c1d2e3f4a5b, false",
            "0b1f6c2e-3a4d-4e5f-8a9b-0c1d2e3f4a5b0, false",
            "{0b1f6c2e-3a4d-4e5f-8a9b-0c1d2e3f4a5}, false",
    })
    void subscriptionIdsAreGuids(String value, boolean guid) {
        assertThat(ArmPath.isGuid(value)).isEqualTo(guid);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(nullValues = "-", value = {
            "/subscriptions, subscriptions",
            "/SUBSCRIPTIONS/S, subscriptions",
            "/subscriptions/S/resourcegroups, resourceGroups",
            "/subscriptions/S/resourceGroups/Rg, resourceGroups",
            "/subscriptions/S/resourceGroups/Rg/resources, resources",
            "/subscriptions/S/resources, resources",
            "/subscriptions/S/providers, providers",
            "/subscriptions/S/providers/Microsoft.Web, providers",
            "/subscriptions/S/providers/Microsoft.Web/register, providers",
            "/subscriptions/S/operationresults/op1, operationresults",
            "/subscriptions/S/providers/Microsoft.Web/sites, -",
            "/subscriptions/S/resourceGroups/Rg/providers/Microsoft.Compute/virtualMachines/vm1, -",
            "/subscriptions/S/resourceGroups/Rg/resources/x, -",
            "/providers/Microsoft.Authorization/roleDefinitions, -",
            "/actuator/health, -",
    })
    void namesTheMicrosoftResourcesTypeOfWhatArmServesItself(String value, String type) {
        assertThat(path(value).resourceManagerType()).isEqualTo(opt(type));
    }
}
