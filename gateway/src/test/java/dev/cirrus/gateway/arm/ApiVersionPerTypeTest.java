package dev.cirrus.gateway.arm;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.List;

import dev.cirrus.plumbing.arm.ArmException;
import org.junit.jupiter.api.Test;

/** The api-version a call names must be one its resource type supports (the providers catalogue). */
class ApiVersionPerTypeTest {

    static ArmPath path(String p) {
        return new ArmPath(Arrays.asList(p.split("/")));
    }

    static final String VM = "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Compute/virtualMachines/vm1";

    @Test
    void aVersionTheTypeDoesNotListIsNoRegisteredProviderFoundNamingTheSupportedOnes() {
        ArmException refused = ArmConventionsFilter.unsupportedVersion(path(VM), "2099-01-01").orElseThrow();

        assertThat(refused.status()).isEqualTo(400);
        assertThat(refused.error().code()).isEqualTo("NoRegisteredProviderFound");
        assertThat(refused.error().message()).startsWith("No registered resource provider found for API version "
                + "'2099-01-01' for type 'virtualMachines'. The supported api-versions are '2026-04-01, 2025-04-01, ")
                .contains("The supported locations are 'East US, West US, West Europe, Korea Central'.");
    }

    @Test
    void aListedVersionPassesWhateverTheCasingOfThePath() {
        assertThat(ArmConventionsFilter.unsupportedVersion(path(VM.toLowerCase()), "2024-07-01")).isEmpty();
        assertThat(ArmConventionsFilter.unsupportedVersion(path(VM + "/start"), "2025-04-01")).isEmpty();
    }

    @Test
    void aRoleAssignmentUnderAResourceIsCheckedAgainstMicrosoftAuthorizationsVersions() {
        String assignment = VM + "/providers/Microsoft.Authorization/roleAssignments/0b1f";

        assertThat(ArmConventionsFilter.unsupportedVersion(path(assignment), "2022-04-01")).isEmpty();
        assertThat(ArmConventionsFilter.unsupportedVersion(path(assignment), "2024-07-01")).isPresent();
    }

    @Test
    void typesTheCatalogueDoesNotListAndPathsWithoutATypeAreLeftToTheirService() {
        for (String p : List.of("/subscriptions/s/providers/Microsoft.Compute/disks",
                "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Compute/disks/d1",
                "/providers/Microsoft.Compute/operations")) {
            assertThat(ArmConventionsFilter.unsupportedVersion(path(p), "2099-01-01")).as(p).isEmpty();
        }
    }

    @org.junit.jupiter.params.ParameterizedTest(name = "{0}")
    @org.junit.jupiter.params.provider.ValueSource(strings = {"/subscriptions", "/subscriptions/s",
            "/subscriptions/s/resourcegroups", "/subscriptions/s/resourceGroups/rg", "/subscriptions/s/resources",
            "/subscriptions/s/resourceGroups/rg/resources", "/subscriptions/s/providers",
            "/subscriptions/s/providers/Microsoft.Compute", "/subscriptions/s/providers/Microsoft.Web/register",
            "/subscriptions/s/operationresults/op1"})
    void whatArmServesItselfIsCheckedAgainstMicrosoftResourcesAndRefusedAsArmDoes(String p) {
        ArmException refused = ArmConventionsFilter.unsupportedVersion(path(p), "2099-01-01").orElseThrow();

        assertThat(refused.status()).isEqualTo(400);
        assertThat(refused.error().code()).isEqualTo("InvalidApiVersionParameter");
        assertThat(refused.error().message()).startsWith("The api-version '2099-01-01' is invalid. The supported "
                + "versions are '2025-04-01,2025-03-01,2024-11-01,2024-10-01-preview,").endsWith(",2013-03-01,2014-02-26'.");
        assertThat(refused.error().target()).isEqualTo("api-version");
        for (String sent : List.of("2025-04-01", "2022-12-01", "2021-04-01", "2024-07-01", "2014-04-01-preview", "2024-06-01-preview")) {
            assertThat(ArmConventionsFilter.unsupportedVersion(path(p), sent)).as(sent).isEmpty();
        }
    }
}
