package dev.cirrus.computevm.vm;

import java.util.Locale;

/** ARM provisioning states a VM goes through; Succeeded and Failed are terminal. */
public enum ProvisioningState {
    Creating("Creating"),
    Succeeded("Provisioning succeeded"),
    Failed("Provisioning failed"),
    Updating("Updating"),
    Deleting("Deleting");

    private final String displayStatus;

    ProvisioningState(String displayStatus) {
        this.displayStatus = displayStatus;
    }

    /** The instance-view status code, e.g. {@code ProvisioningState/succeeded}. */
    public String statusCode() {
        return "ProvisioningState/" + name().toLowerCase(Locale.ROOT);
    }

    public String displayStatus() {
        return displayStatus;
    }

    /** A write (create, power action or delete) is still running: another one must wait. */
    public boolean busy() {
        return this == Creating || this == Updating || this == Deleting;
    }
}
