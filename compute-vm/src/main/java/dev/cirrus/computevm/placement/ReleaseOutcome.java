package dev.cirrus.computevm.placement;

/** What the placement engine said about one Release. */
public sealed interface ReleaseOutcome {

    /** The VM holds no capacity any more; {@code held} tells whether it held some until now. */
    record Released(boolean held) implements ReleaseOutcome {
    }

    /** No answer (or a refusal): the capacity may still be held. */
    record Unavailable(String reason) implements ReleaseOutcome {
    }
}
