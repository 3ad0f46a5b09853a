package dev.cirrus.computecontainer.cluster;

import java.time.Instant;
import java.util.UUID;

/**
 * A node of an agent pool: an instance of the pool's scale set in compute-vm, with what Kubernetes keeps beside the
 * VM. {@code host}, {@code rack} and {@code faultDomain} come from the placement engine's events (null until known).
 *
 * @param state    Ready, Cordoned (no new pods) or Drained (its pods evicted; it is about to be deleted)
 * @param stranded its VM is on a failed host that no healthy host could take it from: auto-repair replaces it
 */
public record ClusterNode(String pool, String instanceId, String name, UUID vmId, String orchestratorVersion,
                          String state, Instant createdAt, String host, String rack, Integer faultDomain,
                          Integer updateDomain, boolean stranded) {
}
