package dev.cirrus.contracts.arm;

import java.time.DateTimeException;
import java.time.LocalDate;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;


/**
 * ARM's api-version rule: every ARM call carries {@code ?api-version=YYYY-MM-DD}, optionally
 * suffixed {@code -preview}, {@code -alpha}, {@code -beta}, {@code -rc} or {@code -privatepreview}, and the date is a
 * real date. The gateway checks it before routing, and every servlet service checks it again (the plumbing's
 * {@code ApiVersionInterceptor}) because services are reachable directly too. Only the shape is checked, not which
 * versions a resource type supports.
 */
public final class ApiVersion {

    public static final String PARAMETER = "api-version";

    private static final Pattern SHAPE = Pattern.compile(
            "(\\d{4})-(\\d{2})-(\\d{2})(-(preview|alpha|beta|rc|privatepreview))?", Pattern.CASE_INSENSITIVE);

    private ApiVersion() {
    }

    /**
     * Checks the values of the api-version query parameter.
     *
     * @param values every value the query carried for the parameter (empty when absent)
     * @return the ARM error to answer with, or empty when the version is acceptable
     */
    public static Optional<ArmError> check(List<String> values) {
        List<String> given = values.stream().filter(v -> v != null && !v.isBlank()).distinct().toList();
        if (given.isEmpty()) {
            return Optional.of(new ArmError("MissingApiVersionParameter",
                    "The api-version query parameter (?api-version=) is required for all requests.", PARAMETER));
        }
        if (given.size() > 1) {
            return Optional.of(invalid(String.join(",", given)));
        }
        return isWellFormed(given.getFirst()) ? Optional.empty() : Optional.of(invalid(given.getFirst()));
    }

    public static boolean isWellFormed(String version) {
        Matcher m = SHAPE.matcher(version);
        if (!m.matches()) {
            return false;
        }
        try {
            LocalDate.of(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)), Integer.parseInt(m.group(3)));
            return true;
        } catch (DateTimeException e) {
            return false;
        }
    }

    private static ArmError invalid(String version) {
        return new ArmError("InvalidApiVersionParameter", "The api-version '" + version + "' is invalid. "
                + "The supported versions are dates in the form 'YYYY-MM-DD', optionally followed by '-preview', "
                + "'-alpha', '-beta', '-rc' or '-privatepreview'.", PARAMETER);
    }
}
