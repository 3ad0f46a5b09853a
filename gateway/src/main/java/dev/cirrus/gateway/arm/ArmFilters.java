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
    /** api-version, then the shape of the subscription id. */
    public static final int CONVENTIONS = BODY_LIMIT + 10;
    /** The resource group of a nested path must exist (404 before any service is called). */
    public static final int RESOURCE_GROUP_SCOPE = CONVENTIONS + 10;
    /** The provider namespace must belong to a service. */
    public static final int PROVIDER_REGISTRATION = RESOURCE_GROUP_SCOPE + 10;

    private ArmFilters() {
    }
}
