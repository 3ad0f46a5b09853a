package dev.cirrus.placement.allocation;

import java.util.Comparator;
import java.util.Map;
import java.util.stream.Collectors;

import dev.cirrus.placement.inventory.HostUsage;

/** What the scheduler decided for one request. */
sealed interface Decision {

    /** The VM goes on {@code host}. */
    record Fits(HostUsage host) implements Decision {
    }

    /**
     * No host of the location can take the VM.
     *
     * @param hosts   how many hosts were considered
     * @param reasons how many hosts each reason rejected; each host counted once, by the first filter it failed
     */
    record NothingFits(String location, int hosts, Map<String, Integer> reasons) implements Decision {

        /**
         * In the Kubernetes style: "0/60 hosts in eastus are available: 42 insufficient vCPU, 18 insufficient
         * memory". Reasons by count, largest first, then alphabetically.
         */
        String message() {
            String why = reasons.entrySet().stream()
                    .sorted(Map.Entry.<String, Integer>comparingByValue(Comparator.reverseOrder())
                            .thenComparing(Map.Entry.comparingByKey()))
                    .map(e -> e.getValue() + " " + e.getKey())
                    .collect(Collectors.joining(", "));
            return "0/" + hosts + " hosts in " + location + " are available: " + why;
        }
    }
}
