package dev.cirrus.placement.allocation;

import java.util.List;

/**
 * The engine refuses a call for a reason the caller must see and cannot cure by retrying the same call. (A
 * database that cannot be reached is not a refusal: it surfaces as Spring's data-access exceptions, which the API
 * answers as retryable.)
 */
public final class PlacementRefusal extends RuntimeException {

    public enum Reason {
        /** The request is malformed. */
        INVALID_REQUEST,
        /** The inventory has no host in the requested location. */
        UNKNOWN_LOCATION,
        /** No host of the location can take the VM now; the message says why, per reason. */
        NOTHING_FITS,
        /** The VM has no allocation. */
        NOT_PLACED,
        /** The VM is placed, but not as this request asks (another location or size). */
        PLACED_DIFFERENTLY,
        /** An operator named a host, rack, cluster or maintenance the engine does not have. */
        UNKNOWN_HOST,
        /** A maintenance already runs on that cluster. */
        ALREADY_RUNNING
    }

    private final Reason reason;

    public PlacementRefusal(Reason reason, String message) {
        super(message);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }

    static PlacementRefusal invalidRequest(List<String> problems) {
        return new PlacementRefusal(Reason.INVALID_REQUEST, String.join("; ", problems));
    }

    static PlacementRefusal unknownLocation(String location) {
        return new PlacementRefusal(Reason.UNKNOWN_LOCATION, "no hosts in location '" + location + "'");
    }

    static PlacementRefusal notPlaced(String vmId) {
        return new PlacementRefusal(Reason.NOT_PLACED, "VM '" + vmId + "' has no allocation");
    }
}
