package dev.cirrus.computevm.arm;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

import dev.cirrus.plumbing.arm.ArmException;

/**
 * The opaque {@code $skipToken} of a list's {@code nextLink}: the key after which the next page starts (keyset
 * paging, so pages stay correct while resources are added or removed between calls).
 */
public final class PageToken {

    private static final String PREFIX = "k1:";

    private PageToken() {
    }

    public static String encode(String lastKey) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString((PREFIX + lastKey).getBytes(StandardCharsets.UTF_8));
    }

    /** The key a page starts after, or null for the first page; 400 for a token this service did not issue. */
    public static String decode(String token) {
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
        throw ArmException.invalidParameter("The $skipToken '" + token + "' is not valid. Use the nextLink of the "
                + "previous page as it was returned.", "$skipToken");
    }

    /** {@code $top}: a positive page-size cap, or null when absent. */
    public static Integer top(String top) {
        if (top == null) {
            return null;
        }
        try {
            int n = Integer.parseInt(top.trim());
            if (n > 0) {
                return n;
            }
        } catch (NumberFormatException e) {
            // refused below
        }
        throw ArmException.invalidParameter("The value '" + top + "' of $top is not valid: it must be a positive integer.",
                "$top");
    }
}
