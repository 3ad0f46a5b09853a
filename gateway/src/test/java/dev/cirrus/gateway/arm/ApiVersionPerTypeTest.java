package dev.cirrus.gateway.arm;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.List;

import dev.cirrus.gateway.provider.ProviderRegistry;
import dev.cirrus.plumbing.arm.ArmException;
import org.junit.jupiter.api.Test;

/**
 * The api-version a call names must be one its resource type accepts (the provider registry): one it lists or one
 * newer than its newest.
 */
class ApiVersionPerTypeTest {

    static final ProviderRegistry REGISTRY = ProviderRegistry.defaults();

    static java.util.Optional<ArmException> unsupportedVersion(ArmPath path, String version) {
        return ArmConventionsFilter.unsupportedVersion(REGISTRY, path, version);
    }

    static ArmPath path(String p) {
        return new ArmPath(Arrays.asList(p.split("/")));
    }

    static final String VM = "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Compute/virtualMachines/vm1";

    @Test
    void aVersionTheTypeDoesNotListIsNoRegisteredProviderFoundNamingTheSupportedOnes() {
        ArmException refused = unsupportedVersion(path(VM), "2016-01-01").orElseThrow();

        assertThat(refused.status()).isEqualTo(400);
        assertThat(refused.error().code()).isEqualTo("NoRegisteredProviderFound");
        assertThat(refused.error().message()).startsWith("No registered resource provider found for API version "
                + "'2016-01-01' for type 'virtualMachines'. The supported api-versions are '2026-04-01, 2026-03-01, "
                + "2025-04-01, ")
                .contains("The supported locations are 'Korea Central, East US, West Europe, West US'.");
    }

    @org.junit.jupiter.params.ParameterizedTest(name = "{0} {1}")
    @org.junit.jupiter.params.provider.CsvSource({
            "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Compute/virtualMachines/vm1, 2026-05-01",
            "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Compute/virtualMachines/vm1, 2027-01-01-preview",
            "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Web/sites/app1, 2025-06-01",
            "/subscriptions/s/providers/Microsoft.Consumption/usageDetails, 2030-01-01",
            "/subscriptions/s/resourceGroups/rg, 2026-01-01"})
    void aWellFormedVersionNewerThanTheNewestListedIsAcceptedAndServedAsTheNewest(String p, String version) {
        assertThat(unsupportedVersion(path(p), version)).isEmpty();
    }

    @org.junit.jupiter.params.ParameterizedTest(name = "{0} {1}")
    @org.junit.jupiter.params.provider.CsvSource({
            "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Compute/virtualMachines/vm1, 2026-03-01",
            "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Web/sites/app1, 2025-05-01",
            "/subscriptions/s/providers/Microsoft.Consumption/usageDetails, 2018-01-31",
            "/subscriptions/s/providers/Microsoft.Compute/skus, 2021-07-01"})
    void theVersionsRealClientsSendAreAccepted(String p, String version) {
        assertThat(unsupportedVersion(path(p), version)).isEmpty();
    }

    @Test
    void aListedVersionPassesWhateverTheCasingOfThePath() {
        assertThat(unsupportedVersion(path(VM.toLowerCase()), "2024-07-01")).isEmpty();
        assertThat(unsupportedVersion(path(VM + "/start"), "2025-04-01")).isEmpty();
    }

    @Test
    void aRoleAssignmentUnderAResourceIsCheckedAgainstMicrosoftAuthorizationsVersions() {
        String assignment = VM + "/providers/Microsoft.Authorization/roleAssignments/0b1f";

        assertThat(unsupportedVersion(path(assignment), "2022-04-01")).isEmpty();
        assertThat(unsupportedVersion(path(assignment), "2019-01-01")).isPresent();
    }

    @Test
    void typesTheRegistryDoesNotListAndPathsWithoutATypeAreLeftToTheirService() {
        for (String p : List.of("/subscriptions/s/providers/Microsoft.Compute/disks",
                "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Compute/disks/d1",
                "/providers/Microsoft.Compute/operations")) {
            assertThat(unsupportedVersion(path(p), "2099-01-01")).as(p).isEmpty();
        }
    }

    @org.junit.jupiter.params.ParameterizedTest(name = "{0}")
    @org.junit.jupiter.params.provider.ValueSource(strings = {"/subscriptions", "/subscriptions/s",
            "/subscriptions/s/resourcegroups", "/subscriptions/s/resourceGroups/rg", "/subscriptions/s/resources",
            "/subscriptions/s/resourceGroups/rg/resources", "/subscriptions/s/providers",
            "/subscriptions/s/providers/Microsoft.Compute", "/subscriptions/s/providers/Microsoft.Web/register",
            "/subscriptions/s/operationresults/op1"})
    void whatArmServesItselfIsCheckedAgainstMicrosoftResourcesAndRefusedAsArmDoes(String p) {
        ArmException refused = unsupportedVersion(path(p), "2013-01-01").orElseThrow();

        assertThat(refused.status()).isEqualTo(400);
        assertThat(refused.error().code()).isEqualTo("InvalidApiVersionParameter");
        assertThat(refused.error().message()).startsWith("The api-version '2013-01-01' is invalid. The supported "
                + "versions are '2025-04-01,2025-03-01,2024-11-01,2024-10-01-preview,")
                .endsWith(",2013-03-01,2014-02-26'. The supported locations are 'koreacentral,eastus,westeurope,westus'.");
        assertThat(refused.error().target()).isEqualTo("api-version");
        for (String sent : List.of("2025-04-01", "2022-12-01", "2021-04-01", "2024-07-01", "2014-04-01-preview", "2024-06-01-preview")) {
            assertThat(unsupportedVersion(path(p), sent)).as(sent).isEmpty();
        }
    }
}
