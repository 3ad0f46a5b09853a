package dev.cirrus.placement.allocation;

import java.util.ArrayList;
import java.util.List;

/**
 * The hosts an operator names: one host, or every host of a rack (a rack is named by its cluster and its name).
 * Build it with {@link #host} or {@link #rack}.
 */
public record HostSelector(String host, String cluster, String rack) {

    public static HostSelector host(String host) {
        if (host == null || host.isBlank()) {
            throw PlacementRefusal.invalidRequest(List.of("host is required"));
        }
        return new HostSelector(host.strip(), null, null);
    }

    public static HostSelector rack(String cluster, String rack) {
        List<String> problems = new ArrayList<>();
        if (cluster == null || cluster.isBlank()) {
            problems.add("rack.cluster is required");
        }
        if (rack == null || rack.isBlank()) {
            problems.add("rack.rack is required");
        }
        if (!problems.isEmpty()) {
            throw PlacementRefusal.invalidRequest(problems);
        }
        return new HostSelector(null, cluster.strip(), rack.strip());
    }

    @Override
    public String toString() {
        return host != null ? "host '" + host + "'" : "rack '" + rack + "' of cluster '" + cluster + "'";
    }
}
