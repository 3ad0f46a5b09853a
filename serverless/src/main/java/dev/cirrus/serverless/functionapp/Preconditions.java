package dev.cirrus.serverless.functionapp;

import java.util.Arrays;

import dev.cirrus.plumbing.arm.ArmException;

/**
 * The {@code If-Match} / {@code If-None-Match} headers of a write, checked against the app's current ETag as ARM
 * does: a PUT with {@code If-Match} needs the app to exist with a matching ETag ({@code *}: any), with
 * {@code If-None-Match: *} it must not exist; a PATCH, DELETE or action with {@code If-Match} needs a match. 412
 * PreconditionFailed otherwise. Quotes and a weak prefix {@code W/} are ignored; a header may list several ETags.
 */
record Preconditions(String ifMatch, String ifNoneMatch) {

    static final Preconditions NONE = new Preconditions(null, null);

    /** {@code currentEtag} is null when the app does not exist. */
    void check(String currentEtag) {
        if (ifMatch != null && (currentEtag == null || !matches(ifMatch, currentEtag))) {
            throw failed("If-Match");
        }
        if (ifNoneMatch != null && currentEtag != null && matches(ifNoneMatch, currentEtag)) {
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
