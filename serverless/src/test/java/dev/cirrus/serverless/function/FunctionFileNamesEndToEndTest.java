package dev.cirrus.serverless.function;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.cirrus.serverless.support.EndToEndTest;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** A function's file names stay inside the function's folder: anything that would leave it is a 400 and changes nothing. */
class FunctionFileNamesEndToEndTest extends EndToEndTest {

    private static final String ANONYMOUS = "[{\"type\":\"httpTrigger\",\"direction\":\"in\",\"name\":\"req\",\"authLevel\":\"anonymous\"}]";

    @Test
    void fileNamesThatLeaveTheFunctionsFolderAreRefusedAndNothingIsWritten() throws Exception {
        String app = createApp(unique("files"));
        for (String name : List.of("../../../../etc/x.js", "/etc/passwd", "lib/../../x.js", "./../x.js", "a/./b.js",
                "C:/windows/x.js", "..\\x.js", "lib//x.js", "x\u0000.js", "..")) {
            String body = JSON.writeValueAsString(Map.of("properties", Map.of(
                    "config", JSON.readTree("{\"bindings\":" + ANONYMOUS + "}"),
                    "files", Map.of("index.js", "module.exports = async () => ({ body: 'ok' });", name, "x"))));
            HttpResponse<String> response = send("PUT", site(app) + "/functions/f" + API, body);
            assertThat(response.statusCode()).as(name + ": " + response.body()).isEqualTo(400);
            JsonNode error = JSON.readTree(response.body()).get("error");
            assertThat(error.get("code").asString()).isEqualTo("InvalidParameter");
            assertThat(error.get("target").asString()).isEqualTo("properties.files");
        }
        assertThat(send("GET", site(app) + "/functions/f" + API, null).statusCode()).isEqualTo(404);

        HttpResponse<String> script = putFunctionJson(app, "g", "{\"scriptFile\":\"../../etc/x.js\",\"bindings\":" + ANONYMOUS + "}",
                "module.exports = async () => ({ body: 'ok' });");
        assertThat(script.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(script.body()).get("error").get("target").asString()).isEqualTo("properties.config.scriptFile");

        HttpResponse<String> fine = send("PUT", site(app) + "/functions/f" + API, JSON.writeValueAsString(Map.of("properties", Map.of(
                "config", JSON.readTree("{\"bindings\":" + ANONYMOUS + "}"),
                "files", Map.of("index.js", "module.exports = async () => ({ body: require('./lib/util.js')() });",
                        "./lib/util.js", "module.exports = () => 'nested ok';")))));
        assertThat(fine.statusCode()).as(fine.body()).isEqualTo(201);
        assertThat(JSON.readTree(fine.body()).get("properties").get("files").has("lib/util.js")).isTrue();
        assertThat(send("GET", "/functions/" + app + "/api/f", null).body()).isEqualTo("nested ok");
    }

    @Test
    void aZipPackageWhoseEntriesLeaveTheirFolderIsRefusedAndTheAppKeepsItsFunctions() throws Exception {
        String app = createApp(unique("zipfiles"));
        assertThat(sendBytes("POST", site(app) + "/extensions/zipdeploy" + API,
                ZipDeployEndToEndTest.zip(ZipDeployEndToEndTest.app("{\"version\":\"2.0\"}")),
                "Content-Type", "application/zip").statusCode()).isEqualTo(200);
        for (String name : List.of("hello/../../x.js", "/abs/x.js", "hello/a/../../../x.js", "hello/..")) {
            Map<String, String> entries = new LinkedHashMap<>(ZipDeployEndToEndTest.app("{\"version\":\"2.0\"}"));
            entries.put(name, "x");
            HttpResponse<String> response = sendBytes("POST", site(app) + "/extensions/zipdeploy" + API,
                    ZipDeployEndToEndTest.zip(entries), "Content-Type", "application/zip");
            assertThat(response.statusCode()).as(name + ": " + response.body()).isEqualTo(400);
            assertThat(JSON.readTree(response.body()).get("error").get("code").asString()).isEqualTo("InvalidZip");
        }
        JsonNode functions = JSON.readTree(send("GET", site(app) + "/functions" + API, null).body()).get("value");
        assertThat(functions).extracting(f -> f.get("properties").get("name").asString()).containsExactlyInAnyOrder("hello", "bye");
    }
}
