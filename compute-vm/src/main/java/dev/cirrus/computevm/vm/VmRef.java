package dev.cirrus.computevm.vm;

import java.util.Locale;

/**
 * Which VM a request means: subscription, resource group and name, in the casing the user supplied. ARM matches
 * them case-insensitively ({@link #key()}) and echoes the casing last supplied ({@link #id()}).
 */
public record VmRef(String subscriptionId, String resourceGroup, String name) {

    public static final String TYPE = "Microsoft.Compute/virtualMachines";

    /** The ARM resource id, e.g. {@code /subscriptions/…/resourceGroups/rg/providers/Microsoft.Compute/virtualMachines/vm1}. */
    public String id() {
        return "/subscriptions/" + subscriptionId + "/resourceGroups/" + resourceGroup + "/providers/" + TYPE + "/" + name;
    }

    /** The lower-cased id: the identity of the VM, and the Kafka record key of its events. */
    public String key() {
        return id().toLowerCase(Locale.ROOT);
    }
}
