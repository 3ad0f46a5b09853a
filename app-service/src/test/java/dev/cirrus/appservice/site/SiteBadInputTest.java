package dev.cirrus.appservice.site;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;

import dev.cirrus.appservice.runtime.SiteInstances;
import dev.cirrus.appservice.support.EndToEndTest;
import dev.cirrus.appservice.support.TestApps;
import dev.cirrus.testkit.ServiceCredentials;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import tools.jackson.databind.JsonNode;

/**
 * Bad input to web apps, one row each: names (global ones too), locations, plans (missing, elsewhere, full, of the
 * wrong kind), kinds, stacks, site configuration and settings of the wrong shape, changes the existing site does not
 * allow, and deployments (path traversal, an absolute entry, no entry point, not a zip, a zip bomb, a 200 MB body,
 * wrong credentials). Every row is answered with its status and an ARM error body (Azure's code where known), and
 * nothing changes: no site is stored or changed, no event is published, no deployment is recorded, no content is left
 * on disk and no process is started.
 */
class SiteBadInputTest extends EndToEndTest {

    static final String V = "?api-version=2024-04-01";
    static final String SUB = UUID.randomUUID().toString();
    static final String TAG = SUB.substring(0, 8);
    static final String GROUP = "/subscriptions/" + SUB + "/resourceGroups/rg1/providers/Microsoft.Web";
    static final String SITES = GROUP + "/sites";
    static final String PLAN = GROUP + "/serverfarms/plan";
    static final String Y1 = GROUP + "/serverfarms/consumption";
    static final String FREE = GROUP + "/serverfarms/free";
    static final String EXISTING_NAME = "existing-" + TAG;
    static final String EXISTING = SITES + "/" + EXISTING_NAME;
    /** one of the ten sites on the full Free plan */
    static final String FREE_SITE = SITES + "/free-0-" + TAG;
    /** the sites that exist: the existing one and the ten on the full Free plan */
    static final int SITES_THAT_EXIST = 11;

    record Case(String description, String method, String target, byte[] body, String contentType, boolean scm,
                int status, String code) {
        @Override
        public String toString() {
            return description;
        }
    }

    private static int counter;

    static String fresh() {
        return SITES + "/new-" + (++counter) + "-" + TAG + V;
    }

    static String body(String properties) {
        return "{\"location\":\"westeurope\",\"kind\":\"app\",\"properties\":{\"serverFarmId\":\"" + PLAN + "\""
                + (properties.isEmpty() ? "" : "," + properties) + "}}";
    }

    static String config(String siteConfig) {
        return body("\"siteConfig\":{" + siteConfig + "}");
    }

    static Case json(String description, String method, String target, String body, int status, String code) {
        return new Case(description, method, target, body == null ? null : body.getBytes(StandardCharsets.UTF_8),
                "application/json", false, status, code);
    }

    static Case kudu(String description, String path, byte[] zip, int status, String code) {
        return new Case(description, "POST", path, zip, "application/zip", true, status, code);
    }

    static Stream<Case> cases() {
        List<Case> c = new ArrayList<>();
        // names
        c.add(json("a name of 1 character", "PUT", SITES + "/a" + V, body(""), 400, "InvalidResourceName"));
        c.add(json("a name of 61 characters", "PUT", SITES + "/" + "a".repeat(61) + V, body(""), 400, "InvalidResourceName"));
        c.add(json("a name with an underscore", "PUT", SITES + "/a_b" + TAG + V, body(""), 400, "InvalidResourceName"));
        c.add(json("a name starting with a hyphen", "PUT", SITES + "/-ab" + TAG + V, body(""), 400, "InvalidResourceName"));
        c.add(json("a name ending with a hyphen", "PUT", SITES + "/ab" + TAG + "-" + V, body(""), 400, "InvalidResourceName"));
        c.add(json("a name with a dot", "PUT", SITES + "/a.b" + TAG + V, body(""), 400, "InvalidResourceName"));
        c.add(json("a name another site has (in another group)", "PUT", "/subscriptions/" + SUB + "/resourceGroups/"
                + "rg2/providers/Microsoft.Web/sites/" + EXISTING_NAME.toUpperCase() + V, body(""), 409, "Conflict"));
        // locations
        c.add(json("no location", "PUT", fresh(), body("").replace("\"location\":\"westeurope\",", ""), 400, "LocationRequired"));
        c.add(json("a location outside the topology", "PUT", fresh(), body("").replace("westeurope", "marsnorth"), 400, "LocationNotAvailableForResourceType"));
        c.add(json("a location as a number", "PUT", fresh(), body("").replace("\"westeurope\"", "7"), 400, "InvalidRequestContent"));
        c.add(json("a location other than the plan's", "PUT", fresh(), body("").replace("westeurope", "eastus"), 400, "BadRequest"));
        // plans
        c.add(json("no serverFarmId", "PUT", fresh(), "{\"location\":\"westeurope\",\"properties\":{}}", 400, "InvalidParameter"));
        c.add(json("a serverFarmId that is not a plan's id", "PUT", fresh(), body("").replace(PLAN, "/plans/x"), 400, "InvalidParameter"));
        c.add(json("a serverFarmId of a plan that does not exist", "PUT", fresh(), body("").replace("/serverfarms/plan", "/serverfarms/absent"), 404, "NotFound"));
        c.add(json("a serverFarmId of another subscription's plan", "PUT", fresh(), body("").replace(SUB, UUID.randomUUID().toString()), 404, "NotFound"));
        c.add(json("a Consumption (Y1) plan", "PUT", fresh(), body("").replace(PLAN, Y1), 400, "BadRequest"));
        c.add(json("a Free plan that already has 10 apps", "PUT", fresh(), body("").replace(PLAN, FREE), 409, "Conflict"));
        c.add(json("Always On on a Free plan", "PUT", FREE_SITE + V, body("\"siteConfig\":{\"alwaysOn\":true}")
                .replace(PLAN, FREE), 409, "Conflict"));
        // kinds and stacks
        c.add(json("kind functionapp", "PUT", fresh(), body("").replace("\"kind\":\"app\"", "\"kind\":\"functionapp\""), 400, "BadRequest"));
        c.add(json("kind vm", "PUT", fresh(), body("").replace("\"kind\":\"app\"", "\"kind\":\"vm\""), 400, "BadRequest"));
        c.add(json("kind as a number", "PUT", fresh(), body("").replace("\"kind\":\"app\"", "\"kind\":1"), 400, "InvalidRequestContent"));
        c.add(json("an unknown stack", "PUT", fresh(), config("\"linuxFxVersion\":\"COBOL|85\""), 400, "BadRequest"));
        // site configuration
        c.add(json("a health check path without a slash", "PUT", fresh(), config("\"healthCheckPath\":\"health\""), 400, "InvalidParameter"));
        c.add(json("a TLS version that does not exist", "PUT", fresh(), config("\"minTlsVersion\":\"0.9\""), 400, "InvalidParameter"));
        c.add(json("alwaysOn as text", "PUT", fresh(), config("\"alwaysOn\":\"yes\""), 400, "InvalidRequestContent"));
        c.add(json("numberOfWorkers below zero", "PUT", fresh(), config("\"numberOfWorkers\":-1"), 400, "InvalidParameter"));
        c.add(json("siteConfig as an array", "PUT", fresh(), body("\"siteConfig\":[]"), 400, "InvalidRequestContent"));
        c.add(json("appSettings as an object", "PUT", fresh(), config("\"appSettings\":{\"A\":\"1\"}"), 400, "InvalidRequestContent"));
        c.add(json("an app setting without a name", "PUT", fresh(), config("\"appSettings\":[{\"value\":\"1\"}]"), 400, "InvalidParameter"));
        c.add(json("an app setting name with a space", "PUT", fresh(), config("\"appSettings\":[{\"name\":\"A B\",\"value\":\"1\"}]"), 400, "InvalidParameter"));
        c.add(json("an app setting value as a number", "PUT", fresh(), config("\"appSettings\":[{\"name\":\"A\",\"value\":1}]"), 400, "InvalidRequestContent"));
        c.add(json("a connection string of an unknown type", "PUT", fresh(), config("\"connectionStrings\":[{\"name\":\"db\","
                + "\"connectionString\":\"x\",\"type\":\"Oracle\"}]"), 400, "InvalidParameter"));
        c.add(json("httpsOnly as text", "PUT", fresh(), body("\"httpsOnly\":\"true\""), 400, "InvalidRequestContent"));
        // shapes
        c.add(json("properties as an array", "PUT", fresh(), "{\"location\":\"westeurope\",\"properties\":[]}", 400, "InvalidRequestContent"));
        c.add(json("tags as an array", "PUT", fresh(), body("").replace("{\"location\"", "{\"tags\":[],\"location\""), 400, "InvalidRequestContent"));
        c.add(json("malformed JSON", "PUT", fresh(), "{\"location\":", 400, "InvalidRequestContent"));
        c.add(json("no body", "PUT", fresh(), null, 400, "InvalidRequestContent"));
        c.add(json("no api-version", "PUT", SITES + "/nover-" + TAG, body(""), 400, null));
        // changes to the existing site
        c.add(json("moving the existing site to another region", "PUT", EXISTING + V, body("").replace("westeurope", "eastus"), 409, "InvalidResourceLocation"));
        c.add(json("a PATCH with a stale If-Match", "PATCH", EXISTING + V, "{\"tags\":{}}", 412, "PreconditionFailed"));
        c.add(json("a PATCH of a site that does not exist", "PATCH", SITES + "/absent-" + TAG + V, "{\"tags\":{}}", 404, "ResourceNotFound"));
        c.add(json("app settings without properties", "PUT", EXISTING + "/config/appsettings" + V, "{}", 400, "InvalidParameter"));
        c.add(json("an app setting as an object", "PUT", EXISTING + "/config/appsettings" + V, "{\"properties\":{\"A\":{}}}", 400, "InvalidRequestContent"));
        c.add(json("slot config names with a number", "PUT", EXISTING + "/config/slotConfigNames" + V,
                "{\"properties\":{\"appSettingNames\":[1]}}", 400, "InvalidRequestContent"));
        c.add(json("a publishing policy that does not exist", "PUT", EXISTING + "/basicPublishingCredentialsPolicies/ssh" + V,
                "{\"properties\":{\"allow\":true}}", 404, "NotFound"));
        c.add(json("a publishing policy without allow", "PUT", EXISTING + "/basicPublishingCredentialsPolicies/scm" + V,
                "{\"properties\":{}}", 400, "InvalidParameter"));
        c.add(json("a site config PATCH with an unknown stack", "PATCH", EXISTING + "/config/web" + V,
                "{\"properties\":{\"linuxFxVersion\":\"COBOL|85\"}}", 400, "BadRequest"));
        c.add(json("starting a site that does not exist", "POST", SITES + "/absent-" + TAG + "/start" + V, null, 404, "ResourceNotFound"));
        c.add(json("a package URI to ARM's zip deploy", "PUT", EXISTING + "/extensions/zipdeploy" + V,
                "{\"properties\":{\"packageUri\":\"file:///etc/passwd\"}}", 400, "BadRequest"));
        // deployment slots and swaps (the existing site is on a Basic plan: no slots)
        c.add(json("a slot on a Basic plan (no slots allowed)", "PUT", EXISTING + "/slots/staging" + V,
                "{\"location\":\"westeurope\"}", 409, "Conflict"));
        c.add(json("a slot named production", "PUT", EXISTING + "/slots/production" + V,
                "{\"location\":\"westeurope\"}", 400, "InvalidResourceName"));
        c.add(json("a slot name with an underscore", "PUT", EXISTING + "/slots/a_b" + V,
                "{\"location\":\"westeurope\"}", 400, "InvalidResourceName"));
        c.add(json("a slot name making the host label longer than 60", "PUT", EXISTING + "/slots/" + "s".repeat(50)
                + V, "{\"location\":\"westeurope\"}", 400, "InvalidResourceName"));
        c.add(json("a slot in another location than its app's", "PUT", EXISTING + "/slots/staging" + V,
                "{\"location\":\"eastus\"}", 400, "BadRequest"));
        c.add(json("a slot on another plan than its app's", "PUT", EXISTING + "/slots/staging" + V,
                "{\"location\":\"westeurope\",\"properties\":{\"serverFarmId\":\"" + FREE + "\"}}", 400,
                "BadRequest"));
        c.add(json("a slot of an app that does not exist", "PUT", SITES + "/absent-" + TAG + "/slots/staging" + V,
                "{\"location\":\"westeurope\"}", 404, "ResourceNotFound"));
        c.add(json("a slot that does not exist", "GET", EXISTING + "/slots/absent" + V, null, 404, "ResourceNotFound"));
        c.add(json("a swap with a slot that does not exist", "POST", EXISTING + "/slotsswap" + V,
                "{\"targetSlot\":\"absent\"}", 404, "ResourceNotFound"));
        c.add(json("a swap from a slot that does not exist", "POST", EXISTING + "/slots/absent/slotsswap" + V,
                "{\"targetSlot\":\"production\"}", 404, "ResourceNotFound"));
        c.add(json("a swap without targetSlot", "POST", EXISTING + "/slotsswap" + V, "{}", 400, "InvalidParameter"));
        c.add(json("a swap of production with itself", "POST", EXISTING + "/slotsswap" + V,
                "{\"targetSlot\":\"Production\"}", 400, "BadRequest"));
        c.add(json("a swap with targetSlot as a number", "POST", EXISTING + "/slotsswap" + V,
                "{\"targetSlot\":1}", 400, "InvalidRequestContent"));
        c.add(json("a preview with a slot that does not exist", "POST", EXISTING + "/applySlotConfig" + V,
                "{\"targetSlot\":\"absent\"}", 404, "ResourceNotFound"));
        // WebJobs (the existing site's content has the triggered job "nightly", with no schedule)
        c.add(new Case("a WebJob schedule of five fields", "PUT", "/api/triggeredwebjobs/nightly/settings",
                "{\"schedule\":\"0 * * * *\"}".getBytes(StandardCharsets.UTF_8), "application/json", true, 400,
                "BadRequest"));
        c.add(new Case("a WebJob schedule that is not NCRONTAB", "PUT", "/api/triggeredwebjobs/nightly/settings",
                "{\"schedule\":\"every day at noon\"}".getBytes(StandardCharsets.UTF_8), "application/json", true,
                400, "BadRequest"));
        c.add(new Case("a WebJob schedule with a second of 60", "PUT", "/api/triggeredwebjobs/nightly/settings",
                "{\"schedule\":\"60 * * * * *\"}".getBytes(StandardCharsets.UTF_8), "application/json", true,
                400, "BadRequest"));
        c.add(new Case("a WebJob schedule as a number", "PUT", "/api/triggeredwebjobs/nightly/settings",
                "{\"schedule\":5}".getBytes(StandardCharsets.UTF_8), "application/json", true, 400, "BadRequest"));
        c.add(new Case("WebJob settings that are not an object", "PUT", "/api/triggeredwebjobs/nightly/settings",
                "[]".getBytes(StandardCharsets.UTF_8), "application/json", true, 400, "BadRequest"));
        c.add(json("a WebJob name that is invalid", "POST", EXISTING + "/triggeredwebjobs/bad.name/run" + V, null,
                400, "BadRequest"));
        c.add(json("a WebJob that does not exist", "POST", EXISTING + "/triggeredwebjobs/absent/run" + V, null, 404,
                "NotFound"));
        c.add(json("a continuous WebJob that does not exist", "POST", EXISTING + "/continuouswebjobs/absent/stop" + V,
                null, 404, "NotFound"));
        c.add(new Case("a WebJob run that does not exist", "GET", "/api/triggeredwebjobs/nightly/history/123", null,
                null, true, 404, "NotFound"));
        // deployments
        c.add(kudu("a zip entry climbing out with ..", "/api/zipdeploy", TestApps.zip(entries("index.html", "../evil.html")), 400, "InvalidZip"));
        c.add(kudu("a zip entry deep inside climbing out", "/api/zipdeploy", TestApps.zip(entries("index.html", "a/b/../../../evil.html")), 400, "InvalidZip"));
        c.add(kudu("an absolute zip entry", "/api/zipdeploy", TestApps.zip(entries("index.html", "/tmp/evil.html")), 400, "InvalidZip"));
        c.add(kudu("a zip with no entry point", "/api/zipdeploy", TestApps.zip(entries("readme.txt")), 400, "InvalidZip"));
        c.add(kudu("a package.json that is not JSON", "/api/zipdeploy", TestApps.zip(Map.of("package.json",
                "{main:".getBytes(StandardCharsets.UTF_8))), 400, "InvalidZip"));
        c.add(kudu("a body that is not a zip", "/api/zipdeploy", "hello".getBytes(StandardCharsets.UTF_8), 400, "InvalidZip"));
        c.add(kudu("an empty body", "/api/zipdeploy", new byte[0], 400, "InvalidZip"));
        c.add(kudu("a zip that unpacks to more than the limit", "/api/zipdeploy", TestApps.bombZip(21), 413, "RequestEntityTooLarge"));
        c.add(kudu("wrong credentials", "/api/zipdeploy", TestApps.staticSiteZip("x"), 401, "Unauthorized"));
        c.add(kudu("a deployment type other than zip", "/api/publish?type=war", TestApps.staticSiteZip("x"), 400, "BadRequest"));
        c.add(new Case("a deployment record that does not exist", "GET", "/api/deployments/nope", null, null, true, 404, "NotFound"));
        c.add(new Case("a 200 MB body", "POST", "/api/zipdeploy", null, "application/zip", true, 413, "RequestEntityTooLarge"));
        return c.stream();
    }

    private static Map<String, byte[]> entries(String... names) {
        Map<String, byte[]> entries = new LinkedHashMap<>();
        for (String name : names) {
            entries.put(name, ("<p>" + name + "</p>").getBytes(StandardCharsets.UTF_8));
        }
        return entries;
    }

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    SiteInstances instances;

    String existingRow() {
        List<String> rows = jdbc.query("select row_to_json(s)::text from sites s where resource_key = ?",
                (rs, i) -> rs.getString(1), EXISTING.toLowerCase());
        return rows.isEmpty() ? null : rows.getFirst();
    }

    void ensureExisting() throws Exception {
        if (existingRow() != null) {
            return;
        }
        for (String[] plan : new String[][] {{PLAN, "B1"}, {Y1, "Y1"}, {FREE, "F1"}}) {
            HttpResponse<String> put = send("PUT", plan[0] + V, "{\"location\":\"westeurope\",\"sku\":{\"name\":\""
                    + plan[1] + "\"}}");
            assertThat(put.statusCode()).as(put.body()).isEqualTo(200);
        }
        for (int i = 0; i < 10; i++) {
            HttpResponse<String> put = send("PUT", SITES + "/free-" + i + "-" + TAG + V, body("").replace(PLAN, FREE));
            assertThat(put.statusCode()).as(put.body()).isEqualTo(200);
        }
        HttpResponse<String> put = send("PUT", EXISTING + V, body(""));
        assertThat(put.statusCode()).as(put.body()).isEqualTo(200);
        Map<String, byte[]> content = new LinkedHashMap<>();
        content.put("index.html", "<p>existing</p>".getBytes(StandardCharsets.UTF_8));
        content.put("App_Data/jobs/triggered/nightly/run.sh", "echo nightly\n".getBytes(StandardCharsets.UTF_8));
        HttpResponse<String> deployed = kuduCall("POST", "/api/zipdeploy", TestApps.zip(content),
                "application/zip", false);
        assertThat(deployed.statusCode()).as(deployed.body()).isEqualTo(200);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void badInputIsRefusedWithItsArmErrorAndChangesNothing(Case c) throws Exception {
        ensureExisting();
        String before = existingRow();
        int events = outboxCount();
        int deployments = deploymentCount();
        SiteInstances.Generation generation = instances.current(EXISTING.toLowerCase());
        List<String> folders = contentFolders();

        int status;
        String contentType;
        String body;
        if (c.description().equals("a 200 MB body")) {
            String[] answer = claimHugeBody();
            status = Integer.parseInt(answer[0]);
            contentType = answer[1];
            body = answer[2];
        } else {
            HttpResponse<String> answer = c.scm()
                    ? kuduCall(c.method(), c.target(), c.body(), c.contentType(), c.description().equals("wrong credentials"))
                    : c.description().contains("If-Match")
                    ? sendBytes(c.method(), c.target(), c.body(), "Content-Type", c.contentType(), "If-Match", "\"stale\"")
                    : c.body() == null ? sendBytes(c.method(), c.target(), null)
                    : sendBytes(c.method(), c.target(), c.body(), "Content-Type", c.contentType());
            status = answer.statusCode();
            contentType = answer.headers().firstValue("Content-Type").orElse("");
            body = answer.body();
        }

        String shown = body.length() > 600 ? body.substring(0, 600) + "…" : body;
        assertThat(status).as(shown).isEqualTo(c.status());
        assertThat(contentType).as(shown).startsWith("application/json");
        JsonNode error = JSON.readTree(body).path("error");
        assertThat(error.path("code").stringValue()).as(shown).isNotBlank();
        if (c.code() != null) {
            assertThat(error.path("code").stringValue()).as(shown).isEqualTo(c.code());
        }
        assertThat(error.path("message").stringValue()).as(shown).isNotBlank();
        assertThat(body).doesNotContain("Exception");
        assertThat(jdbc.queryForObject("select count(*) from sites where subscription_id = ?", Integer.class, SUB))
                .as("only the sites that existed").isEqualTo(SITES_THAT_EXIST);
        assertThat(existingRow()).isEqualTo(before);
        assertThat(outboxCount()).as("no event").isEqualTo(events);
        assertThat(deploymentCount()).as("no deployment recorded").isEqualTo(deployments);
        assertThat(instances.current(EXISTING.toLowerCase())).as("the same content serves").isSameAs(generation);
        assertThat(contentFolders()).as("nothing left on disk").isEqualTo(folders);
    }

    @Test
    void theTableHasAtLeastFortyCases() {
        assertThat(cases().count()).isGreaterThanOrEqualTo(40);
    }

    @Test
    void theExistingSiteStillTakesAValidDeploymentSoTheTableTestsItsMutations() throws Exception {
        ensureExisting();
        HttpResponse<String> put = send("PUT", SITES + "/valid-" + TAG + V, body(""));
        assertThat(put.statusCode()).as(put.body()).isEqualTo(200);
        assertThat(send("DELETE", SITES + "/valid-" + TAG + V, null).statusCode()).isEqualTo(200);
        assertThat(kuduCall("GET", "/api/deployments/latest", null, null, false).statusCode()).isEqualTo(200);
    }

    private HttpResponse<String> kuduCall(String method, String path, byte[] body, String contentType,
                                          boolean wrongPassword) throws Exception {
        String password = wrongPassword ? "wrong" : publishingPassword("rg1", EXISTING_NAME);
        String authorization = "Basic " + java.util.Base64.getEncoder().encodeToString(("$" + EXISTING_NAME + ":"
                + password).getBytes(StandardCharsets.UTF_8));
        List<String> headers = new ArrayList<>(List.of("X-Forwarded-Host", EXISTING_NAME
                + ".scm.azurewebsites.localhost", "Authorization", authorization));
        if (contentType != null) {
            headers.addAll(List.of("Content-Type", contentType));
        }
        return sendBytes(method, path, body, headers.toArray(String[]::new));
    }

    @Override
    protected String publishingPassword(String rg, String name) throws Exception {
        String xml = send("POST", SITES + "/" + name + "/publishxml" + V, "{}").body();
        int at = xml.indexOf("userPWD=\"") + "userPWD=\"".length();
        return xml.substring(at, xml.indexOf('"', at));
    }

    /** A request that declares a 200 MB body and sends none of it: the size alone is refused. */
    private String[] claimHugeBody() throws Exception {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            OutputStream out = socket.getOutputStream();
            out.write(("POST /api/zipdeploy HTTP/1.1\r\nHost: " + EXISTING_NAME + ".scm.azurewebsites.localhost\r\n"
                    + ServiceCredentials.HEADER + ": " + ServiceCredentials.value() + "\r\nContent-Type: "
                    + "application/zip\r\nContent-Length: " + (200L * 1024 * 1024) + "\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            // the answer only: the server would wait for the 200 MB it was promised before it closes
            String response = readAnswer(socket.getInputStream());
            String statusLine = response.substring(0, response.indexOf("\r\n"));
            String head = response.substring(0, response.indexOf("\r\n\r\n")).toLowerCase();
            int typeAt = head.indexOf("content-type:");
            String type = typeAt < 0 ? "" : head.substring(typeAt + 13, head.indexOf("\r\n", typeAt)).trim();
            String body = response.substring(response.indexOf("\r\n\r\n") + 4);
            if (head.contains("transfer-encoding: chunked")) {
                body = body.substring(body.indexOf("\r\n") + 2, body.lastIndexOf("}") + 1);
            }
            return new String[] {statusLine.split(" ")[1], type, body};
        }
    }

    /** An HTTP answer's head and its body: a JSON body ends with its last closing brace. */
    private static String readAnswer(InputStream in) throws IOException {
        StringBuilder text = new StringBuilder();
        byte[] buffer = new byte[4096];
        int n;
        while ((n = in.read(buffer)) > 0) {
            text.append(new String(buffer, 0, n, StandardCharsets.UTF_8));
            int bodyAt = text.indexOf("\r\n\r\n");
            if (bodyAt >= 0) {
                String head = text.substring(0, bodyAt).toLowerCase();
                int lengthAt = head.indexOf("content-length:");
                String body = text.substring(bodyAt + 4);
                if (lengthAt >= 0) {
                    int end = head.indexOf("\r\n", lengthAt);
                    int length = Integer.parseInt(head.substring(lengthAt + 15, end < 0 ? head.length() : end).trim());
                    if (body.getBytes(StandardCharsets.UTF_8).length >= length) {
                        break;
                    }
                } else if (body.endsWith("0\r\n\r\n")) {
                    break;
                }
            }
        }
        return text.toString();
    }

    private int outboxCount() {
        return jdbc.queryForObject("select count(*) from outbox where payload like ?", Integer.class,
                "%" + SUB + "%");
    }

    private int deploymentCount() {
        return jdbc.queryForObject("select count(*) from site_deployments", Integer.class);
    }

    private List<String> contentFolders() throws IOException {
        Path root = Path.of("target", "site-content");
        if (!Files.isDirectory(root)) {
            return List.of();
        }
        try (Stream<Path> all = Files.walk(root, 3)) {
            return all.map(p -> root.relativize(p).toString()).filter(p -> p.contains(TAG) || p.startsWith("new-"))
                    .sorted().toList();
        }
    }
}
