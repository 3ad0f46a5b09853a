package dev.cirrus.contracts.events;

/**
 * The data of {@code Cirrus.Faults.FaultInjected} on {@code cirrus.faults} (subject {@code /cirrus/faults/{ruleId}}):
 * the gateway injected a rule's fault into one ARM request.
 *
 * @param ruleId       the rule's GUID
 * @param kind         {@code error}, {@code latency} or {@code drop}
 * @param method       the request's HTTP method
 * @param path         the request's path
 * @param requestId    the request's {@code x-ms-request-id}
 * @param service      the service the request was for
 * @param resourceType the {@code Namespace/type} it addressed (null: none)
 * @param errorStatus  the status answered for an {@code error} (else null)
 * @param errorCode    the code answered for an {@code error} (else null)
 * @param latency      the ISO-8601 delay added for a {@code latency} (else null)
 */
public record FaultInjectedData(String ruleId, String kind, String method, String path, String requestId,
                                String service, String resourceType, Integer errorStatus, String errorCode,
                                String latency) {
}
