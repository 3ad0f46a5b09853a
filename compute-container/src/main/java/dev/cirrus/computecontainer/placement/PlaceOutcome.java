package dev.cirrus.computecontainer.placement;

/** What the placement engine said about one Place: a host, a refusal with its reasons, or no answer. */
public sealed interface PlaceOutcome {

    /** The group has a host. */
    record Placed(String host, String cluster, String rack, int faultDomain) implements PlaceOutcome {
    }

    /** The engine answered and will not place the group (nothing fits: the diagnosis says why, per filter). */
    record Refused(String status, String diagnosis) implements PlaceOutcome {
    }

    /** No answer (engine down, deadline exceeded): the group may or may not have been placed. */
    record Unavailable(String reason) implements PlaceOutcome {
    }
}
