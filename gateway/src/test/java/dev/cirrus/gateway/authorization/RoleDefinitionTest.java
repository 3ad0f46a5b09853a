package dev.cirrus.gateway.authorization;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class RoleDefinitionTest {

    @Test
    void aWildcardStandsForAnyRunOfCharactersIncludingNoneAndCaseDoesNotMatter() {
        assertThat(RoleDefinition.matches("*", "Microsoft.Compute/virtualMachines/read")).isTrue();
        assertThat(RoleDefinition.matches("*/read", "Microsoft.Compute/virtualMachines/READ")).isTrue();
        assertThat(RoleDefinition.matches("*/read", "Microsoft.Compute/virtualMachines/write")).isFalse();
        assertThat(RoleDefinition.matches("Microsoft.Compute/virtualMachines/*", "microsoft.compute/virtualmachines/start/action")).isTrue();
        assertThat(RoleDefinition.matches("Microsoft.Compute/virtualMachines/*", "Microsoft.Compute/virtualMachinesScaleSets/read")).isFalse();
        assertThat(RoleDefinition.matches("Microsoft.Authorization/*/Delete", "Microsoft.Authorization/roleAssignments/delete")).isTrue();
        assertThat(RoleDefinition.matches("Microsoft.Authorization/*/Delete", "Microsoft.Authorization/roleAssignments/read")).isFalse();
        assertThat(RoleDefinition.matches("a*b*c", "aXXbYYbZZc")).isTrue();
        assertThat(RoleDefinition.matches("a*b*c", "aXXbYYbZZ")).isFalse();
        assertThat(RoleDefinition.matches("Microsoft.Compute/*", "Microsoft.Compute/")).isTrue();
        assertThat(RoleDefinition.matches("Microsoft.Compute/virtualMachines/read", "Microsoft.Compute/virtualMachines/read/x")).isFalse();
    }

    @Test
    void aContributorMayWriteAVmButNotDeleteARoleAssignment() {
        RoleDefinition contributor = RoleDefinition.builtIn(RoleDefinition.CONTRIBUTOR.id()).orElseThrow();
        assertThat(contributor.allows("Microsoft.Compute/virtualMachines/write")).isTrue();
        assertThat(contributor.allows("Microsoft.Authorization/roleAssignments/delete")).isFalse();
    }
}
