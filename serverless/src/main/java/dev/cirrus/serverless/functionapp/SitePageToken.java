package dev.cirrus.serverless.functionapp;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

import dev.cirrus.plumbing.arm.ArmException;

/** The opaque {@code $skiptoken} of a sites list: the (lower-cased) id the next page starts after. */
final class SitePageToken {

    private static final String PREFIX = "s1:";

    private SitePageToken() {
    }

    static String encode(String lastKey) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString((PREFIX + lastKey).getBytes(StandardCharsets.UTF_8));
    }

    static String decode(String token) {
        if (token == null || token.isEmpty()) {
            return null;
        }
        try {
            String decoded = new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8);
            if (decoded.startsWith(PREFIX)) {
                return decoded.substring(PREFIX.length());
            }
        } catch (IllegalArgumentException e) {
            // not base64: refused below
        }
        throw ArmException.invalidParameter("The $skiptoken is not valid. Use the nextLink of the previous page as it "
                + "was returned.", "$skiptoken");
    }
}
