package dev.cirrus.placement.inventory;

import dev.cirrus.contracts.arm.ArmLocations;

/** ARM location names: {@code westeurope}, {@code eastus}. */
public final class Locations {

    private Locations() {
    }

    /**
     * The ARM name of a location as a user may write it: ARM accepts the display name ("West Europe") and any
     * casing for {@code westeurope}.
     */
    public static String normalize(String location) {
        return ArmLocations.normalise(location);
    }

    /** Whether a name has the shape of an ARM location name: lower-case letters and digits. */
    static boolean isArmName(String name) {
        return name != null && name.matches("[a-z0-9]+");
    }
}
