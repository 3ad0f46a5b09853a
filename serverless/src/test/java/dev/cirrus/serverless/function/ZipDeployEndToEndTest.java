package dev.cirrus.serverless.function;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import dev.cirrus.serverless.support.EndToEndTest;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

class ZipDeployEndToEndTest extends EndToEndTest {

    static final String HTTP_JSON = "{\"bindings\":[{\"type\":\"httpTrigger\",\"direction\":\"in\",\"name\":\"req\",\"authLevel\":\"function\"},"
            + "{\"type\":\"http\",\"direction\":\"out\",\"name\":\"$return\"}]}";
    static final String ANONYMOUS_JSON = "{\"bindings\":[{\"type\":\"httpTrigger\",\"direction\":\"in\",\"name\":\"req\",\"authLevel\":\"anonymous\"}]}";

    static byte[] zip(Map<String, String> entries) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream out = new ZipOutputStream(bytes)) {
            for (Map.Entry<String, String> entry : entries.entrySet()) {
                out.putNextEntry(new ZipEntry(entry.getKey()));
                out.write(entry.getValue().getBytes(StandardCharsets.UTF_8));
                out.closeEntry();
            }
        }
        return bytes.toByteArray();
    }

    static Map<String, String> app(String hostJson) {
        Map<String, String> entries = new LinkedHashMap<>();
        entries.put("host.json", hostJson);
        entries.put("hello/function.json", HTTP_JSON);
        entries.put("hello/index.js", "const greeting = require('./greeting');"
                + " module.exports = async function (context, req) { return { body: greeting('zip ' + (req.query.name || 'world')) }; };");
        entries.put("hello/greeting.js", "module.exports = name => 'Hello, ' + name;");
        entries.put("bye/function.json", ANONYMOUS_JSON);
        entries.put("bye/index.js", "module.exports = async function (context) { context.res = { body: 'bye' }; };");
        entries.put("lib/readme.txt", "a shared folder without function.json is not a function");
        return entries;
    }

    HttpResponse<String> armDeploy(String app, byte[] zip) throws Exception {
        return sendBytes("POST", site(app) + "/extensions/zipdeploy" + API, zip, "Content-Type", "application/zip");
    }

    JsonNode functionNames(String app) throws Exception {
        return JSON.readTree(send("GET", site(app) + "/functions" + API, null).body()).get("value");
    }

    String masterKey(String app) throws Exception {
        return JSON.readTree(send("POST", site(app) + "/host/default/listkeys" + API, null).body()).get("masterKey").asString();
    }

    @Test
    void anArmZipDeployReplacesHostJsonAndEveryFunctionAndAKeptFunctionKeepsItsKey() throws Exception {
        String app = createApp(unique("zip"));
        putFunction(app, "hello", "[{\"type\":\"httpTrigger\",\"direction\":\"in\",\"name\":\"req\"}]",
                "module.exports = async (context) => { context.res = { body: 'v1' }; };");
        putFunction(app, "old", "[{\"type\":\"httpTrigger\",\"direction\":\"in\",\"name\":\"req\"}]",
                "module.exports = async () => ({ body: 'old' });");
        String helloKey = JSON.readTree(send("POST", site(app) + "/functions/hello/listkeys" + API, null).body()).get("default").asString();

        HttpResponse<String> deployed = armDeploy(app, zip(app("{\"version\":\"2.0\",\"functionTimeout\":\"00:02:00\","
                + "\"extensions\":{\"http\":{\"routePrefix\":\"v1\"}}}")));
        assertThat(deployed.statusCode()).as(deployed.body()).isEqualTo(200);
        assertThat(JSON.readTree(deployed.body()).get("functions")).extracting(JsonNode::asString).containsExactly("hello", "bye");

        assertThat(functionNames(app)).extracting(f -> f.get("name").asString()).containsExactly(app + "/bye", app + "/hello");
        HttpResponse<String> hello = send("GET", "/functions/" + app + "/v1/hello?name=Ada&code=" + helloKey, null);
        assertThat(hello.statusCode()).as(hello.body()).isEqualTo(200);
        assertThat(hello.body()).isEqualTo("Hello, zip Ada");
        assertThat(send("GET", "/functions/" + app + "/v1/bye", null).body()).isEqualTo("bye");
        // host.json's routePrefix replaced the default 'api'
        assertThat(send("GET", "/functions/" + app + "/api/bye", null).statusCode()).isEqualTo(404);
        assertThat(send("GET", "/functions/" + app + "/v1/old", null).statusCode()).isEqualTo(404);
    }

    @Test
    void aKuduZipDeployOnTheAppsScmPathOrHostNeedsTheMasterKey() throws Exception {
        String app = createApp(unique("kudu"));
        byte[] zip = zip(app("{\"version\":\"2.0\"}"));
        HttpResponse<String> anonymous = sendBytes("POST", "/functions/" + app + "/scm/api/zipdeploy", zip);
        assertThat(anonymous.statusCode()).isEqualTo(401);
        assertThat(functionNames(app)).isEmpty();
        String basic = Base64.getEncoder().encodeToString(("$" + app + ":" + masterKey(app)).getBytes(StandardCharsets.UTF_8));
        HttpResponse<String> byPath = sendBytes("POST", "/functions/" + app + "/scm/api/zipdeploy", zip,
                "Authorization", "Basic " + basic, "Content-Type", "application/zip");
        assertThat(byPath.statusCode()).as(byPath.body()).isEqualTo(200);
        assertThat(send("GET", "/functions/" + app + "/api/bye", null).body()).isEqualTo("bye");

        Map<String, String> onlyBye = app("{\"version\":\"2.0\"}");
        onlyBye.keySet().removeIf(name -> name.startsWith("hello/"));
        HttpResponse<String> byHost = sendBytes("POST", "/api/zipdeploy", zip(onlyBye),
                "X-Forwarded-Host", app + ".scm.azurewebsites.localhost", "x-functions-key", masterKey(app));
        assertThat(byHost.statusCode()).as(byHost.body()).isEqualTo(200);
        assertThat(functionNames(app)).extracting(f -> f.get("name").asString()).containsExactly(app + "/bye");
    }

    @Test
    void aBadZipIsA400NamingTheProblemAndChangesNothing() throws Exception {
        String app = createApp(unique("badzip"));
        putFunction(app, "keep", "[{\"type\":\"httpTrigger\",\"direction\":\"in\",\"name\":\"req\",\"authLevel\":\"anonymous\"}]",
                "module.exports = async (context) => { context.res = { body: 'kept' }; };");

        HttpResponse<String> notAZip = armDeploy(app, "this is not a zip".getBytes(StandardCharsets.UTF_8));
        assertThat(notAZip.statusCode()).isEqualTo(400);
        assertThat(notAZip.body()).contains("InvalidZip").contains("not a zip");

        Map<String, String> noHost = app("{}");
        noHost.remove("host.json");
        HttpResponse<String> noHostJson = armDeploy(app, zip(noHost));
        assertThat(noHostJson.statusCode()).isEqualTo(400);
        assertThat(noHostJson.body()).contains("InvalidZip").contains("no host.json");

        Map<String, String> twoTriggers = app("{\"version\":\"2.0\"}");
        twoTriggers.put("bye/function.json", "{\"bindings\":[{\"type\":\"httpTrigger\",\"direction\":\"in\",\"name\":\"req\"},"
                + "{\"type\":\"timerTrigger\",\"direction\":\"in\",\"name\":\"tick\",\"schedule\":\"0 * * * * *\"}]}");
        HttpResponse<String> badConfig = armDeploy(app, zip(twoTriggers));
        assertThat(badConfig.statusCode()).isEqualTo(400);
        JsonNode error = JSON.readTree(badConfig.body()).get("error");
        assertThat(error.get("code").asString()).isEqualTo("InvalidFunctionConfig");
        assertThat(error.get("message").asString()).contains("bye/function.json").contains("binding 'tick'");
        assertThat(error.get("target").asString()).isEqualTo("bye/function.json.bindings[1]");

        Map<String, String> noScript = app("{\"version\":\"2.0\"}");
        noScript.remove("bye/index.js");
        HttpResponse<String> missingScript = armDeploy(app, zip(noScript));
        assertThat(missingScript.statusCode()).isEqualTo(400);
        assertThat(missingScript.body()).contains("InvalidFunctionConfig").contains("bye/index.js");

        HttpResponse<String> longTimeout = armDeploy(app, zip(app("{\"version\":\"2.0\",\"functionTimeout\":\"00:20:00\"}")));
        assertThat(longTimeout.statusCode()).isEqualTo(400);
        assertThat(longTimeout.body()).contains("InvalidHostJson").contains("00:10:00");

        Map<String, String> escape = app("{\"version\":\"2.0\"}");
        escape.put("bye/../../evil.js", "x");
        HttpResponse<String> traversal = armDeploy(app, zip(escape));
        assertThat(traversal.statusCode()).isEqualTo(400);
        assertThat(traversal.body()).contains("InvalidZip").contains("leaves the package");

        HttpResponse<String> badJson = armDeploy(app, zip(app("{ not json")));
        assertThat(badJson.statusCode()).isEqualTo(400);
        assertThat(badJson.body()).contains("InvalidZip").contains("host.json is not valid JSON");

        assertThat(functionNames(app)).extracting(f -> f.get("name").asString()).containsExactly(app + "/keep");
        assertThat(send("GET", "/functions/" + app + "/api/keep", null).body()).isEqualTo("kept");
    }
}
