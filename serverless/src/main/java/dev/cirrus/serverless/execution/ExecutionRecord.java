package dev.cirrus.serverless.execution;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** One execution as stored and listed. */
public record ExecutionRecord(UUID id, String appKey, String functionName, String trigger, Instant start, long durationMs,
                              int memoryMb, String status, boolean coldStart, String error, List<String> logs) {
}
