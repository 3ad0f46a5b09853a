package dev.cirrus.computevm.batch.service;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Batch's Shared Key signature (the same scheme as Azure Storage's): HMAC-SHA256 with the base64-decoded account key
 * over the string to sign
 * <pre>
 *   VERB \n Content-Encoding \n Content-Language \n Content-Length \n Content-MD5 \n Content-Type \n Date \n
 *   If-Modified-Since \n If-Match \n If-None-Match \n If-Unmodified-Since \n Range \n
 *   ocp-* headers, lower-cased, sorted, "name:value\n" each
 *   /{account}{path} then "\n{key}:{value}" per query parameter (keys lower-cased, sorted, values decoded)
 * </pre>
 * Date is empty when {@code ocp-date} is sent (it is among the ocp- headers then). Example: a GET of
 * {@code /pools?api-version=2024-07-01.20.0} on account {@code acct} with {@code ocp-date: Sun, 06 Dec 2026 22:00:00 GMT}
 * signs {@code "GET\n\n\n\n\n\n\n\n\n\n\n\nocp-date:Sun, 06 Dec 2026 22:00:00 GMT\n/acct/pools\napi-version:2024-07-01.20.0"}.
 * Clients differ on a zero Content-Length (the Java SDK signs "0", Storage's rule signs ""), so both are accepted.
 */
final class SharedKey {

    private SharedKey() {
    }

    /** The strings to sign a request may have been signed over (one, or two when Content-Length is 0). */
    static List<String> stringsToSign(String method, Function<String, String> header, Iterable<String> headerNames,
                                      String account, String path, String rawQuery) {
        String length = nullToEmpty(header.apply("Content-Length"));
        List<String> result = new ArrayList<>();
        result.add(stringToSign(method, header, headerNames, account, path, rawQuery, length));
        if (length.equals("0")) {
            result.add(stringToSign(method, header, headerNames, account, path, rawQuery, ""));
        } else if (length.isEmpty()) {
            result.add(stringToSign(method, header, headerNames, account, path, rawQuery, "0"));
        }
        return result;
    }

    static String stringToSign(String method, Function<String, String> header, Iterable<String> headerNames,
                               String account, String path, String rawQuery, String contentLength) {
        StringBuilder s = new StringBuilder(method.toUpperCase(Locale.ROOT)).append('\n');
        s.append(nullToEmpty(header.apply("Content-Encoding"))).append('\n');
        s.append(nullToEmpty(header.apply("Content-Language"))).append('\n');
        s.append(contentLength).append('\n');
        s.append(nullToEmpty(header.apply("Content-MD5"))).append('\n');
        s.append(nullToEmpty(header.apply("Content-Type"))).append('\n');
        s.append(header.apply("ocp-date") != null ? "" : nullToEmpty(header.apply("Date"))).append('\n');
        for (String h : List.of("If-Modified-Since", "If-Match", "If-None-Match", "If-Unmodified-Since", "Range")) {
            s.append(nullToEmpty(header.apply(h))).append('\n');
        }
        Map<String, String> ocp = new TreeMap<>();
        for (String name : headerNames) {
            String lower = name.toLowerCase(Locale.ROOT);
            if (lower.startsWith("ocp-")) {
                String value = nullToEmpty(header.apply(name)).replace('\n', ' ').replace('\r', ' ').replaceAll("^ +", "");
                ocp.put(lower, value);
            }
        }
        ocp.forEach((k, v) -> s.append(k).append(':').append(v).append('\n'));
        s.append('/').append(account.toLowerCase(Locale.ROOT)).append('/').append(path.replaceAll("^/+", ""));
        if (rawQuery != null && !rawQuery.isEmpty()) {
            Map<String, String> query = new TreeMap<>();
            for (String pair : rawQuery.split("&")) {
                if (pair.isEmpty()) {
                    continue;
                }
                int eq = pair.indexOf('=');
                String key = decode(eq < 0 ? pair : pair.substring(0, eq)).toLowerCase(Locale.ROOT);
                String value = eq < 0 ? "" : decode(pair.substring(eq + 1));
                query.merge(key, value, (a, b) -> a + "," + b);
            }
            query.forEach((k, v) -> s.append('\n').append(k).append(':').append(v));
        }
        return s.toString();
    }

    static String sign(String base64Key, String stringToSign) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(Base64.getDecoder().decode(base64Key), "HmacSHA256"));
            return Base64.getEncoder().encodeToString(mac.doFinal(stringToSign.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 unavailable", e);
        }
    }

    /** Constant-time comparison of two signatures. */
    static boolean same(String a, String b) {
        return MessageDigest.isEqual(a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));
    }

    private static String decode(String s) {
        return URLDecoder.decode(s, StandardCharsets.UTF_8);
    }

    private static String nullToEmpty(String s) {
        return s == null ? "" : s;
    }
}
