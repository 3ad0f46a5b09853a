package dev.cirrus.contracts.arm;

import java.util.Arrays;
import java.util.UUID;

/**
 * The {@code If-Match} / {@code If-None-Match} headers of a write, checked against the resource's current ETag as
 * ARM's resource-provider contract asks (reference §1.8):
 * <pre>
 *   request                 resource absent    resource present
 *   PUT, no header          create (201)       replace (200)
 *   PUT, If-Match: *        412                200
 *   PUT, If-Match: "x"      412                200 if x matches, else 412
 *   PUT, If-None-Match: *   201                412
 *   PATCH, any If-Match     404                200 if it matches, else 412
 *   DELETE, any If-Match    204                200/202 if it matches, else 412
 * </pre>
 * Failures are 412 {@code PreconditionFailed} naming the header. Comparison is on the opaque value: quotes and a
 * weak prefix {@code W/} are ignored; a header may list several ETags separated by commas.
 *
 * @param ifMatch     the If-Match header, or null
 * @param ifNoneMatch the If-None-Match header, or null
 */
public record Preconditions(String ifMatch, String ifNoneMatch) {

    public static final Preconditions NONE = new Preconditions(null, null);

    /** A fresh ETag for a new version of a resource: an opaque quoted string. */
    public static String newEtag() {
        return "\"" + UUID.randomUUID() + "\"";
    }

    /** Unless a PUT may proceed: {@code currentEtag} is null when the resource is absent. */
    public void checkPut(String currentEtag) {
        if (ifMatch != null && (currentEtag == null || !matches(ifMatch, currentEtag))) {
            throw ArmErrorException.preconditionFailed("If-Match");
        }
        if (ifNoneMatch != null && currentEtag != null && matches(ifNoneMatch, currentEtag)) {
            throw ArmErrorException.preconditionFailed("If-None-Match");
        }
    }

    /** Unless a PATCH, DELETE or action on an existing resource may proceed. */
    public void checkExisting(String currentEtag) {
        if (ifMatch != null && !matches(ifMatch, currentEtag)) {
            throw ArmErrorException.preconditionFailed("If-Match");
        }
        if (ifNoneMatch != null && matches(ifNoneMatch, currentEtag)) {
            throw ArmErrorException.preconditionFailed("If-None-Match");
        }
    }

    /** The same check as {@link #checkExisting}, named for the DELETE row of the table. */
    public void checkDelete(String currentEtag) {
        checkExisting(currentEtag);
    }

    private static boolean matches(String header, String currentEtag) {
        if (currentEtag == null) {
            return false;
        }
        String current = opaque(currentEtag);
        return Arrays.stream(header.split(",")).map(String::trim)
                .anyMatch(tag -> tag.equals("*") || opaque(tag).equals(current));
    }

    private static String opaque(String etag) {
        String e = etag.trim();
        if (e.startsWith("W/")) {
            e = e.substring(2);
        }
        if (e.length() >= 2 && e.startsWith("\"") && e.endsWith("\"")) {
            e = e.substring(1, e.length() - 1);
        }
        return e;
    }
}
