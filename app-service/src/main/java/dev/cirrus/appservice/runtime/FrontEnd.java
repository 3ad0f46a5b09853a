package dev.cirrus.appservice.runtime;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLConnection;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.cirrus.appservice.site.Site;
import dev.cirrus.appservice.site.SiteProperties;
import dev.cirrus.plumbing.security.ServiceCredential;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.Cookie;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;
import org.springframework.web.util.UriUtils;

/**
 * The front end of the web apps: a request whose host (after {@code X-Forwarded-Host}: the gateway keeps the client's)
 * is {@code {app}.azurewebsites.{hostDomain}} is the app's, answered here without reaching any controller:
 * <ul>
 *   <li>no such site: 404; a stopped site: 403 "This web app is stopped." (Azure's pages);</li>
 *   <li>nothing deployed yet: Azure's placeholder page (200);</li>
 *   <li>static content: the file under the deployed folder ({@code /} and folders: the first of
 *       {@code siteConfig.defaultDocuments} present), GET and HEAD only;</li>
 *   <li>code: proxied to one of the site's instances ({@link SiteInstances}) — the one the {@code ARRAffinity} cookie
 *       names if it is in rotation (when {@code clientAffinityEnabled}, the answer sets that cookie), else the next in
 *       turn; an instance that refuses the connection leaves the rotation and the request goes to another one; none
 *       left: 503.</li>
 * </ul>
 * The scm host {@code {app}.scm.azurewebsites.{hostDomain}} is Kudu's: its requests are served as {@code /scm/{app}/…}
 * ({@link KuduController}).
 */
@Component
@Order(Ordered.LOWEST_PRECEDENCE - 10)
class FrontEnd extends OncePerRequestFilter {

    static final String SCM = "/scm/";
    static final String AFFINITY = "ARRAffinity";
    /** Headers of one hop, or of this platform, that are not handed on. */
    private static final Set<String> NOT_FORWARDED = Set.of("host", "connection", "content-length", "expect", "upgrade",
            "te", "trailer", "transfer-encoding", "keep-alive", "proxy-authorization", "proxy-authenticate",
            "proxy-connection", "http2-settings", ServiceCredential.HEADER.toLowerCase(Locale.ROOT));
    private static final Set<String> NOT_RETURNED = Set.of("connection", "content-length", "transfer-encoding",
            "keep-alive", "trailer", "upgrade", "proxy-connection", ":status");

    private final Pattern host;
    private final SiteInstances instances;
    private final SiteProperties properties;
    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2)).followRedirects(HttpClient.Redirect.NEVER).build();

    private final CpuQuotas quotas;

    FrontEnd(SiteInstances instances, SiteProperties properties, CpuQuotas quotas) {
        this.quotas = quotas;
        this.instances = instances;
        this.properties = properties;
        this.host = Pattern.compile("([a-z0-9][a-z0-9-]{0,58}[a-z0-9])(\\.scm)?\\.azurewebsites\\."
                + Pattern.quote(properties.hostDomain().toLowerCase(Locale.ROOT)));
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String serverName = request.getServerName();
        Matcher matcher = serverName == null || !serverName.contains(".azurewebsites.") ? null
                : host.matcher(serverName.toLowerCase(Locale.ROOT));
        if (matcher == null || !matcher.matches() || request.getRequestURI().startsWith(SCM)) {
            chain.doFilter(request, response);
            return;
        }
        String app = matcher.group(1);
        if (matcher.group(2) != null) {
            String base = SCM + app;
            String uri = base + request.getRequestURI();
            String servletPath = base + request.getServletPath();
            chain.doFilter(new HttpServletRequestWrapper(request) {
                @Override
                public String getRequestURI() {
                    return uri;
                }

                @Override
                public String getServletPath() {
                    return servletPath;
                }
            }, response);
            return;
        }
        serve(app, request, response);
    }

    private void serve(String app, HttpServletRequest request, HttpServletResponse response) throws IOException {
        Optional<Site> found = instances.siteNamed(app);
        if (found.isEmpty()) {
            page(response, 404, "Error 404 - Web app not found.", "The web app you have attempted to reach is not "
                    + "available in this Microsoft Azure App Service region.");
            return;
        }
        Site site = found.get();
        if (site.running() && quotas.quotaExceeded(site)) {
            page(response, 403, "Error 403 - This web app is stopped.", "The web app you have attempted to reach has "
                    + "exceeded its daily CPU quota (usage state: Exceeded) and does not accept any requests until "
                    + "the quota resets at " + quotas.quotaResetsAt(site) + ".");
            return;
        }
        if (!site.running()) {
            page(response, 403, "Error 403 - This web app is stopped.", "The web app you have attempted to reach is "
                    + "currently stopped and does not accept any requests.");
            return;
        }
        SiteInstances.Generation gen = instances.current(site.key());
        if (gen == null) {
            if (site.activeDeployment() != null) {
                page(response, 503, "Error 503 - Service unavailable", "The web app is starting.");
            } else {
                page(response, 200, "Your web app is running and waiting for your content",
                        "Deploy your code with zip deploy (POST /api/zipdeploy on the scm site).");
            }
            return;
        }
        if (site.kind().contains("mobileapp") && !zumoVersionAccepted(request, response)) {
            return;
        }
        if (gen.isStatic()) {
            serveFile(site, gen, request, response);
        } else {
            proxy(site, gen, request, response);
        }
    }

    /** The API version mobile clients send ({@code 2.0.0}): required on a mobile app's tables and custom APIs. */
    static final String ZUMO_API_VERSION = "ZUMO-API-VERSION";

    /**
     * A mobile app's ({@code kind} mobileapp) table and custom API requests ({@code /tables/…}, {@code /api/…}) need
     * the header {@code ZUMO-API-VERSION} (or the query parameter) of a 2.x version, as the Mobile Apps clients send
     * it: without it, or with another version, 400 with the Mobile Apps server's JSON message, and the request goes
     * no further.
     */
    private static boolean zumoVersionAccepted(HttpServletRequest request, HttpServletResponse response)
            throws IOException {
        String path = request.getRequestURI().toLowerCase(Locale.ROOT);
        if (!path.equals("/tables") && !path.startsWith("/tables/") && !path.startsWith("/api/")) {
            return true;
        }
        String version = request.getHeader(ZUMO_API_VERSION);
        if (version == null && request.getQueryString() != null) {
            for (String pair : request.getQueryString().split("&")) {
                int eq = pair.indexOf('=');
                if (eq > 0 && pair.substring(0, eq).equalsIgnoreCase(ZUMO_API_VERSION)) {
                    version = UriUtils.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
                }
            }
        }
        String message;
        if (version == null || version.isBlank()) {
            message = "No API version was specified in the request, this request needs to specify a "
                    + "ZUMO-API-VERSION of '2.0.0'.";
        } else if (!version.trim().matches("2\\.\\d+\\.\\d+")) {
            message = "The ZUMO-API-VERSION '" + version.replaceAll("[^A-Za-z0-9._-]", "") + "' is not supported, "
                    + "this request needs to specify a ZUMO-API-VERSION of '2.0.0'.";
        } else {
            return true;
        }
        byte[] body = ("{\"message\":\"" + message + "\"}").getBytes(StandardCharsets.UTF_8);
        response.setStatus(400);
        response.setContentType("application/json;charset=utf-8");
        response.setContentLength(body.length);
        response.getOutputStream().write(body);
        return false;
    }

    private void serveFile(Site site, SiteInstances.Generation gen, HttpServletRequest request,
                           HttpServletResponse response) throws IOException {
        if (!request.getMethod().equals("GET") && !request.getMethod().equals("HEAD")) {
            response.setHeader("Allow", "GET, HEAD");
            page(response, 405, "405 - Method not allowed", "Static content answers GET and HEAD.");
            return;
        }
        Path root = gen.dir().toAbsolutePath().normalize();
        String path = UriUtils.decode(request.getRequestURI(), StandardCharsets.UTF_8);
        Path file = root.resolve(path.replaceFirst("^/+", "")).normalize();
        if (!file.startsWith(root) || path.indexOf('\0') >= 0) {
            page(response, 404, "404 - File or directory not found.", "The resource you are looking for might have "
                    + "been removed, had its name changed, or is temporarily unavailable.");
            return;
        }
        if (Files.isDirectory(file)) {
            Path document = null;
            for (String name : defaultDocuments(site)) {
                if (Files.isRegularFile(file.resolve(name))) {
                    document = file.resolve(name);
                    break;
                }
            }
            file = document;
        }
        if (file == null || !Files.isRegularFile(file)) {
            page(response, 404, "404 - File or directory not found.", "The resource you are looking for might have "
                    + "been removed, had its name changed, or is temporarily unavailable.");
            return;
        }
        String type = URLConnection.guessContentTypeFromName(file.getFileName().toString());
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        if (name.endsWith(".js") || name.endsWith(".mjs")) {
            type = "text/javascript";
        } else if (name.endsWith(".css")) {
            type = "text/css";
        } else if (name.endsWith(".json")) {
            type = "application/json";
        } else if (name.endsWith(".svg")) {
            type = "image/svg+xml";
        }
        response.setStatus(200);
        response.setContentType(type == null ? "application/octet-stream" : type);
        response.setContentLengthLong(Files.size(file));
        if (request.getMethod().equals("GET")) {
            try (OutputStream out = response.getOutputStream()) {
                Files.copy(file, out);
            }
        }
    }

    private static List<String> defaultDocuments(Site site) {
        var docs = site.siteConfig().get("defaultDocuments");
        if (docs == null || !docs.isArray()) {
            return List.of("index.html", "index.htm", "default.html", "default.htm", "hostingstart.html");
        }
        List<String> names = new java.util.ArrayList<>();
        for (var doc : docs) {
            if (doc.isString()) {
                names.add(doc.asString());
            }
        }
        return names;
    }

    private void proxy(Site site, SiteInstances.Generation gen, HttpServletRequest request,
                       HttpServletResponse response) throws IOException {
        String affinity = null;
        if (request.getCookies() != null) {
            for (Cookie cookie : request.getCookies()) {
                if (cookie.getName().equals(AFFINITY)) {
                    affinity = cookie.getValue();
                }
            }
        }
        byte[] body = request.getInputStream().readAllBytes();
        SiteInstances.Instance instance = gen.pick(affinity);
        for (int attempt = 0; attempt < 3 && instance != null; attempt++) {
            HttpRequest.Builder call = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + instance.port()
                            + request.getRequestURI() + (request.getQueryString() == null ? ""
                            : "?" + request.getQueryString())))
                    .timeout(properties.proxyTimeout())
                    .method(request.getMethod(), body.length == 0 ? HttpRequest.BodyPublishers.noBody()
                            : HttpRequest.BodyPublishers.ofByteArray(body));
            for (String name : Collections.list(request.getHeaderNames())) {
                String lower = name.toLowerCase(Locale.ROOT);
                if (NOT_FORWARDED.contains(lower) || lower.startsWith("x-forwarded-")) {
                    continue;
                }
                for (String value : Collections.list(request.getHeaders(name))) {
                    try {
                        call.header(name, value);
                    } catch (IllegalArgumentException e) {
                        // a header the HTTP client may not send (e.g. Date, Via): the app does without it
                    }
                }
            }
            String publicHost = properties.hostName(site.name());
            call.header("X-Forwarded-Host", publicHost);
            call.header("X-Forwarded-Proto", request.getScheme());
            call.header("X-Forwarded-For", request.getRemoteAddr());
            call.header("X-Original-URL", request.getRequestURI()
                    + (request.getQueryString() == null ? "" : "?" + request.getQueryString()));
            call.header("X-ARR-SSL", request.isSecure() ? "true" : "false");
            HttpResponse<InputStream> answer;
            try {
                answer = client.send(call.build(), HttpResponse.BodyHandlers.ofInputStream());
            } catch (ConnectException | HttpConnectTimeoutException e) {
                gen.unreachable(instance);
                instance = gen.pick(null);
                continue;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                page(response, 502, "502 - Web server received an invalid response while acting as a gateway or "
                        + "proxy server.", "The request was interrupted.");
                return;
            } catch (IOException e) {
                page(response, 502, "502 - Web server received an invalid response while acting as a gateway or "
                        + "proxy server.", "The app's instance did not answer: " + e.getMessage());
                return;
            }
            response.setStatus(answer.statusCode());
            answer.headers().map().forEach((name, values) -> {
                if (!NOT_RETURNED.contains(name.toLowerCase(Locale.ROOT))) {
                    values.forEach(v -> response.addHeader(name, v));
                }
            });
            if (site.clientAffinityEnabled() && !instance.id().equals(affinity)) {
                String hostOnly = publicHost.contains(":") ? publicHost.substring(0, publicHost.indexOf(':'))
                        : publicHost;
                response.addHeader("Set-Cookie", AFFINITY + "=" + instance.id() + ";Path=/;HttpOnly;Domain="
                        + hostOnly);
            }
            try (InputStream in = answer.body(); OutputStream out = response.getOutputStream()) {
                in.transferTo(out);
            }
            return;
        }
        page(response, 503, "Error 503 - Service unavailable", "No instance of the web app is available.");
    }

    private static void page(HttpServletResponse response, int status, String title, String text) throws IOException {
        response.setStatus(status);
        response.setContentType("text/html;charset=utf-8");
        byte[] html = ("<!DOCTYPE html><html><head><title>" + title + "</title></head><body><h1>" + title
                + "</h1><p>" + text + "</p></body></html>").getBytes(StandardCharsets.UTF_8);
        response.setContentLength(html.length);
        response.getOutputStream().write(html);
    }
}
