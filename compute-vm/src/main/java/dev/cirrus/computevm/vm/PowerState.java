package dev.cirrus.computevm.vm;

/** The power states of a VM (compute-vm/README.md); the intermediate ones last while a power action runs. */
public enum PowerState {
    starting("VM starting"),
    running("VM running"),
    stopping("VM stopping"),
    stopped("VM stopped"),
    deallocating("VM deallocating"),
    deallocated("VM deallocated");

    private final String displayStatus;

    PowerState(String displayStatus) {
        this.displayStatus = displayStatus;
    }

    public String statusCode() {
        return "PowerState/" + name();
    }

    public String displayStatus() {
        return displayStatus;
    }
}
