package dev.cirrus.computevm.availabilityset;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

import dev.cirrus.plumbing.arm.ArmException;

/**
 * An availability set: a placement group whose VMs the placement engine spreads over
 * {@code faultDomainCount} racks and {@code updateDomainCount} update domains. Counts and location are fixed at
 * creation; tags and the sku (Classic → Aligned only, as Azure converts) can change. A set with members cannot be
 * deleted.
 */
public final class AvailabilitySet {

    public static final String TYPE = "Microsoft.Compute/availabilitySets";

    private String subscriptionId;
    private String resourceGroup;
    private String name;
    private final String location;
    private String sku;
    private final int faultDomainCount;
    private final int updateDomainCount;
    private Map<String, String> tags;
    private String etag;

    AvailabilitySet(String subscriptionId, String resourceGroup, String name, String location, String sku,
                    int faultDomainCount, int updateDomainCount, Map<String, String> tags, String etag) {
        this.subscriptionId = subscriptionId;
        this.resourceGroup = resourceGroup;
        this.name = name;
        this.location = Objects.requireNonNull(location);
        this.sku = Objects.requireNonNull(sku);
        this.faultDomainCount = faultDomainCount;
        this.updateDomainCount = updateDomainCount;
        this.tags = Collections.unmodifiableMap(new LinkedHashMap<>(tags));
        this.etag = etag;
    }

    /** The body of a PUT (or of a PATCH merged onto the stored set), validated. */
    public record Request(String location, String sku, Integer faultDomainCount, Integer updateDomainCount,
                          Map<String, String> tags) {
    }

    static AvailabilitySet create(String subscriptionId, String resourceGroup, String name, Request r) {
        // Azure's defaults: templates and the portal use 2 fault domains; Azure's update-domain default is 5
        return new AvailabilitySet(subscriptionId, resourceGroup, name, r.location(),
                r.sku() == null ? "Classic" : r.sku(),
                r.faultDomainCount() == null ? 2 : r.faultDomainCount(),
                r.updateDomainCount() == null ? 5 : r.updateDomainCount(), r.tags(), null);
    }

    /** A PUT or PATCH on this set: tags replaced, the sku converted; anything else must stay as it is. */
    void update(String subscriptionId, String resourceGroup, String name, Request r) {
        if (!r.location().equals(location)) {
            throw changeNotAllowed("location", "location");
        }
        if (r.faultDomainCount() != null && r.faultDomainCount() != faultDomainCount) {
            throw changeNotAllowed("platformFaultDomainCount", "properties.platformFaultDomainCount");
        }
        if (r.updateDomainCount() != null && r.updateDomainCount() != updateDomainCount) {
            throw changeNotAllowed("platformUpdateDomainCount", "properties.platformUpdateDomainCount");
        }
        if (r.sku() != null && !r.sku().equals(sku)) {
            if (r.sku().equals("Classic")) {
                throw new ArmException(409, "OperationNotAllowed", "An Aligned availability set cannot be converted "
                        + "back to Classic.", "sku.name");
            }
            this.sku = r.sku();
        }
        this.subscriptionId = subscriptionId;
        this.resourceGroup = resourceGroup;
        this.name = name;
        this.tags = Collections.unmodifiableMap(new LinkedHashMap<>(r.tags()));
    }

    /** Refuses a delete while VMs are in the set. */
    void checkDeletable(List<String> memberNames) {
        if (!memberNames.isEmpty()) {
            throw new ArmException(409, "OperationNotAllowed", "Availability Set '" + name + "' cannot be deleted. "
                    + "Before deleting an Availability Set please ensure that it does not contain any VM: it contains "
                    + String.join(", ", memberNames) + ".", null);
        }
    }

    private static ArmException changeNotAllowed(String property, String target) {
        return new ArmException(409, "PropertyChangeNotAllowed", "Changing property '" + property + "' is not allowed.",
                target);
    }

    public static String id(String subscriptionId, String resourceGroup, String name) {
        return "/subscriptions/" + subscriptionId + "/resourceGroups/" + resourceGroup + "/providers/" + TYPE + "/" + name;
    }

    public String id() {
        return id(subscriptionId, resourceGroup, name);
    }

    public String key() {
        return id().toLowerCase(Locale.ROOT);
    }

    public String subscriptionId() {
        return subscriptionId;
    }

    public String resourceGroup() {
        return resourceGroup;
    }

    public String name() {
        return name;
    }

    public String location() {
        return location;
    }

    public String sku() {
        return sku;
    }

    public int faultDomainCount() {
        return faultDomainCount;
    }

    public int updateDomainCount() {
        return updateDomainCount;
    }

    public Map<String, String> tags() {
        return new LinkedHashMap<>(tags);
    }

    public String etag() {
        return etag;
    }

    void etag(String etag) {
        this.etag = etag;
    }
}
