package dev.cirrus.gateway.metadata;

import java.net.URI;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.cirrus.gateway.tls.HttpsListener;
import dev.cirrus.plumbing.arm.ArmException;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ServerWebExchange;

/**
 * ARM's cloud metadata, {@code GET /metadata/endpoints?api-version=…} (no token needed), describing Cirrus so that a
 * client given only the resource manager's URL finds the rest, e.g.
 * {@code az cloud register -n cirrus --endpoint-resource-manager https://localhost:8443/}:
 * <ul>
 *   <li>the resource manager is the gateway's HTTPS address, with the host the request was sent to (the port of the
 *       HTTPS listener when the request came over plain HTTP: the SDKs and the CLI send tokens over HTTPS only);</li>
 *   <li>the login endpoint is the gateway's AD FS style authority, {@code <resource manager>/adfs}, for which MSAL
 *       asks no one else to vouch (the identity package's {@code TokenController});</li>
 *   <li>the audience is the resource manager's address (Azure's management audiences are accepted too);</li>
 *   <li>the graph, gallery and portal are the gateway's address: nothing here stands in for them, and a client that
 *       follows them reaches the gateway (a 404), never a third party with a Cirrus token.</li>
 * </ul>
 * Shapes: 2015-01-01 {@code {galleryEndpoint, graphEndpoint, portalEndpoint, authentication:{loginEndpoint,
 * audiences}}} (what the Azure CLI 2.45 reads on {@code cloud register}); 2022-09-01 one cloud
 * {@code {name, portal, authentication:{loginEndpoint, audiences, tenant, identityProvider}, graph, graphAudience,
 * resourceManager, gallery, suffixes, …}} (what newer CLIs and Terraform read); 2019-05-01 and 2020-06-01 the list of
 * clouds in that shape (what {@code ARM_CLOUD_METADATA_URL} takes). The CLI appends the path to the URL it was given,
 * so {@code //metadata/endpoints} is served too.
 */
@RestController
class MetadataEndpointsController {

    static final String NAME = "Cirrus";
    private static final List<String> VERSIONS = List.of("2022-09-01", "2020-06-01", "2019-05-01", "2015-01-01");

    private final HttpsListener https;

    MetadataEndpointsController(HttpsListener https) {
        this.https = https;
    }

    @GetMapping({"/metadata/endpoints", "//metadata/endpoints"})
    Object endpoints(@RequestParam(name = "api-version", required = false) String apiVersion,
                     ServerWebExchange exchange) {
        if (apiVersion == null || apiVersion.isBlank()) {
            throw new ArmException(400, "MissingApiVersionParameter",
                    "The api-version query parameter (?api-version=) is required for all requests.", "api-version");
        }
        String base = resourceManager(exchange);
        return switch (apiVersion.strip()) {
            case "2015-01-01" -> legacy(base);
            case "2019-05-01", "2020-06-01" -> List.of(cloud(base));
            case "2022-09-01" -> cloud(base);
            default -> throw new ArmException(400, "InvalidApiVersionParameter", "The api-version '" + apiVersion
                    + "' is invalid. The supported versions are '" + String.join(",", VERSIONS) + "'.",
                    "api-version");
        };
    }

    private static Map<String, Object> legacy(String base) {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("galleryEndpoint", base + "/");
        doc.put("graphEndpoint", base + "/");
        doc.put("portalEndpoint", base + "/");
        doc.put("authentication", Map.of("loginEndpoint", base + "/adfs", "audiences", audiences(base)));
        return doc;
    }

    private static Map<String, Object> cloud(String base) {
        Map<String, Object> authentication = new LinkedHashMap<>();
        authentication.put("loginEndpoint", base + "/adfs");
        authentication.put("audiences", audiences(base));
        authentication.put("tenant", "adfs");
        authentication.put("identityProvider", "ADFS");
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("name", NAME);
        doc.put("portal", base + "/");
        doc.put("authentication", authentication);
        doc.put("graph", base + "/");
        doc.put("graphAudience", base + "/");
        doc.put("gallery", base + "/");
        doc.put("resourceManager", base + "/");
        // no storage, Key Vault, SQL, … here: no data-plane host names to announce
        doc.put("suffixes", Map.of());
        return doc;
    }

    private static List<String> audiences(String base) {
        return List.of(base + "/", "https://management.core.windows.net/", "https://management.azure.com/");
    }

    /** {@code https://<host the request was sent to>[:port]}: the HTTPS listener's port when it came over http. */
    private String resourceManager(ServerWebExchange exchange) {
        URI uri = exchange.getRequest().getURI();
        if ("https".equalsIgnoreCase(uri.getScheme())) {
            return "https://" + uri.getRawAuthority();
        }
        int port = https.port();
        return "https://" + uri.getHost() + (port == 443 ? "" : ":" + port);
    }
}
