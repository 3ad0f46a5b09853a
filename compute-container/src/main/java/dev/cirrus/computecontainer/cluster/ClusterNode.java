package dev.cirrus.computecontainer.cluster;

import java.time.Instant;
import java.util.UUID;

/**
 * A node of an agent pool: an instance of the pool's scale set in compute-vm, with what Kubernetes keeps beside the
 * VM. {@code host}, {@code rack} and {@code faultDomain} come from the placement engine's events (null until known).
 *
 * @param state Ready, Cordoned (no new pods) or Drained (its pods evicted; it is about to be deleted)
 */
public record ClusterNode(String pool, String instanceId, String name, UUID vmId, String orchestratorVersion,
                          String state, Instant createdAt, String host, String rack, Integer faultDomain,
                          Integer updateDomain) {
}
