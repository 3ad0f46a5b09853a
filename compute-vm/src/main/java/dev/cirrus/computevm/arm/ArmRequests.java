package dev.cirrus.computevm.arm;

import java.time.DateTimeException;
import java.time.LocalDate;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.cirrus.plumbing.arm.ArmException;

/** The checks every ARM request of this service makes on its URL: subscription id, location, api-version. */
public final class ArmRequests {

    private static final Pattern GUID =
            Pattern.compile("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");
    private static final Pattern API_VERSION =
            Pattern.compile("(\\d{4})-(\\d{2})-(\\d{2})(-(preview|alpha|beta|rc|privatepreview))?", Pattern.CASE_INSENSITIVE);
    private static final Pattern LOCATION = Pattern.compile("[a-z0-9]{1,64}");

    public static final String MISSING_API_VERSION =
            "The api-version query parameter (?api-version=) is required for all requests.";

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

    /** {@code YYYY-MM-DD} with a real date, optionally {@code -preview|-alpha|-beta|-rc|-privatepreview}. */
    public static void requireApiVersion(String apiVersion) {
        if (apiVersion == null) {
            throw ArmException.badRequest("MissingApiVersionParameter", MISSING_API_VERSION, "api-version");
        }
        Matcher m = API_VERSION.matcher(apiVersion);
        boolean valid = m.matches();
        if (valid) {
            try {
                LocalDate.of(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)), Integer.parseInt(m.group(3)));
            } catch (DateTimeException e) {
                valid = false;
            }
        }
        if (!valid) {
            throw ArmException.badRequest("InvalidApiVersionParameter", "The api-version '" + apiVersion
                    + "' is invalid. The supported versions are dates of the form 'YYYY-MM-DD', optionally followed by"
                    + " '-preview', e.g. '2024-07-01'.", "api-version");
        }
    }
}
