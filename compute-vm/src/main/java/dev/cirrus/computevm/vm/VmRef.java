package dev.cirrus.computevm.vm;

import java.util.Locale;

/**
 * Which VM a request means: subscription, resource group and name, in the casing the user supplied. ARM matches
 * them case-insensitively ({@link #key()}) and echoes the casing last supplied ({@link #id()}).
 *
 * <p>An instance of a Uniform scale set is a VM too: {@code scaleSet} names its set and {@code name} is its instance
 * id, so its id is {@code …/virtualMachineScaleSets/{scaleSet}/virtualMachines/{instanceId}}. For any other VM
 * (Flexible instances included) {@code scaleSet} is null.
 */
public record VmRef(String subscriptionId, String resourceGroup, String name, String scaleSet) {

    public static final String TYPE = "Microsoft.Compute/virtualMachines";
    public static final String INSTANCE_TYPE = "Microsoft.Compute/virtualMachineScaleSets/virtualMachines";

    public VmRef(String subscriptionId, String resourceGroup, String name) {
        this(subscriptionId, resourceGroup, name, null);
    }

    /** Instance {@code instanceId} of the Uniform scale set {@code scaleSet}. */
    public static VmRef instance(String subscriptionId, String resourceGroup, String scaleSet, String instanceId) {
        return new VmRef(subscriptionId, resourceGroup, instanceId, scaleSet);
    }

    /** The ARM resource id, e.g. {@code /subscriptions/…/resourceGroups/rg/providers/Microsoft.Compute/virtualMachines/vm1}. */
    public String id() {
        String group = "/subscriptions/" + subscriptionId + "/resourceGroups/" + resourceGroup + "/providers/";
        return scaleSet == null ? group + TYPE + "/" + name
                : group + "Microsoft.Compute/virtualMachineScaleSets/" + scaleSet + "/virtualMachines/" + name;
    }

    /** The lower-cased id: the identity of the VM, and the Kafka record key of its events. */
    public String key() {
        return id().toLowerCase(Locale.ROOT);
    }

    /** The name Azure shows: the VM's name, or {@code {set}_{instanceId}} for a Uniform instance. */
    public String displayName() {
        return scaleSet == null ? name : scaleSet + "_" + name;
    }

    public boolean uniformInstance() {
        return scaleSet != null;
    }
}
