package dev.cirrus.billing.meter;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;

/** What one event means to billing: a transition of an interval meter, executions, a rejection, or nothing. */
public sealed interface Reading {

    /** The billable resource an event is about, with the names as the user cased them. */
    record Resource(String key, String id, String type, String subscriptionId, String resourceGroup, String name,
                    String location) {
    }

    /**
     * From {@code unitPrice} per {@code unitOfMeasure}, {@code quantityPerHour} units accrue per hour: a VM 1 (hour)
     * per hour at its size's price, a 2-vCPU container group 7,200 vCPU-seconds per hour, a plan of 3 instances 3
     * instance-hours per hour.
     */
    record Rate(String meterCategory, String meterName, String unitOfMeasure, BigDecimal unitPrice,
                BigDecimal quantityPerHour) {
    }

    /**
     * From {@code time} on, the resource accrues at {@code rates} (empty: not billed) until its next transition.
     *
     * @param endsResource a deletion: among transitions of the same instant it comes last
     * @param problem      why the rates that should have opened did not (unknown size, missing field), or null;
     *                     the transition still closes what was open, and the problem is recorded as a rejection
     */
    record Transition(Resource resource, String eventType, Instant time, boolean endsResource, List<Rate> rates,
                      String problem) implements Reading {
    }

    /** Quantities of per-execution meters used on one UTC day (a function execution, a workflow run). */
    record Executions(Resource resource, LocalDate day, List<Quantity> quantities) implements Reading {
    }

    /** @param quantity exact, in {@code unitOfMeasure} */
    record Quantity(String meterCategory, String meterName, String unitOfMeasure, BigDecimal quantity) {
    }

    /** The event cannot be metered: kept with the reason, never retried. */
    record Rejected(String reason) implements Reading {
    }

    /** Not something billing meters (an availability set, a site's configuration): skipped. */
    record NotMetered(String why) implements Reading {
    }
}
