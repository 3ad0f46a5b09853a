package dev.cirrus.gateway.authorization;

import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * A role: the control-plane actions it allows ({@code actions}) minus those it excludes ({@code notActions}). Action
 * patterns use Azure's wildcard {@code *} (any characters, '/' included) and are compared case-insensitively:
 * {@code Microsoft.Compute/virtualMachines/*} allows {@code microsoft.compute/virtualmachines/start/action}.
 *
 * <p>The built-in roles carry Azure's GUIDs, so a role assignment written for Azure works here unchanged.
 */
public record RoleDefinition(String id, String roleName, String description, List<String> actions,
                             List<String> notActions) {

    public static final RoleDefinition OWNER = new RoleDefinition("8e3af657-a8ff-443c-a75c-2fe8c4bcb635", "Owner",
            "Grants full access to manage all resources, including the ability to assign roles in Azure RBAC.",
            List.of("*"), List.of());

    public static final RoleDefinition CONTRIBUTOR = new RoleDefinition("b24988ac-6180-42a0-ab88-20f7382dd24c",
            "Contributor", "Grants full access to manage all resources, but does not allow you to assign roles in "
            + "Azure RBAC, manage assignments in Azure Blueprints, or share image galleries.",
            List.of("*"),
            List.of("Microsoft.Authorization/*/Delete", "Microsoft.Authorization/*/Write",
                    "Microsoft.Authorization/elevateAccess/Action", "Microsoft.Blueprint/blueprintAssignments/write",
                    "Microsoft.Blueprint/blueprintAssignments/delete", "Microsoft.Compute/galleries/share/action",
                    "Microsoft.Purview/consents/write", "Microsoft.Purview/consents/delete",
                    "Microsoft.Resources/deploymentStacks/manageDenySetting/action",
                    "Microsoft.Subscription/cancel/action", "Microsoft.Subscription/enable/action"));

    public static final RoleDefinition READER = new RoleDefinition("acdd72a7-3385-48ef-bd42-f606fba81ae7", "Reader",
            "View all resources, but does not allow you to make any changes.", List.of("*/read"), List.of());

    public static final RoleDefinition VIRTUAL_MACHINE_CONTRIBUTOR = new RoleDefinition(
            "9980e02c-c2be-4d73-94e8-173b1dc7cf3c", "Virtual Machine Contributor",
            "Create and manage virtual machines, manage disks, install and run software, reset password of the root "
            + "user of the virtual machine using VM extensions, and manage local user accounts using VM "
            + "extensions. This role does not grant you management access to the virtual network or storage "
            + "account the virtual machines are connected to. This role does not allow you to assign roles in "
            + "Azure RBAC.",
            List.of("Microsoft.Authorization/*/read", "Microsoft.Compute/availabilitySets/*",
                    "Microsoft.Compute/locations/*", "Microsoft.Compute/virtualMachines/*",
                    "Microsoft.Compute/virtualMachineScaleSets/*", "Microsoft.Compute/cloudServices/*",
                    "Microsoft.Compute/disks/write", "Microsoft.Compute/disks/read", "Microsoft.Compute/disks/delete",
                    "Microsoft.DevTestLab/schedules/*", "Microsoft.Insights/alertRules/*",
                    "Microsoft.Network/applicationGateways/backendAddressPools/join/action",
                    "Microsoft.Network/loadBalancers/backendAddressPools/join/action",
                    "Microsoft.Network/loadBalancers/inboundNatPools/join/action",
                    "Microsoft.Network/loadBalancers/inboundNatRules/join/action",
                    "Microsoft.Network/loadBalancers/probes/join/action", "Microsoft.Network/loadBalancers/read",
                    "Microsoft.Network/locations/*", "Microsoft.Network/networkInterfaces/*",
                    "Microsoft.Network/networkSecurityGroups/join/action",
                    "Microsoft.Network/networkSecurityGroups/read", "Microsoft.Network/publicIPAddresses/join/action",
                    "Microsoft.Network/publicIPAddresses/read", "Microsoft.Network/virtualNetworks/read",
                    "Microsoft.Network/virtualNetworks/subnets/join/action", "Microsoft.RecoveryServices/locations/*",
                    "Microsoft.ResourceHealth/availabilityStatuses/read", "Microsoft.Resources/deployments/*",
                    "Microsoft.Resources/subscriptions/resourceGroups/read", "Microsoft.SerialConsole/serialPorts/connect/action",
                    "Microsoft.SqlVirtualMachine/*", "Microsoft.Storage/storageAccounts/listKeys/action",
                    "Microsoft.Storage/storageAccounts/read", "Microsoft.Support/*"),
            List.of());

    public static final List<RoleDefinition> BUILT_IN = List.of(OWNER, CONTRIBUTOR, READER, VIRTUAL_MACHINE_CONTRIBUTOR);

    public static Optional<RoleDefinition> builtIn(String id) {
        String key = id.toLowerCase(Locale.ROOT);
        return BUILT_IN.stream().filter(r -> r.id().equals(key)).findFirst();
    }

    /** True when the role allows the action: some action pattern matches it and no notAction does. */
    public boolean allows(String action) {
        return actions.stream().anyMatch(p -> matches(p, action)) && notActions.stream().noneMatch(p -> matches(p, action));
    }

    /**
     * ARM's action wildcards: {@code *} stands for any run of characters (none included), everything else matches
     * itself, case-insensitively. A plain glob match: no pattern to compile, as every authorized request asks.
     */
    static boolean matches(String pattern, String action) {
        int p = 0;
        int a = 0;
        int star = -1;
        int resume = 0;
        while (a < action.length()) {
            if (p < pattern.length() && pattern.charAt(p) == '*') {
                star = p++;
                resume = a;
            } else if (p < pattern.length() && sameIgnoringCase(pattern.charAt(p), action.charAt(a))) {
                p++;
                a++;
            } else if (star >= 0) {
                p = star + 1;
                a = ++resume;
            } else {
                return false;
            }
        }
        while (p < pattern.length() && pattern.charAt(p) == '*') {
            p++;
        }
        return p == pattern.length();
    }

    private static boolean sameIgnoringCase(char x, char y) {
        return x == y || Character.toUpperCase(x) == Character.toUpperCase(y)
                || Character.toLowerCase(x) == Character.toLowerCase(y);
    }
}
