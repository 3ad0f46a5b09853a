package dev.cirrus.computevm.vm;

import java.util.Locale;

/**
 * The availability set a VM belongs to, as the placement engine needs it.
 *
 * @param id                the set's ARM id (the set's own casing)
 * @param faultDomainCount  1..3
 * @param updateDomainCount 1..20
 */
public record AvailabilitySetRef(String id, int faultDomainCount, int updateDomainCount) {

    /** The lower-cased id: the set's identity and its placement group id. */
    public String key() {
        return id.toLowerCase(Locale.ROOT);
    }
}
