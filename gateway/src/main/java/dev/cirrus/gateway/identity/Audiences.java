package dev.cirrus.gateway.identity;

import java.net.URI;
import java.util.Locale;
import java.util.Set;

import org.springframework.stereotype.Component;

/**
 * Which token audiences name the management endpoint Cirrus stands in for: Azure's own
 * ({@code https://management.azure.com/}, {@code https://management.core.windows.net/}; the JavaScript SDK always
 * asks for the first), the gateway's own address (the Java SDK asks for {@code <resourceManagerEndpoint>/.default}:
 * any loopback address or the host the request was sent to), and {@code cirrus.gateway.identity.audiences}.
 */
@Component
public class Audiences {

    private static final Set<String> AZURE = Set.of("https://management.azure.com", "https://management.core.windows.net");
    private static final Set<String> LOOPBACK = Set.of("localhost", "127.0.0.1", "[::1]", "::1");

    private final Set<String> configured;

    Audiences(IdentityProperties properties) {
        this.configured = Set.copyOf(properties.audiences().stream().map(Audiences::normalised).toList());
    }

    /** True when the audience (a resource, e.g. {@code https://localhost:8443/}) is the management endpoint. */
    public boolean isManagement(String audience, String requestHost) {
        String a = normalised(audience);
        if (AZURE.contains(a) || configured.contains(a)) {
            return true;
        }
        try {
            URI uri = URI.create(a);
            String host = uri.getHost() == null ? null : uri.getHost().toLowerCase(Locale.ROOT);
            return ("https".equals(uri.getScheme()) || "http".equals(uri.getScheme())) && host != null
                    && (LOOPBACK.contains(host) || host.equalsIgnoreCase(requestHost))
                    && (uri.getRawPath() == null || uri.getRawPath().isEmpty());
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    static String normalised(String audience) {
        String a = audience.strip().toLowerCase(Locale.ROOT);
        while (a.endsWith("/")) {
            a = a.substring(0, a.length() - 1);
        }
        return a;
    }
}
