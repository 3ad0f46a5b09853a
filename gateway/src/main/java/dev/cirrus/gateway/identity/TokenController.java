package dev.cirrus.gateway.identity;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

import dev.cirrus.gateway.arm.ArmPath;
import dev.cirrus.gateway.support.Blocking;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.util.MultiValueMap;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

/**
 * Cirrus's Microsoft Entra ID stand-in for applications: the OAuth2 client-credentials token endpoints the Azure
 * SDK credentials call ({@code POST /{tenant}/oauth2/v2.0/token} with {@code scope}, the v1
 * {@code POST /{tenant}/oauth2/token} with {@code resource}, the AD FS style {@code POST /adfs/oauth2/token} with
 * either, which the Azure CLI uses), and the metadata they read (OpenID configuration, instance discovery, signing
 * keys). Errors have Entra ID's shape ({@code error}, {@code error_description} starting
 * with the AADSTS code, {@code error_codes}) and status.
 *
 * <p>The authority host is the gateway itself: {@code https://localhost:8443/} for the SDKs (they refuse http),
 * {@code http://127.0.0.1:8080/} for curl.
 */
@RestController
class TokenController {

    private static final Set<String> IGNORED_SCOPES = Set.of("openid", "profile", "offline_access", "email");

    private final Directory directory;
    private final AccessTokens tokens;
    private final Audiences audiences;
    private final IdentityProperties properties;
    private final Clock clock;

    TokenController(Directory directory, AccessTokens tokens, Audiences audiences, IdentityProperties properties,
                    Clock clock) {
        this.directory = directory;
        this.tokens = tokens;
        this.audiences = audiences;
        this.properties = properties;
        this.clock = clock;
    }

    @PostMapping(path = "/{tenant}/oauth2/v2.0/token")
    Mono<ResponseEntity<Map<String, Object>>> tokenV2(@PathVariable String tenant, ServerWebExchange exchange) {
        return exchange.getFormData().flatMap(form -> Blocking.call(() -> {
            String scope = form.getFirst("scope");
            if (scope == null || scope.isBlank()) {
                return error(400, "invalid_request", 900144, "The request body must contain the following "
                        + "parameter: 'scope'.");
            }
            Optional<String> resource = resourceOfScope(scope, exchange);
            if (resource.isEmpty()) {
                return invalidScope(scope);
            }
            return issue(tenant, form, resource.get(), exchange, "2.0");
        })).map(response -> echoClientRequestId(exchange, response));
    }

    /**
     * The AD FS style token endpoint ({@code {authority}/adfs/oauth2/token}), which MSAL and the Azure CLI use for an
     * authority whose path is {@code /adfs} (they then skip asking Microsoft's public cloud to vouch for it, as for
     * Azure Stack Hub). It takes the resource either way MSAL may send it: {@code scope} ({@code <resource>/.default})
     * or {@code resource}. AD FS has no tenant in its URL: the token carries the tenant of the client's principal.
     */
    @PostMapping(path = "/adfs/oauth2/token")
    Mono<ResponseEntity<Map<String, Object>>> tokenAdfs(ServerWebExchange exchange) {
        return exchange.getFormData().flatMap(form -> Blocking.call(() -> {
            String resource = form.getFirst("resource");
            String scope = form.getFirst("scope");
            if ((resource == null || resource.isBlank()) && (scope == null || scope.isBlank())) {
                return error(400, "invalid_request", 900144, "The request body must contain the following "
                        + "parameter: 'scope' or 'resource'.");
            }
            if (resource == null || resource.isBlank()) {
                Optional<String> ofScope = resourceOfScope(scope, exchange);
                if (ofScope.isEmpty()) {
                    return invalidScope(scope);
                }
                resource = ofScope.get();
            } else if (!audiences.isManagement(resource, host(exchange))) {
                return invalidResource(resource, Issuers.ADFS);
            }
            String clientId = Optional.ofNullable(form.getFirst("client_id")).orElse("").toLowerCase(Locale.ROOT);
            Optional<Directory.Principal> principal = directory.principalByAppId(clientId);
            if (principal.isEmpty()) {
                return error(400, "unauthorized_client", 700016, "Application with identifier '" + clientId
                        + "' was not found in the directory.");
            }
            return issue(principal.get().tenantId(), form, resource, exchange, "1.0",
                    Issuers.adfs(baseUrl(exchange)));
        })).map(response -> echoClientRequestId(exchange, response));
    }

    /** The resource of a v2 {@code scope} ({@code <resource>/.default}, OpenID scopes aside), if it is ours. */
    private Optional<String> resourceOfScope(String scope, ServerWebExchange exchange) {
        List<String> resources = Arrays.stream(scope.trim().split("\\s+"))
                .filter(s -> !IGNORED_SCOPES.contains(s.toLowerCase(Locale.ROOT))).toList();
        if (resources.size() != 1 || !resources.getFirst().endsWith("/.default")) {
            return Optional.empty();
        }
        // "https://management.core.windows.net//.default" (the Azure CLI's form) is the resource
        // "https://management.core.windows.net/"; "https://management.azure.com/.default" is ".../"
        String resource = resources.getFirst().substring(0, resources.getFirst().length() - ".default".length());
        if (resource.endsWith("//") && !resource.endsWith("://")) {
            resource = resource.substring(0, resource.length() - 1);
        }
        return audiences.isManagement(resource, host(exchange)) ? Optional.of(resource) : Optional.empty();
    }

    private ResponseEntity<Map<String, Object>> invalidScope(String scope) {
        return error(400, "invalid_scope", 70011, "The provided request must include a 'scope' input "
                + "parameter. The provided value for the input parameter 'scope' is not valid: '" + scope
                + "'. Cirrus issues application tokens for its management endpoint only "
                + "('https://management.azure.com/.default' or '<gateway URL>/.default').");
    }

    private ResponseEntity<Map<String, Object>> invalidResource(String resource, String tenant) {
        return error(400, "invalid_resource", 500011, "The resource principal named " + resource
                + " was not found in the tenant named " + tenant + ". Cirrus issues tokens for its "
                + "management endpoint only.");
    }

    @PostMapping(path = "/{tenant}/oauth2/token")
    Mono<ResponseEntity<Map<String, Object>>> tokenV1(@PathVariable String tenant, ServerWebExchange exchange) {
        return exchange.getFormData().flatMap(form -> Blocking.call(() -> {
            String resource = form.getFirst("resource");
            if (resource == null || resource.isBlank()) {
                return error(400, "invalid_request", 900144, "The request body must contain the following "
                        + "parameter: 'resource'.");
            }
            if (!audiences.isManagement(resource, host(exchange))) {
                return invalidResource(resource, tenant);
            }
            return issue(tenant, form, resource, exchange, "1.0");
        })).map(response -> echoClientRequestId(exchange, response));
    }

    /** Entra ID echoes MSAL's {@code client-request-id}; MSAL logs a mismatch otherwise. */
    private static ResponseEntity<Map<String, Object>> echoClientRequestId(ServerWebExchange exchange,
                                                                         ResponseEntity<Map<String, Object>> response) {
        String id = exchange.getRequest().getHeaders().getFirst("client-request-id");
        if (id == null || id.isBlank()) {
            return response;
        }
        HttpHeaders headers = new HttpHeaders();
        headers.addAll(response.getHeaders());
        headers.set("client-request-id", id);
        return new ResponseEntity<>(response.getBody(), headers, response.getStatusCode());
    }

    private ResponseEntity<Map<String, Object>> issue(String tenant, MultiValueMap<String, String> form,
                                                      String resource, ServerWebExchange exchange, String version) {
        String tenantId = tenant.toLowerCase(Locale.ROOT);
        String base = baseUrl(exchange);
        return issue(tenant, form, resource, exchange, version,
                "2.0".equals(version) ? Issuers.v2(base, tenantId) : Issuers.v1(base, tenantId));
    }

    private ResponseEntity<Map<String, Object>> issue(String tenant, MultiValueMap<String, String> form,
                                                      String resource, ServerWebExchange exchange, String version,
                                                      String issuer) {
        String grant = form.getFirst("grant_type");
        if (!"client_credentials".equals(grant)) {
            return error(400, "unsupported_grant_type", 70003, "The app requested an unsupported grant type '"
                    + grant + "'. Cirrus supports 'client_credentials'.");
        }
        String tenantId = tenant.toLowerCase(Locale.ROOT);
        if (!ArmPath.isGuid(tenantId) || !directory.tenantExists(tenantId)) {
            return error(400, "invalid_request", 90002, "Tenant '" + tenant + "' not found. Check to make sure you "
                    + "have the correct tenant ID and are signing into the correct cloud.");
        }
        String clientId = Optional.ofNullable(form.getFirst("client_id")).orElse("").toLowerCase(Locale.ROOT);
        Optional<Directory.Principal> principal = directory.principalByAppId(clientId)
                .filter(p -> p.tenantId().equals(tenantId));
        if (principal.isEmpty()) {
            return error(400, "unauthorized_client", 700016, "Application with identifier '" + clientId
                    + "' was not found in the directory '" + tenant + "'.");
        }
        String secret = form.getFirst("client_secret");
        if (secret == null || !directory.secretMatches(clientId, secret)) {
            return error(401, "invalid_client", 7000215, "Invalid client secret provided. Ensure the secret being "
                    + "sent in the request is the client secret value, not the client secret ID, for a secret added "
                    + "to app '" + clientId + "'.");
        }
        Instant now = clock.instant();
        AccessTokens.Issued issued = tokens.issue(principal.get(), resource, issuer, now, properties.tokenLifetime(),
                version);
        long expiresIn = Duration.between(now, issued.expiresOn()).toSeconds();
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("token_type", "Bearer");
        if ("2.0".equals(version)) {
            body.put("expires_in", expiresIn);
            body.put("ext_expires_in", expiresIn);
        } else {
            body.put("expires_in", String.valueOf(expiresIn));
            body.put("ext_expires_in", String.valueOf(expiresIn));
            body.put("expires_on", String.valueOf(issued.expiresOn().getEpochSecond()));
            body.put("not_before", String.valueOf(now.getEpochSecond()));
            body.put("resource", resource);
        }
        body.put("access_token", issued.token());
        return ResponseEntity.ok().header(HttpHeaders.CACHE_CONTROL, "no-store").header("Pragma", "no-cache")
                .contentType(MediaType.APPLICATION_JSON).body(body);
    }

    private ResponseEntity<Map<String, Object>> error(int status, String error, int aadsts, String description) {
        Instant now = clock.instant();
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("error", error);
        String trace = UUID.randomUUID().toString();
        body.put("error_description", "AADSTS" + aadsts + ": " + description + "\r\nTrace ID: " + trace
                + "\r\nTimestamp: " + now);
        body.put("error_codes", List.of(aadsts));
        body.put("timestamp", now.toString());
        body.put("trace_id", trace);
        return ResponseEntity.status(status).header(HttpHeaders.CACHE_CONTROL, "no-store")
                .contentType(MediaType.APPLICATION_JSON).body(body);
    }

    /**
     * OpenID Connect discovery, which MSAL reads for an authority it does not know: v2.0 and v1 per tenant, and the
     * AD FS style authority's ({@code /adfs/.well-known/openid-configuration}, AD FS's paths and issuer).
     */
    @GetMapping({"/{tenant}/v2.0/.well-known/openid-configuration", "/{tenant}/.well-known/openid-configuration"})
    Map<String, Object> openIdConfiguration(@PathVariable String tenant, ServerWebExchange exchange) {
        String base = baseUrl(exchange);
        boolean adfs = Issuers.ADFS.equalsIgnoreCase(tenant);
        String v2 = !adfs && exchange.getRequest().getPath().value().contains("/v2.0/") ? "/v2.0" : "";
        String authority = base + "/" + (adfs ? Issuers.ADFS : tenant);
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("token_endpoint", authority + "/oauth2" + v2 + "/token");
        doc.put("token_endpoint_auth_methods_supported", List.of("client_secret_post"));
        doc.put("jwks_uri", authority + "/discovery" + v2 + "/keys");
        doc.put("response_modes_supported", List.of("query", "fragment", "form_post"));
        doc.put("subject_types_supported", List.of("pairwise"));
        doc.put("id_token_signing_alg_values_supported", List.of("RS256"));
        doc.put("response_types_supported", List.of("code", "id_token", "code id_token", "id_token token"));
        doc.put("scopes_supported", List.of("openid", "profile", "email", "offline_access"));
        doc.put("grant_types_supported", List.of("client_credentials"));
        doc.put("issuer", adfs ? Issuers.adfs(base) : v2.isEmpty() ? Issuers.v1(base, tenant) : Issuers.v2(base, tenant));
        if (adfs) {
            doc.put("access_token_issuer", Issuers.adfs(base));
        }
        doc.put("authorization_endpoint", authority + "/oauth2" + v2 + "/authorize");
        doc.put("device_authorization_endpoint", authority + "/oauth2" + v2 + "/devicecode");
        doc.put("tenant_region_scope", null);
        doc.put("cloud_instance_name", URI.create(base).getHost());
        return doc;
    }

    /** MSAL's instance discovery: this host is its own (and only) alias. */
    @GetMapping("/common/discovery/instance")
    Map<String, Object> instanceDiscovery(ServerWebExchange exchange) {
        String base = baseUrl(exchange);
        String authority = URI.create(base).getAuthority();
        String tenant = tenantOf(exchange.getRequest());
        return Map.of("tenant_discovery_endpoint", base + "/" + tenant + "/v2.0/.well-known/openid-configuration",
                "api-version", "1.1",
                "metadata", List.of(Map.of("preferred_network", authority, "preferred_cache", authority,
                        "aliases", List.of(authority))));
    }

    @GetMapping({"/{tenant}/discovery/v2.0/keys", "/{tenant}/discovery/keys"})
    Map<String, Object> keys(@PathVariable String tenant) {
        return tokens.jwks();
    }

    /** The tenant named by instance discovery's {@code authorization_endpoint} parameter ({@code common} if none). */
    private static String tenantOf(ServerHttpRequest request) {
        String endpoint = request.getQueryParams().getFirst("authorization_endpoint");
        if (endpoint != null) {
            String[] parts = URI.create(endpoint).getPath().split("/");
            if (parts.length > 1 && !parts[1].isBlank()) {
                return parts[1];
            }
        }
        return "common";
    }

    static String baseUrl(ServerWebExchange exchange) {
        URI uri = exchange.getRequest().getURI();
        return uri.getScheme() + "://" + uri.getRawAuthority();
    }

    static String host(ServerWebExchange exchange) {
        return exchange.getRequest().getURI().getHost();
    }
}
