package dev.cirrus.plumbing.arm;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.io.ByteArrayOutputStream;

import dev.cirrus.contracts.arm.ArmError;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.web.filter.OncePerRequestFilter;
import tools.jackson.databind.ObjectMapper;

/**
 * Refuses a query string that is not valid percent-encoded UTF-8 before anything reads a parameter: {@code ?x=%ZZ}
 * (not a percent-escape), {@code ?x=%FF} (not UTF-8), {@code $skiptoken=%C3} (cut short) are 400
 * {@code InvalidParameter} naming the parameter, as an ARM error body. Without it the servlet container would drop
 * or garble such parameters, or fail on them with a 500.
 */
class MalformedQueryFilter extends OncePerRequestFilter {

    private final ObjectMapper json;

    MalformedQueryFilter(ObjectMapper json) {
        this.json = json;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String query = request.getQueryString();
        ArmError error = query == null ? null : check(query);
        if (error != null) {
            response.setStatus(400);
            response.setContentType("application/json");
            json.writeValue(response.getOutputStream(), error.body());
            return;
        }
        chain.doFilter(request, response);
    }

    /** The error for the first parameter whose name or value is malformed, or null when the query is well-formed. */
    static ArmError check(String query) {
        for (String pair : query.split("&")) {
            int eq = pair.indexOf('=');
            String rawName = eq < 0 ? pair : pair.substring(0, eq);
            String problem = problem(rawName);
            if (problem == null && eq >= 0) {
                problem = problem(pair.substring(eq + 1));
            }
            if (problem != null) {
                String name = decodedOrRaw(rawName);
                return new ArmError("InvalidParameter", "The query parameter '" + name + "' is not valid: " + problem
                        + ". Query names and values must be percent-encoded UTF-8.", name);
            }
        }
        return null;
    }

    /** What is wrong with one raw query component, or null. */
    private static String problem(String raw) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(raw.length());
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            if (c == '%') {
                if (i + 2 >= raw.length() || Character.digit(raw.charAt(i + 1), 16) < 0
                        || Character.digit(raw.charAt(i + 2), 16) < 0) {
                    return "'" + printable(raw.substring(i, Math.min(raw.length(), i + 3)))
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

    private static String decodedOrRaw(String rawName) {
        if (problem(rawName) != null) {
            return printable(rawName);
        }
        return printable(java.net.URLDecoder.decode(rawName, StandardCharsets.UTF_8));
    }

    private static String printable(String s) {
        StringBuilder b = new StringBuilder();
        s.codePoints().limit(100).forEach(c -> {
            if (Character.isISOControl(c) || c == '"' || c == '\\') {
                b.append(String.format("\\u%04x", c));
            } else {
                b.appendCodePoint(c);
            }
        });
        return b.toString();
    }
}
