package dev.cirrus.placement.allocation;

import java.util.List;
import java.util.Locale;

/**
 * The availability set or scale set a VM belongs to, with the group's domain counts. The rules that use them are in
 * {@link GroupState}; a scale set's fault-domain count 1 means "max spreading".
 */
public record PlacementGroup(Kind kind, String id, int faultDomainCount, int updateDomainCount) {

    public enum Kind {
        AVAILABILITY_SET("availability_set", 3),
        SCALE_SET("scale_set", 5);

        private final String field;
        private final int maxFaultDomains;

        Kind(String field, int maxFaultDomains) {
            this.field = field;
            this.maxFaultDomains = maxFaultDomains;
        }
    }

    /** Adds what is wrong with the group, named by its proto fields, to {@code problems}. */
    void check(List<String> problems) {
        String prefix = "group." + kind.field + ".";
        if (id == null || id.isBlank()) {
            problems.add(prefix + "id is required");
        }
        if (faultDomainCount < 1 || faultDomainCount > kind.maxFaultDomains) {
            problems.add(prefix + "fault_domain_count must be between 1 and " + kind.maxFaultDomains + ", got "
                    + faultDomainCount);
        }
        if (kind == Kind.AVAILABILITY_SET && (updateDomainCount < 1 || updateDomainCount > 20)) {
            problems.add(prefix + "update_domain_count must be between 1 and 20, got " + updateDomainCount);
        }
    }

    /** The group's key: ARM ids are case-insensitive. */
    String key() {
        return id.strip().toLowerCase(Locale.ROOT);
    }

    /** "set 'web'" or "scale set 'web'": the last segment of the id, for diagnoses. */
    String displayName() {
        String key = key();
        String last = key.substring(key.lastIndexOf('/') + 1);
        return (kind == Kind.AVAILABILITY_SET ? "set '" : "scale set '") + last + "'";
    }
}
