package dev.cirrus.computevm.arm;

import java.util.Arrays;

import dev.cirrus.plumbing.arm.ArmException;

/**
 * The {@code If-Match} / {@code If-None-Match} headers of a write, checked against the resource's current ETag as
 * ARM's resource provider contract asks:
 * <pre>
 *   request                 resource absent    resource present
 *   PUT, no header          create (201)       replace (200)
 *   PUT, If-Match: *        412                200
 *   PUT, If-Match: "x"      412                200 if x matches, else 412
 *   PUT, If-None-Match: *   201                412
 *   DELETE, any If-Match    204                202 if it matches, else 412
 * </pre>
 * Comparison is ETag-strong on the opaque value: quotes and a weak prefix {@code W/} are ignored; a header may list
 * several ETags separated by commas.
 */
public record Preconditions(String ifMatch, String ifNoneMatch) {

    public static final Preconditions NONE = new Preconditions(null, null);

    /** Throws 412 PreconditionFailed unless a PUT may proceed; {@code currentEtag} is null when the resource is absent. */
    public void checkPut(String currentEtag) {
        if (ifMatch != null && (currentEtag == null || !matches(ifMatch, currentEtag))) {
            throw failed("If-Match");
        }
        if (ifNoneMatch != null && currentEtag != null && matches(ifNoneMatch, currentEtag)) {
            throw failed("If-None-Match");
        }
    }

    /** Throws 412 PreconditionFailed unless a DELETE of an existing resource may proceed. */
    public void checkDelete(String currentEtag) {
        if (ifMatch != null && !matches(ifMatch, currentEtag)) {
            throw failed("If-Match");
        }
        if (ifNoneMatch != null && matches(ifNoneMatch, currentEtag)) {
            throw failed("If-None-Match");
        }
    }

    private static boolean matches(String header, String currentEtag) {
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

    private static ArmException failed(String header) {
        return new ArmException(412, "PreconditionFailed",
                "The condition specified in the " + header + " header was not satisfied by the resource's current ETag.",
                header);
    }
}
