package dev.cirrus.computevm.network;

import java.util.Optional;
import java.util.Set;

import dev.cirrus.plumbing.arm.ArmException;

/**
 * The private addresses of one subnet, as Azure hands them out: the first four addresses (the network address, .1
 * the default gateway, .2 and .3 Azure DNS) and the last (broadcast) are reserved; a Dynamic address is the lowest
 * free one after them; a Static one must be inside the subnet, not reserved and not taken.
 */
public final class SubnetAddresses {

    /** Azure's limits on a subnet's size: at most a /2, at least a /29 (3 usable addresses). */
    public static final int LARGEST = 2;
    public static final int SMALLEST = 29;

    private SubnetAddresses() {
    }

    public static long firstUsable(Ipv4Prefix subnet) {
        return subnet.base() + 4;
    }

    public static long lastUsable(Ipv4Prefix subnet) {
        return subnet.last() - 1;
    }

    public static boolean reserved(Ipv4Prefix subnet, long address) {
        return subnet.contains(address) && (address < firstUsable(subnet) || address > lastUsable(subnet));
    }

    /** The lowest address of the subnet that is neither reserved nor in {@code taken}, or empty when it is full. */
    public static Optional<Long> lowestFree(Ipv4Prefix subnet, Set<Long> taken) {
        for (long a = firstUsable(subnet); a <= lastUsable(subnet); a++) {
            if (!taken.contains(a)) {
                return Optional.of(a);
            }
        }
        return Optional.empty();
    }

    /** Refuses a Static address as Azure does; {@code target} names the property. */
    public static void checkStatic(String subnetId, Ipv4Prefix subnet, long address, Set<Long> taken, String target) {
        String shown = Ipv4Prefix.format(address);
        if (!subnet.contains(address)) {
            throw ArmException.badRequest("PrivateIPAddressNotInSubnet", "IP address " + shown + " does not belong to "
                    + "the subnet " + subnet + " of " + subnetId + ".", target);
        }
        if (reserved(subnet, address)) {
            throw ArmException.badRequest("PrivateIPAddressInReservedRange", "IP address " + shown + " is reserved in "
                    + "subnet " + subnet + ": the first four addresses and the last one of every subnet are reserved.",
                    target);
        }
        if (taken.contains(address)) {
            throw ArmException.badRequest("PrivateIPAddressInUse", "IP configuration " + target + " is using the private "
                    + "IP address " + shown + " which is already allocated to another resource.", target);
        }
    }
}
