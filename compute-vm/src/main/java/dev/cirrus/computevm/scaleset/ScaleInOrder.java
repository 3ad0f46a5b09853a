package dev.cirrus.computevm.scaleset;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Which instances a scale-in removes: a pure function of the instances, how many must go and the rule.
 *
 * <ul>
 *   <li>Instances without a host (their allocation failed) go first, highest instance id first: they serve nothing.
 *   <li>{@code Default}, Uniform set: keep the set balanced over its fault domains. Repeatedly take the fault
 *       domain holding the most instances (protected ones count: they stay there), ties going to the domain whose
 *       removable instance has the highest id, and remove that domain's highest instance id.
 *   <li>{@code Default}, Flexible set: the oldest instance first (Azure does no fault-domain balancing there).
 *   <li>{@code NewestVM}: the highest instance id first; {@code OldestVM}: the lowest first. (Azure balances zones
 *       first; Cirrus places in no zones, so there is nothing to balance.)
 *   <li>Instances protected from scale-in (or from scale-set actions) are never chosen. When too few are left to
 *       choose from, the answer is empty: the caller refuses the scale-in.
 * </ul>
 *
 * <p>Worked example, Default: FD0 holds {0, 3, 6}, FD1 {1, 4}, FD2 {2, 5}; remove 3. FD0 holds most → remove 6.
 * Now 2/2/2: the removable instances with the highest ids are 3, 4, 5 → FD2 → remove 5. Now 2/2/1: FD0 (3) and FD1
 * (4) tie → remove 4. Result [6, 5, 4], the set keeps 0, 3 | 1 | 2: counts 2/1/1, skew 1. NewestVM would remove
 * [6, 5, 4] too here; OldestVM [0, 1, 2].
 */
final class ScaleInOrder {

    enum Rule {
        Default, NewestVM, OldestVM
    }

    /**
     * One instance as the choice sees it.
     *
     * @param seq         the instance id as a number (creation order)
     * @param faultDomain its fault domain, or null when it has no host
     * @param isProtected protectFromScaleIn or protectFromScaleSetActions
     */
    record Candidate(String key, long seq, Integer faultDomain, boolean isProtected) {
    }

    private ScaleInOrder() {
    }

    /** The keys of the {@code count} instances to remove, in removal order; empty when not enough may go. */
    static Optional<List<String>> choose(List<Candidate> instances, int count, Rule rule, boolean uniform) {
        List<Candidate> removable = new ArrayList<>(instances.stream().filter(c -> !c.isProtected()).toList());
        if (removable.size() < count) {
            return Optional.empty();
        }
        List<String> chosen = new ArrayList<>();
        // instances without a host first, newest first
        removable.stream().filter(c -> c.faultDomain() == null)
                .sorted(Comparator.comparingLong(Candidate::seq).reversed())
                .limit(count).forEach(c -> chosen.add(c.key()));
        removable.removeIf(c -> chosen.contains(c.key()));
        if (chosen.size() == count) {
            return Optional.of(chosen);
        }
        Rule effective = rule == Rule.Default && !uniform ? Rule.OldestVM : rule;
        switch (effective) {
            case NewestVM -> removable.stream().sorted(Comparator.comparingLong(Candidate::seq).reversed())
                    .limit(count - chosen.size()).forEach(c -> chosen.add(c.key()));
            case OldestVM -> removable.stream().sorted(Comparator.comparingLong(Candidate::seq))
                    .limit(count - chosen.size()).forEach(c -> chosen.add(c.key()));
            case Default -> balanced(instances, removable, count - chosen.size(), chosen);
        }
        return Optional.of(chosen);
    }

    private static void balanced(List<Candidate> all, List<Candidate> removable, int count, List<String> chosen) {
        Map<Integer, Integer> perDomain = new HashMap<>();
        for (Candidate c : all) {
            if (c.faultDomain() != null && !chosen.contains(c.key())) {
                perDomain.merge(c.faultDomain(), 1, Integer::sum);
            }
        }
        List<Candidate> left = new ArrayList<>(removable);
        for (int i = 0; i < count; i++) {
            Candidate pick = null;
            for (Candidate c : left) {
                if (pick == null) {
                    pick = c;
                    continue;
                }
                int load = perDomain.get(c.faultDomain());
                int pickLoad = perDomain.get(pick.faultDomain());
                if (load > pickLoad || load == pickLoad && c.seq() > pick.seq()) {
                    pick = c;
                }
            }
            chosen.add(pick.key());
            left.remove(pick);
            perDomain.merge(pick.faultDomain(), -1, Integer::sum);
        }
    }
}
