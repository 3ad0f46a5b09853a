package dev.cirrus.computevm.placement;

/** What the placement engine said about one Place: a host, a refusal with its reasons, or no answer. */
public sealed interface PlaceOutcome {

    /** The VM has a host. */
    record Placed(String host, String cluster, String rack, int faultDomain, int updateDomain) implements PlaceOutcome {
    }

    /**
     * The engine answered and will not place the VM: {@code RESOURCE_EXHAUSTED} (nothing fits; the diagnosis says
     * why, per filter) or another definite refusal. Retrying the same request gives the same answer.
     */
    record Refused(String status, String diagnosis) implements PlaceOutcome {
    }

    /** No answer: engine down, deadline exceeded, breaker open. The VM may or may not have been placed. */
    record Unavailable(String reason) implements PlaceOutcome {
    }
}
