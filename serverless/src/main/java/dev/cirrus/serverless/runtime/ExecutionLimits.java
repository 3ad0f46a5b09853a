package dev.cirrus.serverless.runtime;

import java.time.Duration;

/**
 * Limits of one invocation: wall-clock time (host.json {@code functionTimeout}) and the bytes it may allocate.
 */
public record ExecutionLimits(Duration timeout, long maxAllocatedBytes) {
}
