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
    private final Set<String> configuredHosts;

    Audiences(IdentityProperties properties) {
        this.configured = Set.copyOf(properties.audiences().stream().map(Audiences::normalised).toList());
        this.configuredHosts = Set.copyOf(configured.stream().map(Audiences::hostOf).filter(h -> !h.isEmpty())
                .toList());
    }

    private static String hostOf(String url) {
        try {
            String host = URI.create(url).getHost();
            return host == null ? "" : host.toLowerCase(Locale.ROOT);
        } catch (IllegalArgumentException e) {
            return "";
        }
    }

    /** True when the audience (a resource, e.g. {@code https://localhost:8443/}) is the management endpoint. */
    public boolean isManagement(String audience, String requestHost) {
        String a = normalised(audience);
        if (AZURE.contains(a) || configured.contains(a)) {
            return true;
        }
        try {
            URI uri = URI.create(a);
            return isOwnAddress(uri, requestHost) && (uri.getRawPath() == null || uri.getRawPath().isEmpty());
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /**
     * True when the URL is an http(s) address of this gateway: a loopback host, the host the request was sent to, or
     * the host of a configured audience (the gateway's public name behind an ingress). The port is not compared: the
     * gateway answers on two (HTTP and HTTPS), and an ingress publishes others.
     */
    public boolean isOwnAddress(URI uri, String requestHost) {
        String host = uri.getHost() == null ? null : uri.getHost().toLowerCase(Locale.ROOT);
        return ("https".equals(uri.getScheme()) || "http".equals(uri.getScheme())) && host != null
                && (LOOPBACK.contains(host) || host.equalsIgnoreCase(requestHost) || configuredHosts.contains(host));
    }

    static String normalised(String audience) {
        String a = audience.strip().toLowerCase(Locale.ROOT);
        while (a.endsWith("/")) {
            a = a.substring(0, a.length() - 1);
        }
        return a;
    }
}
