package dev.cirrus.serverless.functionapp;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.util.List;

import dev.cirrus.serverless.support.EndToEndTest;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** Bad input to this service's API is a 4xx with an ARM error body naming the problem, never a 5xx, and changes nothing. */
class BadInputEndToEndTest extends EndToEndTest {

    record Case(String method, String path, String body) {
    }

    @Test
    void malformedRequestsAreRefusedWithArmErrorsAndLeaveTheAppAsItWas() throws Exception {
        String app = createApp(unique("bad"));
        putFunction(app, "echo", "[{\"type\":\"httpTrigger\",\"direction\":\"in\",\"name\":\"req\",\"authLevel\":\"anonymous\"}]",
                "module.exports = async (context, req) => { context.res = { body: JSON.stringify(req.query) }; };");
        String etag = JSON.readTree(send("GET", site(app) + API, null).body()).get("etag").asString();
        String body = "{\"kind\":\"functionapp\",\"location\":\"westeurope\"";
        List<Case> cases = List.of(
                new Case("PUT", site(app) + API, body + ",\"properties\":{\"siteConfig\":{\"functionAppScaleLimit\":99999999999999999999999}}}"),
                new Case("PUT", site(app) + API, body + ",\"properties\":{\"siteConfig\":{\"functionAppScaleLimit\":1e400}}}"),
                new Case("PUT", site(app) + API, body + ",\"properties\":{\"siteConfig\":{\"functionAppScaleLimit\":\"many\"}}}"),
                new Case("PUT", site(app) + API, body + ",\"tags\":{\"a\":5}}"),
                new Case("PUT", site(app) + API, body + ",\"tags\":{\"a/b\":\"x\"}}"),
                new Case("PUT", site(app) + API, body + ",\"tags\":[1]}"),
                new Case("PUT", site(app) + API, "{\"kind\":\"functionapp\",\"location\":7}"),
                new Case("PUT", site(app) + API, "{\"kind\":\"functionapp\",\"location\":\"west\\u0000europe\"}"),
                new Case("PUT", site(app) + API, body + ",\"properties\":{\"serverFarmId\":12}}"),
                new Case("PUT", site(app) + API, body + ",\"properties\":{\"siteConfig\":{\"appSettings\":{\"a\":\"b\"}}}}"),
                new Case("PUT", site(app) + API, body + ",\"properties\":[]}"),
                new Case("PUT", site(app) + API, "{\"kind\":\"functionapp\","),
                new Case("PUT", site(app) + API, "[]"),
                new Case("PATCH", site(app) + API, "{\"properties\":{\"siteConfig\":{\"functionAppScaleLimit\":-3}}}"),
                new Case("PATCH", site(app) + "/config/web" + API, "{\"properties\":{\"alwaysOn\":\"yes\"}}"),
                new Case("PATCH", site(app) + "/config/web" + API, "{\"properties\":{\"numberOfWorkers\":3000000000}}"),
                new Case("PATCH", site(app) + "/config/web" + API, "{\"properties\":{\"cors\":{\"allowedOrigins\":\"*\"}}}"),
                new Case("PUT", site(app) + "/config/appsettings" + API, "{\"properties\":{\"WEBSITE_MAX_DYNAMIC_APPLICATION_SCALE_OUT\":\"99999999999999999999999\"}}"),
                new Case("PUT", site(app) + "/config/appsettings" + API, "{\"properties\":{\"A\":{\"b\":1}}}"),
                new Case("GET", "/subscriptions/" + sub + "/providers/Microsoft.Web/sites" + API + "&$top=0", null),
                new Case("GET", "/subscriptions/" + sub + "/providers/Microsoft.Web/sites" + API + "&$top=99999999999999999999", null),
                new Case("GET", "/subscriptions/" + sub + "/providers/Microsoft.Web/sites" + API + "&$skiptoken=%FF", null),
                new Case("GET", site(app) + "/executions" + API + "&$skiptoken=%FF", null),
                new Case("GET", site(app) + "/executions" + API + "&$top=abc", null),
                new Case("PUT", site(app) + "/host/default/functionKeys/k" + API, "{\"value\":12}"),
                new Case("PUT", site(app) + "/host/default/functionKeys/k" + API, "{\"name\":\"other\"}"),
                new Case("PUT", site(app) + "/functions/echo/keys/properties" + API, "{}"));
        for (Case c : cases) {
            HttpResponse<String> response = send(c.method(), c.path(), c.body());
            assertThat(response.statusCode()).as(c + " → " + response.body()).isBetween(400, 499);
            JsonNode error = JSON.readTree(response.body()).get("error");
            assertThat(error).as(c + " → " + response.body()).isNotNull();
            assertThat(error.get("code").asString()).as(c.toString()).isNotBlank();
            assertThat(error.get("message").asString()).as(c.toString()).isNotBlank();
        }
        JsonNode after = JSON.readTree(send("GET", site(app) + API, null).body());
        assertThat(after.get("etag").asString()).isEqualTo(etag);
        assertThat(after.get("tags").isEmpty()).isTrue();

        HttpResponse<String> query = send("GET", "/functions/" + app + "/api/echo?q=%FF", null);
        assertThat(query.statusCode()).as(query.body()).isBetween(400, 499);
        assertThat(send("GET", "/functions/" + app + "/api/echo?q=ok", null).body()).isEqualTo("{\"q\":\"ok\"}");
    }
}
