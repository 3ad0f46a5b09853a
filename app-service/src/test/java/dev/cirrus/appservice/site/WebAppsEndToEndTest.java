package dev.cirrus.appservice.site;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.util.List;
import java.util.UUID;

import dev.cirrus.appservice.support.EndToEndTest;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import tools.jackson.databind.JsonNode;

/**
 * Web apps through the ARM API of the running service: shape, validation against the plan (exists, region, apps per
 * plan), global names, state, configuration resources, publishing profile and policies, events in the outbox, and the
 * plan's count of apps.
 */
class WebAppsEndToEndTest extends EndToEndTest {

    @Autowired
    JdbcTemplate jdbc;

    @Test
    void aWebAppIsCreatedOnAPlanWithAzuresShapeAndCountsOnThePlan() throws Exception {
        String planId = createPlan("rg1", "plan", "S1", 2);
        String name = unique("web");
        HttpResponse<String> put = createSite("rg1", name, planId, "\"httpsOnly\":true,\"siteConfig\":{"
                + "\"linuxFxVersion\":\"JAVA|17-java17\",\"alwaysOn\":true,\"healthCheckPath\":\"/health\","
                + "\"http20Enabled\":true,\"minTlsVersion\":\"1.2\",\"appSettings\":[{\"name\":\"GREETING\",\"value\":\"hi\"}],"
                + "\"connectionStrings\":[{\"name\":\"db\",\"connectionString\":\"Server=x\",\"type\":\"SQLAzure\"}]}");
        assertThat(put.statusCode()).as(put.body()).isEqualTo(200);
        JsonNode site = JSON.readTree(put.body());
        assertThat(site.path("id").asString()).isEqualTo(site("rg1", name));
        assertThat(site.path("type").asString()).isEqualTo("Microsoft.Web/sites");
        assertThat(site.path("kind").asString()).isEqualTo("app,linux");
        JsonNode p = site.path("properties");
        assertThat(p.path("state").asString()).isEqualTo("Running");
        assertThat(p.path("defaultHostName").asString()).isEqualTo(name + ".azurewebsites.localhost:8080");
        assertThat(p.path("hostNames").get(0).asString()).isEqualTo(name + ".azurewebsites.localhost:8080");
        assertThat(p.path("enabledHostNames").get(1).asString()).isEqualTo(name + ".scm.azurewebsites.localhost:8080");
        assertThat(p.path("serverFarmId").asString()).isEqualTo(planId);
        assertThat(p.path("reserved").asBoolean()).isTrue();
        assertThat(p.path("httpsOnly").asBoolean()).isTrue();
        assertThat(p.path("clientAffinityEnabled").asBoolean()).isTrue();
        assertThat(p.path("siteConfig").path("linuxFxVersion").asString()).isEqualTo("JAVA|17-java17");
        assertThat(p.path("siteConfig").path("alwaysOn").asBoolean()).isTrue();
        assertThat(p.path("siteConfig").path("numberOfWorkers").asInt()).isEqualTo(2);
        assertThat(put.headers().firstValue("ETag")).contains(site.path("etag").asString());

        JsonNode read = JSON.readTree(send("GET", site("rg1", name) + API, null).body());
        assertThat(read.path("properties").path("siteConfig").path("healthCheckPath").asString()).isEqualTo("/health");
        JsonNode settings = JSON.readTree(send("POST", site("rg1", name) + "/config/appsettings/list" + API, null).body());
        assertThat(settings.path("properties").path("GREETING").asString()).isEqualTo("hi");
        JsonNode strings = JSON.readTree(send("POST", site("rg1", name) + "/config/connectionstrings/list" + API, null)
                .body());
        assertThat(strings.path("properties").path("db").path("type").asString()).isEqualTo("SQLAzure");
        JsonNode web = JSON.readTree(send("GET", site("rg1", name) + "/config/web" + API, null).body());
        assertThat(web.path("name").asString()).isEqualTo("web");
        assertThat(web.path("properties").path("http20Enabled").asBoolean()).isTrue();

        JsonNode plan = JSON.readTree(send("GET", planId + API, null).body());
        assertThat(plan.path("properties").path("numberOfSites").asInt()).isEqualTo(1);
        HttpResponse<String> deletePlan = send("DELETE", planId + API, null);
        assertThat(deletePlan.statusCode()).isEqualTo(409);
        assertThat(deletePlan.body()).contains(name);

        assertThat(events(name)).containsExactly("Microsoft.Web.WebAppWritten");
        assertThat(send("DELETE", site("rg1", name) + API, null).statusCode()).isEqualTo(200);
        assertThat(send("GET", site("rg1", name) + API, null).statusCode()).isEqualTo(404);
        assertThat(send("DELETE", site("rg1", name) + API, null).statusCode()).isEqualTo(204);
        assertThat(events(name)).containsExactly("Microsoft.Web.WebAppWritten", "Microsoft.Web.WebAppDeleted");
        assertThat(JSON.readTree(send("GET", planId + API, null).body()).path("properties").path("numberOfSites")
                .asInt()).isZero();
        assertThat(send("DELETE", planId + API, null).statusCode()).isEqualTo(200);
    }

    @Test
    void aNameIsGlobalSoAnotherSubscriptionCannotTakeIt() throws Exception {
        String name = unique("taken");
        assertThat(createSite("rg1", name, createPlan("rg1", "plan-a", "B1", 1), null).statusCode()).isEqualTo(200);

        String otherSub = UUID.randomUUID().toString();
        String otherPlan = "/subscriptions/" + otherSub + "/resourceGroups/rg9/providers/Microsoft.Web/serverfarms/p";
        assertThat(send("PUT", otherPlan + API, "{\"location\":\"westeurope\",\"sku\":{\"name\":\"B1\"}}").statusCode())
                .isEqualTo(200);
        HttpResponse<String> second = send("PUT", "/subscriptions/" + otherSub + "/resourceGroups/rg9/providers/"
                + "Microsoft.Web/sites/" + name.toUpperCase() + API, "{\"location\":\"westeurope\",\"properties\":"
                + "{\"serverFarmId\":\"" + otherPlan + "\"}}");

        assertThat(second.statusCode()).as(second.body()).isEqualTo(409);
        assertThat(JSON.readTree(second.body()).path("error").path("code").asString()).isEqualTo("Conflict");
        assertThat(second.body()).contains("Website with given name");
    }

    @Test
    void aFreePlanHoldsTenAppsAndRefusesTheEleventh() throws Exception {
        String planId = createPlan("rg-free", "free", "F1", 1);
        for (int i = 0; i < 10; i++) {
            assertThat(createSite("rg-free", unique("f" + i), planId, null).statusCode()).isEqualTo(200);
        }
        String eleventh = unique("f11");
        HttpResponse<String> refused = createSite("rg-free", eleventh, planId, null);

        assertThat(refused.statusCode()).as(refused.body()).isEqualTo(409);
        assertThat(send("GET", site("rg-free", eleventh) + API, null).statusCode()).isEqualTo(404);
        assertThat(JSON.readTree(send("GET", planId + API, null).body()).path("properties").path("numberOfSites")
                .asInt()).isEqualTo(10);
    }

    @Test
    void stopAndStartChangeTheStateAndPublishTheirEvents() throws Exception {
        String name = unique("state");
        createSite("rg1", name, createPlan("rg1", "plan-s", "B1", 1), null);

        assertThat(send("POST", site("rg1", name) + "/stop" + API, null).statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(send("GET", site("rg1", name) + API, null).body()).path("properties").path("state")
                .asString()).isEqualTo("Stopped");
        assertThat(send("POST", site("rg1", name) + "/stop" + API, null).statusCode()).isEqualTo(200);
        assertThat(send("POST", site("rg1", name) + "/start" + API, null).statusCode()).isEqualTo(200);
        assertThat(send("POST", site("rg1", name) + "/restart" + API, null).statusCode()).isEqualTo(200);

        assertThat(events(name)).containsExactly("Microsoft.Web.WebAppWritten", "Microsoft.Web.WebAppStopped",
                "Microsoft.Web.WebAppStarted");
    }

    @Test
    void appSettingsSlotConfigNamesAndTheSiteConfigAreReplacedAndListed() throws Exception {
        String name = unique("cfg");
        createSite("rg1", name, createPlan("rg1", "plan-c", "B1", 1), null);

        HttpResponse<String> put = send("PUT", site("rg1", name) + "/config/appsettings" + API,
                "{\"properties\":{\"A\":\"1\",\"B\":\"two\"}}");
        assertThat(put.statusCode()).as(put.body()).isEqualTo(200);
        JsonNode listed = JSON.readTree(send("POST", site("rg1", name) + "/config/appsettings/list" + API, null).body());
        assertThat(listed.path("properties").path("B").asString()).isEqualTo("two");
        assertThat(listed.path("name").asString()).isEqualTo("appsettings");

        HttpResponse<String> sticky = send("PUT", site("rg1", name) + "/config/slotConfigNames" + API,
                "{\"properties\":{\"appSettingNames\":[\"A\"],\"connectionStringNames\":[]}}");
        assertThat(sticky.statusCode()).as(sticky.body()).isEqualTo(200);
        JsonNode names = JSON.readTree(send("GET", site("rg1", name) + "/config/slotConfigNames" + API, null).body());
        assertThat(names.path("properties").path("appSettingNames").get(0).asString()).isEqualTo("A");

        HttpResponse<String> patch = send("PATCH", site("rg1", name) + "/config/web" + API,
                "{\"properties\":{\"alwaysOn\":true,\"linuxFxVersion\":\"NODE|20-lts\"}}");
        assertThat(patch.statusCode()).as(patch.body()).isEqualTo(200);
        assertThat(JSON.readTree(patch.body()).path("properties").path("alwaysOn").asBoolean()).isTrue();
        HttpResponse<String> replace = send("PUT", site("rg1", name) + "/config/web" + API,
                "{\"properties\":{\"http20Enabled\":true}}");
        JsonNode replaced = JSON.readTree(replace.body()).path("properties");
        assertThat(replaced.path("alwaysOn").asBoolean()).as("a PUT resets what it does not give").isFalse();
        assertThat(replaced.path("http20Enabled").asBoolean()).isTrue();
        assertThat(JSON.readTree(send("POST", site("rg1", name) + "/config/appsettings/list" + API, null).body())
                .path("properties").path("A").asString()).as("settings survive a config write").isEqualTo("1");
        assertThat(events(name)).hasSize(5);

        JsonNode logs = JSON.readTree(send("GET", site("rg1", name) + "/config/logs" + API, null).body());
        assertThat(logs.path("properties").path("applicationLogs").path("fileSystem").path("level").asString())
                .isEqualTo("Off");
        HttpResponse<String> logsPut = send("PUT", site("rg1", name) + "/config/logs" + API,
                "{\"properties\":{\"applicationLogs\":{\"fileSystem\":{\"level\":\"Verbose\"}}}}");
        assertThat(logsPut.statusCode()).as(logsPut.body()).isEqualTo(200);
        assertThat(JSON.readTree(send("GET", site("rg1", name) + "/config/logs" + API, null).body()).path("properties")
                .path("applicationLogs").path("fileSystem").path("level").asString()).isEqualTo("Verbose");
    }

    @Test
    void thePublishingProfileAndTheBasicAuthPoliciesAreServed() throws Exception {
        String name = unique("pub");
        createSite("rg1", name, createPlan("rg1", "plan-p", "B1", 1), null);

        HttpResponse<String> xml = send("POST", site("rg1", name) + "/publishxml" + API, "{\"format\":\"WebDeploy\"}");
        assertThat(xml.statusCode()).isEqualTo(200);
        assertThat(xml.headers().firstValue("Content-Type").orElse("")).startsWith("application/xml");
        assertThat(xml.body()).contains("publishMethod=\"ZipDeploy\"", "userName=\"$" + name + "\"",
                "destinationAppUrl=\"http://" + name + ".azurewebsites.localhost:8080\"");
        assertThat(publishingPassword("rg1", name)).hasSizeGreaterThan(30);

        JsonNode policies = JSON.readTree(send("GET", site("rg1", name) + "/basicPublishingCredentialsPolicies" + API,
                null).body());
        assertThat(policies.path("value")).extracting(v -> v.path("name").asString()).containsExactly("ftp", "scm");
        HttpResponse<String> off = send("PUT", site("rg1", name) + "/basicPublishingCredentialsPolicies/scm" + API,
                "{\"properties\":{\"allow\":false}}");
        assertThat(off.statusCode()).as(off.body()).isEqualTo(200);
        assertThat(JSON.readTree(send("GET", site("rg1", name) + "/basicPublishingCredentialsPolicies/scm" + API,
                null).body()).path("properties").path("allow").asBoolean()).isFalse();
    }

    @Test
    void listsArePagedInIdOrder() throws Exception {
        String planId = createPlan("rg-list", "plan", "S1", 1);
        for (int i = 0; i < 7; i++) {
            createSite("rg-list", unique("l" + i), planId, null);
        }
        JsonNode first = JSON.readTree(send("GET", "/subscriptions/" + sub + "/resourceGroups/rg-list/providers/"
                + "Microsoft.Web/sites" + API, null).body());
        assertThat(first.path("value")).hasSize(5);
        String next = first.path("nextLink").asString();
        JsonNode second = JSON.readTree(send("GET", next.substring(next.indexOf("/subscriptions/")), null).body());
        assertThat(second.path("value")).hasSize(2);
        assertThat(second.has("nextLink")).isFalse();
    }

    private List<String> events(String siteName) {
        return jdbc.queryForList("select event_type from outbox where record_key = ? order by seq", String.class,
                site("rg1", siteName).toLowerCase());
    }
}
