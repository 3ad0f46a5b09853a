package dev.cirrus.computevm.scaleset;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;

import dev.cirrus.computevm.scaleset.ScaleInOrder.Candidate;
import dev.cirrus.computevm.scaleset.ScaleInOrder.Rule;
import org.junit.jupiter.api.Test;

/** The scale-in order, without Spring: the worked example of its class comment and the rules around it. */
class ScaleInOrderTest {

    /** Instances 0..6 in fault domains {0,3,6} {1,4} {2,5}, as in ScaleInOrder's comment. */
    private static List<Candidate> example() {
        List<Candidate> list = new ArrayList<>();
        for (int id = 0; id <= 6; id++) {
            list.add(new Candidate("i" + id, id, id % 3, false));
        }
        return list;
    }

    @Test
    void theDefaultRuleKeepsTheFaultDomainsBalancedThenRemovesTheHighestIds() {
        assertThat(ScaleInOrder.choose(example(), 3, Rule.Default, true)).contains(List.of("i6", "i5", "i4"));
        // one more: the domains hold 2/1/1 → the fuller one loses its highest id
        assertThat(ScaleInOrder.choose(example(), 4, Rule.Default, true)).contains(List.of("i6", "i5", "i4", "i3"));
    }

    @Test
    void aSkewedSetLosesFromItsFullestFaultDomainFirstEvenWhenItsIdsAreLower() {
        List<Candidate> skewed = List.of(new Candidate("a", 0, 0, false), new Candidate("b", 1, 0, false),
                new Candidate("c", 2, 0, false), new Candidate("d", 9, 1, false));
        assertThat(ScaleInOrder.choose(skewed, 2, Rule.Default, true)).contains(List.of("c", "b"));
    }

    @Test
    void newestAndOldestFollowTheInstanceIds() {
        assertThat(ScaleInOrder.choose(example(), 2, Rule.NewestVM, true)).contains(List.of("i6", "i5"));
        assertThat(ScaleInOrder.choose(example(), 2, Rule.OldestVM, true)).contains(List.of("i0", "i1"));
        assertThat(ScaleInOrder.choose(example(), 2, Rule.Default, false))
                .as("a Flexible set's default is the oldest first").contains(List.of("i0", "i1"));
    }

    @Test
    void protectedInstancesAreNeverChosenAndTooFewChoicesIsNoAnswer() {
        List<Candidate> list = new ArrayList<>(example());
        list.set(6, new Candidate("i6", 6, 0, true));
        assertThat(ScaleInOrder.choose(list, 1, Rule.NewestVM, true)).contains(List.of("i5"));
        assertThat(ScaleInOrder.choose(list, 7, Rule.Default, true)).isEmpty();
    }

    @Test
    void instancesWithoutAHostGoFirst() {
        List<Candidate> list = new ArrayList<>(example());
        list.add(new Candidate("failed", 7, null, false));
        assertThat(ScaleInOrder.choose(list, 2, Rule.OldestVM, true)).contains(List.of("failed", "i0"));
    }
}
