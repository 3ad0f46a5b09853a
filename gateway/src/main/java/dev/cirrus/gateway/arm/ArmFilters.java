package dev.cirrus.gateway.arm;

import org.springframework.core.Ordered;

/**
 * The order in which the gateway applies ARM's rules to a request, before any handler or route runs: the first
 * rule a request breaks is the error the client sees.
 */
public final class ArmFilters {

    /** Request ids first, so that every answer carries them, errors included. */
    public static final int REQUEST_IDS = Ordered.HIGHEST_PRECEDENCE + 100;
    /** ARM's 4 MB request limit. */
    public static final int BODY_LIMIT = REQUEST_IDS + 10;
    /** A valid bearer token (401 first: an anonymous caller learns nothing else). */
    public static final int AUTHENTICATION = BODY_LIMIT + 10;
    /** api-version, then the shape of the subscription id. */
    public static final int CONVENTIONS = AUTHENTICATION + 10;
    /** ARM's token buckets per subscription, principal and operation class (429). */
    public static final int THROTTLING = CONVENTIONS + 10;
    /** The subscription exists in the caller's tenant, and a role assignment allows the action at the scope (403). */
    public static final int AUTHORIZATION = THROTTLING + 10;
    /** The resource group of a nested path must exist (404 before any service is called). */
    public static final int RESOURCE_GROUP_SCOPE = AUTHORIZATION + 10;
    /** Role assignments and definitions, which the gateway serves itself at any scope. */
    public static final int AUTHORIZATION_RESOURCES = RESOURCE_GROUP_SCOPE + 5;
    /** The provider namespace must belong to a service. */
    public static final int PROVIDER_REGISTRATION = RESOURCE_GROUP_SCOPE + 10;
    /**
     * Fault injection (faults.FaultInjectionFilter): an error, a delay or a dropped connection for the requests a
     * rule matches, once the request is known to be a valid, allowed call of a known service.
     */
    public static final int FAULT_INJECTION = PROVIDER_REGISTRATION + 10;

    private ArmFilters() {
    }
}
