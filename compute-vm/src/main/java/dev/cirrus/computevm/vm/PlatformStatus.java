package dev.cirrus.computevm.vm;

import java.time.Instant;
import java.util.Objects;

/**
 * What the platform last did to a VM on its own (not asked by its user), shown in the instance view.
 *
 * @param state   what happened
 * @param message the explanation a user reads
 * @param time    when it happened
 */
public record PlatformStatus(State state, String message, Instant time) {

    public PlatformStatus {
        Objects.requireNonNull(state);
        Objects.requireNonNull(message);
        Objects.requireNonNull(time);
    }

    public enum State {
        /** Its host failed; it was moved to a healthy host of its fault domain and is rebooting there. */
        ServiceHealing("HealthState/serviceHealing", "Warning", "Unplanned reboot: service healing in progress"),
        /** The unplanned reboot after a host failure is over. */
        ServiceHealed("HealthState/serviceHealed", "Info", "Service healing completed"),
        /** Its host failed (or was drained) and no healthy host could take it. */
        Stranded("HealthState/unavailable", "Error", "Unavailable: the host failed"),
        /** Planned maintenance is rebooting it with its update domain's wave. */
        MaintenanceRebooting("MaintenanceState/rebooting", "Warning", "Planned maintenance: rebooting"),
        /** The planned maintenance reboot is over. */
        MaintenanceCompleted("MaintenanceState/completed", "Info", "Planned maintenance completed");

        private final String code;
        private final String level;
        private final String displayStatus;

        State(String code, String level, String displayStatus) {
            this.code = code;
            this.level = level;
            this.displayStatus = displayStatus;
        }

        public String code() {
            return code;
        }

        public String level() {
            return level;
        }

        public String displayStatus() {
            return displayStatus;
        }
    }
}
