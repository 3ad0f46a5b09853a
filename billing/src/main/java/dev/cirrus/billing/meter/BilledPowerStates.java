package dev.cirrus.billing.meter;

import java.util.Set;

/**
 * Which VM power states cost money (as Azure bills them): running, stopping and stopped (stopped-allocated: the host is
 * still held); never deallocating or deallocated. {@code starting} is billed only when configured, since Azure's
 * documents disagree about it.
 */
record BilledPowerStates(boolean billStarting) {

    private static final Set<String> ALWAYS = Set.of("running", "stopping", "stopped");

    boolean isBilled(String powerState) {
        if (powerState == null) {
            return false;
        }
        return ALWAYS.contains(powerState) || billStarting && powerState.equals("starting");
    }
}
