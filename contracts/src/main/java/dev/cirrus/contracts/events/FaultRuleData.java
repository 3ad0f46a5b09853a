package dev.cirrus.contracts.events;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;

/**
 * The data of {@code Cirrus.Faults.RuleCreated} and {@code Cirrus.Faults.RuleDeleted} on {@code cirrus.faults}
 * (subject {@code /cirrus/faults/{ruleId}}): a fault-injection rule of the gateway (gateway/README.md).
 *
 * @param ruleId       the rule's GUID
 * @param kind         {@code error}, {@code latency}, {@code drop} or {@code regionOutage}
 * @param service      the service whose requests it matches (null: any)
 * @param resourceType the {@code Namespace/type} it matches (null: any)
 * @param operation    the HTTP method or action name it matches (null: any)
 * @param probability  the chance that a matching request gets the fault, 0 (exclusive) to 1
 * @param errorStatus  the HTTP status of an {@code error} (else null)
 * @param errorCode    the ARM error code of an {@code error} (else null)
 * @param latency      the ISO-8601 delay of a {@code latency} (else null)
 * @param region       the region of a {@code regionOutage} (else null)
 * @param racks        the racks a {@code regionOutage} failed, {@code cluster/rack} (else empty)
 * @param expiresAt    when the rule ends
 * @param reason       for a deletion: {@code Deleted} (by a caller) or {@code Expired}; null on creation
 */
public record FaultRuleData(String ruleId, String kind, String service, String resourceType, String operation,
                            BigDecimal probability, Integer errorStatus, String errorCode, String latency,
                            String region, List<String> racks, Instant expiresAt, String reason) {
}
