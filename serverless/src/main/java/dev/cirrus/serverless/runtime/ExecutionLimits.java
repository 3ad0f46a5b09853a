package dev.cirrus.serverless.runtime;

import java.time.Duration;

/**
 * Limits of one invocation: wall-clock time (host.json {@code functionTimeout}), the bytes it may allocate, and
 * the largest output (its response, return value and output bindings as JSON) it may hand back, in characters.
 */
public record ExecutionLimits(Duration timeout, long maxAllocatedBytes, long maxOutputChars) {

    /** No output limit beyond what fits in a Java string. */
    public ExecutionLimits(Duration timeout, long maxAllocatedBytes) {
        this(timeout, maxAllocatedBytes, Integer.MAX_VALUE - 16);
    }
}
