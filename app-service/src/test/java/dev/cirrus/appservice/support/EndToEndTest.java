package dev.cirrus.appservice.support;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.UUID;

import dev.cirrus.testkit.ServiceCredentials;
import dev.cirrus.testkit.SpringInfrastructure;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.json.JsonMapper;

/**
 * The service on a random port over real PostgreSQL and Kafka (the testkit's); every test class of the service extends
 * this, so they share one application context (and one consumer of {@code cirrus.serverless}).
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"cirrus.appservice.plans.list-page-size=5", "cirrus.appservice.sites.list-page-size=5",
                "cirrus.appservice.sites.content-root=target/site-content",
                "cirrus.appservice.sites.supervise-every=200ms", "cirrus.appservice.sites.max-package-mb=20", "cirrus.appservice.sites.health-check-every=500ms",
                // a machine without Python: the stack's runtime is missing, and a Python deployment fails saying so
                "cirrus.appservice.sites.python-command=/nonexistent/python3"})
public abstract class EndToEndTest {

    @DynamicPropertySource
    static void infrastructure(DynamicPropertyRegistry registry) {
        SpringInfrastructure.register(registry, "app_service");
        // a Free plan's daily CPU quota small enough for a test to use up (runtime/CpuQuotaEndToEndTest)
        registry.add("cirrus.appservice.sites.free-cpu-quota", () -> "5s");
    }

    protected static final JsonMapper JSON = JsonMapper.builder().build();
    protected static final String API = "?api-version=2024-04-01";

    @LocalServerPort
    protected int port;

    protected final HttpClient http = ServiceCredentials.httpClient();
    protected final String sub = UUID.randomUUID().toString();

    protected String site(String rg, String name) {
        return "/subscriptions/" + sub + "/resourceGroups/" + rg + "/providers/Microsoft.Web/sites/" + name;
    }

    protected String plan(String rg, String name) {
        return "/subscriptions/" + sub + "/resourceGroups/" + rg + "/providers/Microsoft.Web/serverfarms/" + name;
    }

    protected HttpResponse<String> send(String method, String path, String body, String... headers) throws Exception {
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            builder.header("Content-Type", "application/json");
        }
        for (int i = 0; i < headers.length; i += 2) {
            builder.header(headers[i], headers[i + 1]);
        }
        return http.send(builder.build(), HttpResponse.BodyHandlers.ofString());
    }

    protected HttpResponse<String> sendBytes(String method, String path, byte[] body, String... headers)
            throws Exception {
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofByteArray(body));
        for (int i = 0; i < headers.length; i += 2) {
            builder.header(headers[i], headers[i + 1]);
        }
        return http.send(builder.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** Creates a plan in westeurope; returns its id. */
    protected String createPlan(String rg, String name, String sku, int capacity) throws Exception {
        HttpResponse<String> put = send("PUT", plan(rg, name) + API, "{\"location\":\"westeurope\",\"sku\":{\"name\":\""
                + sku + "\",\"capacity\":" + capacity + "}}");
        if (put.statusCode() != 200) {
            throw new IllegalStateException(put.body());
        }
        return plan(rg, name);
    }

    /** Creates a web app in westeurope on the plan, with the given extra members of {@code properties} (or none). */
    protected HttpResponse<String> createSite(String rg, String name, String planId, String extraProperties)
            throws Exception {
        return send("PUT", site(rg, name) + API, "{\"location\":\"westeurope\",\"kind\":\"app,linux\","
                + "\"properties\":{\"serverFarmId\":\"" + planId + "\"" + (extraProperties == null ? ""
                : "," + extraProperties) + "}}");
    }

    /** The site's publishing password, from its publishxml. */
    protected String publishingPassword(String rg, String name) throws Exception {
        String xml = send("POST", site(rg, name) + "/publishxml" + API, "{}").body();
        int at = xml.indexOf("userPWD=\"") + "userPWD=\"".length();
        return xml.substring(at, xml.indexOf('"', at));
    }

    /** Basic credentials of the site's publishing user. */
    protected String basic(String rg, String name) throws Exception {
        return "Basic " + java.util.Base64.getEncoder().encodeToString(("$" + name + ":" + publishingPassword(rg, name))
                .getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    /** Kudu's zip deploy on the site's scm host. */
    protected HttpResponse<String> zipDeploy(String rg, String name, byte[] zip) throws Exception {
        return sendBytes("POST", "/api/zipdeploy", zip, "X-Forwarded-Host", name + ".scm.azurewebsites.localhost",
                "Authorization", basic(rg, name), "Content-Type", "application/zip");
    }

    /** A request to the app's own host. */
    protected HttpResponse<String> app(String name, String path, String... headers) throws Exception {
        String[] all = new String[headers.length + 2];
        all[0] = "X-Forwarded-Host";
        all[1] = name + ".azurewebsites.localhost";
        System.arraycopy(headers, 0, all, 2, headers.length);
        return sendBytes("GET", path, null, all);
    }

    protected static String unique(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }
}
