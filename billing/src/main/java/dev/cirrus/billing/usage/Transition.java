package dev.cirrus.billing.usage;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * A stored transition of an interval-metered resource, and how a resource's transitions become billed intervals.
 *
 * <p>A resource's transitions are sorted by time (a deletion after anything else at the same instant, then by event
 * id, so that the order is total); each one's rates apply from its time to the next transition's time, the last one's
 * until now. Since only the sorted set matters, the intervals are the same whatever order the events arrived in.
 *
 * <p>Example: started 10:00 (D2s_v5 0.096/h), deallocated 11:30, started 12:00, deleted 12:15 gives [10:00, 11:30)
 * and [12:00, 12:15) at 0.096/h; if "deallocated" arrives last, the same two intervals result.
 */
record Transition(String eventId, String resourceKey, String resourceId, String resourceType, String subscriptionId,
                  String resourceGroup, String resourceName, String location, Instant time, boolean endsResource,
                  List<Rate> rates) {

    record Rate(String meterCategory, String meterName, String unitOfMeasure, BigDecimal unitPrice,
                BigDecimal quantityPerHour) {
    }

    static final Comparator<Transition> ORDER = Comparator.comparing(Transition::time)
            .thenComparing(Transition::endsResource)
            .thenComparing(Transition::eventId);

    /** The billed intervals of any number of resources' transitions. */
    static List<BilledInterval> intervals(List<Transition> transitions, String currency) {
        Map<String, List<Transition>> byResource = transitions.stream()
                .collect(Collectors.groupingBy(Transition::resourceKey));
        List<BilledInterval> intervals = new ArrayList<>();
        for (List<Transition> ts : byResource.values()) {
            ts.sort(ORDER);
            for (int i = 0; i < ts.size(); i++) {
                Transition t = ts.get(i);
                Instant end = i + 1 < ts.size() ? ts.get(i + 1).time() : null;
                for (Rate r : t.rates()) {
                    intervals.add(new BilledInterval(t.resourceKey(), t.resourceId(), t.resourceType(),
                            t.subscriptionId(), t.resourceGroup(), t.resourceName(), t.location(), r.meterCategory(),
                            r.meterName(), r.unitOfMeasure(), r.unitPrice(), r.quantityPerHour(), currency, t.time(),
                            end));
                }
            }
        }
        intervals.sort(Comparator.comparing(BilledInterval::startedAt));
        return intervals;
    }
}
