package dev.cirrus.contracts.arm;

import java.io.ByteArrayOutputStream;
import java.net.URLDecoder;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * Whether a raw query string (as it came on the request line, before any decoding) is percent-encoded UTF-8:
 * {@code ?x=%ZZ} (not a percent-escape), {@code ?x=%FF} (not UTF-8) and {@code $skiptoken=%C3} (cut short) are not.
 * The answer for such a query is 400 {@code InvalidParameter} naming the parameter — before anything decodes it, so
 * that no decoder drops, garbles or fails on it. Both web stacks use it: the servlet services through plumbing's
 * filter, the gateway where it reads query values.
 */
public final class QueryEncoding {

    private QueryEncoding() {
    }

    /** The error for the first parameter whose name or value is malformed, or empty when the query is well-formed. */
    public static Optional<ArmError> check(String rawQuery) {
        if (rawQuery == null || rawQuery.isEmpty()) {
            return Optional.empty();
        }
        for (String pair : rawQuery.split("&")) {
            int eq = pair.indexOf('=');
            String rawName = eq < 0 ? pair : pair.substring(0, eq);
            String problem = problem(rawName);
            if (problem == null && eq >= 0) {
                problem = problem(pair.substring(eq + 1));
            }
            if (problem != null) {
                String name = problem(rawName) == null
                        ? ArmTags.printable(URLDecoder.decode(rawName, StandardCharsets.UTF_8)) : ArmTags.printable(rawName);
                return Optional.of(new ArmError("InvalidParameter", "The query parameter '" + name + "' is not valid: "
                        + problem + ". Query names and values must be percent-encoded UTF-8.", name));
            }
        }
        return Optional.empty();
    }

    /** What is wrong with one raw query component, or null. */
    static String problem(String raw) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(raw.length());
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            if (c == '%') {
                if (i + 2 >= raw.length() || Character.digit(raw.charAt(i + 1), 16) < 0
                        || Character.digit(raw.charAt(i + 2), 16) < 0) {
                    return "'" + ArmTags.printable(raw.substring(i, Math.min(raw.length(), i + 3)))
                            + "' is not a percent-escape";
                }
                bytes.write(Character.digit(raw.charAt(i + 1), 16) * 16 + Character.digit(raw.charAt(i + 2), 16));
                i += 2;
            } else {
                bytes.writeBytes(String.valueOf(c).getBytes(StandardCharsets.UTF_8));
            }
        }
        try {
            StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes.toByteArray()));
            return null;
        } catch (CharacterCodingException e) {
            return "its percent-escapes are not UTF-8";
        }
    }
}
