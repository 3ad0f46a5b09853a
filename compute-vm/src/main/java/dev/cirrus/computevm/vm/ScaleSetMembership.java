package dev.cirrus.computevm.vm;

import java.util.Locale;

/**
 * The scale set a VM is an instance of, as the VM keeps it.
 *
 * @param id                         the set's ARM id (the set's own casing)
 * @param faultDomainCount           the set's platformFaultDomainCount (1 = max spreading), for the placement group
 * @param instanceSeq                the instance id as a number (Uniform), or the order of creation (Flexible): ids
 *                                   only grow, so NewestVM / OldestVM and Default's "highest id" read it
 * @param modelVersion               the set's model version this instance runs: latestModelApplied compares it
 * @param protectFromScaleIn         a scale-in never picks this instance
 * @param protectFromScaleSetActions set-wide actions without instanceIds (and scale-in) leave it alone
 */
public record ScaleSetMembership(String id, int faultDomainCount, long instanceSeq, int modelVersion,
                                 boolean protectFromScaleIn, boolean protectFromScaleSetActions) {

    /** The lower-cased id: the set's identity and its placement group id. */
    public String key() {
        return id.toLowerCase(Locale.ROOT);
    }

    ScaleSetMembership withModel(int version) {
        return new ScaleSetMembership(id, faultDomainCount, instanceSeq, version, protectFromScaleIn,
                protectFromScaleSetActions);
    }

    ScaleSetMembership withProtection(boolean fromScaleIn, boolean fromScaleSetActions) {
        return new ScaleSetMembership(id, faultDomainCount, instanceSeq, modelVersion, fromScaleIn, fromScaleSetActions);
    }
}
