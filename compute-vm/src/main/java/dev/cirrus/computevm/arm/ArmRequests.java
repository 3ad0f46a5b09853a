package dev.cirrus.computevm.arm;

import java.util.Locale;
import java.util.regex.Pattern;

import dev.cirrus.plumbing.arm.ArmException;

/** The checks every ARM request of this service makes on its URL: subscription id and location. */
public final class ArmRequests {

    private static final Pattern GUID =
            Pattern.compile("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");
    private static final Pattern LOCATION = Pattern.compile("[a-z0-9]{1,64}");

    private ArmRequests() {
    }

    /** Subscription ids are GUIDs; anything else is refused the way ARM refuses it. */
    public static String requireSubscriptionId(String subscriptionId) {
        if (subscriptionId == null || !GUID.matcher(subscriptionId).matches()) {
            throw ArmException.badRequest("InvalidSubscriptionId",
                    "The provided subscription identifier '" + subscriptionId + "' is malformed or invalid.", null);
        }
        return subscriptionId;
    }

    /** ARM treats "West US", "westus" and "West us" as one region: lower-case, spaces removed. */
    public static String normaliseLocation(String location) {
        return location == null ? null : location.replace(" ", "").toLowerCase(Locale.ROOT);
    }

    /** A location in a URL or a body: normalised, and refused when it cannot be a region name. */
    public static String requireLocation(String location) {
        String normalised = normaliseLocation(location);
        if (normalised == null || !LOCATION.matcher(normalised).matches()) {
            throw ArmException.badRequest("InvalidLocation",
                    "The location '" + location + "' is not a valid region name.", "location");
        }
        return normalised;
    }
}
