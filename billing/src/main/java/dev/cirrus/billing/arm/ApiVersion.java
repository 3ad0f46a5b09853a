package dev.cirrus.billing.arm;

import java.util.regex.Pattern;

import dev.cirrus.plumbing.arm.ArmException;

/**
 * ARM's {@code api-version} rule (reference §1.2): every request names one, of the form {@code YYYY-MM-DD} with an
 * optional pre-release suffix. The gateway checks it too; the service checks it again so that it answers the same
 * way when it is called directly.
 */
public final class ApiVersion {

    private static final Pattern FORM =
            Pattern.compile("\\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\\d|3[01])(-(preview|alpha|beta|rc|privatepreview))?");

    private ApiVersion() {
    }

    /** Refuses a missing or malformed api-version with ARM's 400 error. */
    public static void require(String apiVersion) {
        if (apiVersion == null || apiVersion.isEmpty()) {
            throw ArmException.badRequest("MissingApiVersionParameter",
                    "The api-version query parameter (?api-version=) is required for all requests.", "api-version");
        }
        if (!FORM.matcher(apiVersion).matches()) {
            throw ArmException.badRequest("InvalidApiVersionParameter", "The api-version '" + apiVersion
                    + "' is invalid. The supported versions are of the form 'YYYY-MM-DD' or 'YYYY-MM-DD-preview', "
                    + "e.g. '2024-08-01'.", "api-version");
        }
    }
}
