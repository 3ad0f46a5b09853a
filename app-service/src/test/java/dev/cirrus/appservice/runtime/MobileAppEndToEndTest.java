package dev.cirrus.appservice.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;

import dev.cirrus.appservice.support.EndToEndTest;
import dev.cirrus.appservice.support.TestApps;
import org.junit.jupiter.api.Test;

/**
 * A mobile app's backend (kind {@code mobileapp}): its tables and custom APIs answer only requests with the Mobile
 * Apps clients' {@code ZUMO-API-VERSION} 2.x (header or query parameter); anything else on its host is served as for
 * any web app, and a web app of kind {@code app} is not asked for the header.
 */
class MobileAppEndToEndTest extends EndToEndTest {

    @Test
    void aMobileAppsTablesAndApisNeedTheMobileClientsApiVersion() throws Exception {
        String app = unique("mobile");
        String planId = createPlan("rg1", "plan-mobile", "B1", 1);
        HttpResponse<String> created = send("PUT", site("rg1", app) + API, "{\"location\":\"westeurope\",\"kind\":"
                + "\"mobileapp,linux\",\"properties\":{\"serverFarmId\":\"" + planId + "\"}}");
        assertThat(created.statusCode()).as(created.body()).isEqualTo(200);
        assertThat(zipDeploy("rg1", app, TestApps.javaAppZip()).statusCode()).isEqualTo(200);

        HttpResponse<String> missing = app(app, "/tables/todoitem");
        assertThat(missing.statusCode()).isEqualTo(400);
        assertThat(missing.headers().firstValue("Content-Type").orElse("")).startsWith("application/json");
        assertThat(JSON.readTree(missing.body()).path("message").asString()).startsWith("No API version was "
                + "specified in the request, this request needs to specify a ZUMO-API-VERSION of '2.0.0'.");
        HttpResponse<String> old = app(app, "/api/custom", "ZUMO-API-VERSION", "1.0.0");
        assertThat(old.statusCode()).isEqualTo(400);
        assertThat(old.body()).contains("'1.0.0' is not supported");

        HttpResponse<String> header = app(app, "/tables/todoitem", "ZUMO-API-VERSION", "2.0.0");
        assertThat(header.statusCode()).isEqualTo(200);
        assertThat(header.body()).contains("path=/tables/todoitem");
        assertThat(app(app, "/api/custom?zumo-api-version=2.0.0").statusCode()).isEqualTo(200);
        assertThat(app(app, "/hello").statusCode()).as("not a table nor an API").isEqualTo(200);

        String web = unique("notmobile");
        createSite("rg1", web, planId, null);
        zipDeploy("rg1", web, TestApps.javaAppZip());
        assertThat(app(web, "/tables/todoitem").statusCode()).isEqualTo(200);
    }
}
