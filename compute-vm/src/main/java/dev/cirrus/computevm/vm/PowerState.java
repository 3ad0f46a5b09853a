package dev.cirrus.computevm.vm;

/** The power states of an allocated VM (reference §2.2); the VM slice uses running only, power actions come later. */
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
