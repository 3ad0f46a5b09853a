package dev.cirrus.contracts.arm;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/**
 * A list's {@code nextLink}: the request's own URL with its query parameters re-encoded from their decoded values,
 * any earlier {@code $skiptoken} (in whatever casing) replaced by the new one. So {@code $filter}, {@code $top} and
 * {@code api-version} carry over to the next page, and a client that sent {@code %24top} or {@code $top} gets one
 * link shape.
 */
public final class NextLink {

    private static final String SAFE = "-._~!$'()*,;:@/?";

    private NextLink() {
    }

    /**
     * @param url        the request's absolute URL without query ({@code https://host/subscriptions/…/virtualMachines})
     * @param parameters the request's decoded query parameters, in order
     * @param token      the next page's {@link SkipToken}
     */
    public static String of(String url, Map<String, List<String>> parameters, String token) {
        StringBuilder link = new StringBuilder(url);
        char separator = '?';
        for (Map.Entry<String, List<String>> parameter : parameters.entrySet()) {
            if (parameter.getKey().equalsIgnoreCase(SkipToken.PARAMETER)) {
                continue;
            }
            for (String value : parameter.getValue()) {
                link.append(separator).append(encode(parameter.getKey())).append('=').append(encode(value));
                separator = '&';
            }
        }
        return link.append(separator).append(SkipToken.PARAMETER).append('=').append(encode(token)).toString();
    }

    /** Percent-encodes a query name or value: everything but letters, digits and {@value #SAFE}. */
    static String encode(String s) {
        StringBuilder b = new StringBuilder(s.length());
        for (byte x : s.getBytes(StandardCharsets.UTF_8)) {
            int c = x & 0xff;
            if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || SAFE.indexOf(c) >= 0) {
                b.append((char) c);
            } else {
                b.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
                        .append(Character.toUpperCase(Character.forDigit(c & 15, 16)));
            }
        }
        return b.toString();
    }
}
