package dev.cirrus.gateway.authorization;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.stream.Stream;

import dev.cirrus.gateway.arm.ArmPath;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.http.HttpMethod;

/** Which action at which scope each ARM call performs, and how role patterns match actions. */
class ArmActionTest {

    static final String S = "/subscriptions/0b1f6c2e-3a4d-4e5f-8a9b-0c1d2e3f4a5b";
    static final String VM = S + "/resourceGroups/rg/providers/Microsoft.Compute/virtualMachines/vm1";

    static Stream<Arguments> calls() {
        return Stream.of(
                Arguments.of("GET", VM, "Microsoft.Compute/virtualMachines/read", VM),
                Arguments.of("PUT", VM, "Microsoft.Compute/virtualMachines/write", VM),
                Arguments.of("PATCH", VM, "Microsoft.Compute/virtualMachines/write", VM),
                Arguments.of("DELETE", VM, "Microsoft.Compute/virtualMachines/delete", VM),
                Arguments.of("POST", VM + "/start", "Microsoft.Compute/virtualMachines/start/action", VM),
                Arguments.of("GET", VM + "/instanceView", "Microsoft.Compute/virtualMachines/instanceView/read", VM),
                Arguments.of("GET", S + "/resourceGroups/rg/providers/Microsoft.Compute/virtualMachines",
                        "Microsoft.Compute/virtualMachines/read", S + "/resourceGroups/rg"),
                Arguments.of("GET", S + "/providers/Microsoft.Compute/virtualMachines",
                        "Microsoft.Compute/virtualMachines/read", S),
                Arguments.of("GET", S + "/providers/Microsoft.Compute/locations/eastus/operations/op1",
                        "Microsoft.Compute/locations/operations/read",
                        S + "/providers/Microsoft.Compute/locations/eastus/operations/op1"),
                Arguments.of("GET", S, "Microsoft.Resources/subscriptions/read", S),
                Arguments.of("GET", S + "/resourcegroups", "Microsoft.Resources/subscriptions/resourceGroups/read", S),
                Arguments.of("PUT", S + "/resourcegroups/rg", "Microsoft.Resources/subscriptions/resourceGroups/write",
                        S + "/resourcegroups/rg"),
                Arguments.of("DELETE", S + "/resourcegroups/rg",
                        "Microsoft.Resources/subscriptions/resourceGroups/delete", S + "/resourcegroups/rg"),
                Arguments.of("GET", S + "/providers", "Microsoft.Resources/subscriptions/providers/read", S),
                Arguments.of("PUT", VM + "/providers/Microsoft.Authorization/roleAssignments/a1",
                        "Microsoft.Authorization/roleAssignments/write",
                        VM + "/providers/Microsoft.Authorization/roleAssignments/a1"),
                Arguments.of("GET", S + "/providers/Microsoft.Authorization/roleAssignments",
                        "Microsoft.Authorization/roleAssignments/read", S));
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("calls")
    void eachCallPerformsAnActionAtAScope(String method, String path, String action, String scope) {
        ArmAction a = ArmAction.of(HttpMethod.valueOf(method), new ArmPath(Arrays.asList(path.split("/"))));

        assertThat(a.action()).isEqualTo(action);
        assertThat(a.scope()).isEqualTo(scope);
    }

    @Test
    void aScopeCoversItselfAndWhatIsBelowItCaseInsensitively() {
        assertThat(ArmAction.covers("/", VM)).isTrue();
        assertThat(ArmAction.covers(S.toUpperCase(), VM)).isTrue();
        assertThat(ArmAction.covers(S + "/resourceGroups/RG", VM)).isTrue();
        assertThat(ArmAction.covers(S + "/resourceGroups/r", VM)).isFalse();
        assertThat(ArmAction.covers(VM, S + "/resourceGroups/rg")).isFalse();
    }

    @Test
    void rolePatternsUseAzuresWildcardsAndNotActions() {
        assertThat(RoleDefinition.READER.allows("Microsoft.Compute/virtualMachines/read")).isTrue();
        assertThat(RoleDefinition.READER.allows("microsoft.compute/virtualmachines/write")).isFalse();
        assertThat(RoleDefinition.CONTRIBUTOR.allows("Microsoft.Compute/virtualMachines/start/action")).isTrue();
        assertThat(RoleDefinition.CONTRIBUTOR.allows("Microsoft.Authorization/roleAssignments/write")).isFalse();
        assertThat(RoleDefinition.CONTRIBUTOR.allows("Microsoft.Authorization/roleAssignments/read")).isTrue();
        assertThat(RoleDefinition.VIRTUAL_MACHINE_CONTRIBUTOR.allows("Microsoft.Compute/virtualMachines/start/action"))
                .isTrue();
        assertThat(RoleDefinition.VIRTUAL_MACHINE_CONTRIBUTOR.allows("Microsoft.Resources/subscriptions/resourceGroups/write"))
                .isFalse();
        assertThat(RoleDefinition.OWNER.allows("Anything/at/all")).isTrue();
    }
}
