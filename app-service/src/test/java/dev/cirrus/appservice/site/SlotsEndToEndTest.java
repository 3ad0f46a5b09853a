package dev.cirrus.appservice.site;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import dev.cirrus.appservice.support.EndToEndTest;
import dev.cirrus.appservice.support.TestApps;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import tools.jackson.databind.JsonNode;

/**
 * Deployment slots: each with its own host name {@code {app}-{slot}}, content (zip deployed on its own scm host) and
 * settings, limited by the plan's tier, shown in ARM as {@code Microsoft.Web/sites/slots}, deleted with their app;
 * swaps exchanging content and the settings that are not sticky, with preview and reset, and a swap under a steady
 * load of requests that all succeed.
 */
class SlotsEndToEndTest extends EndToEndTest {

    @Autowired
    JdbcTemplate jdbc;

    private String slot(String app, String slot) {
        return site("rg1", app) + "/slots/" + slot;
    }

    private HttpResponse<String> createSlot(String app, String slot, String extraProperties) throws Exception {
        return send("PUT", slot(app, slot) + API, "{\"location\":\"westeurope\",\"properties\":{"
                + (extraProperties == null ? "" : extraProperties) + "}}");
    }

    private HttpResponse<String> zipDeployToSlot(String app, String slot, byte[] zip) throws Exception {
        String xml = send("POST", slot(app, slot) + "/publishxml" + API, "{}").body();
        int at = xml.indexOf("userPWD=\"") + "userPWD=\"".length();
        String password = xml.substring(at, xml.indexOf('"', at));
        String host = app + "-" + slot;
        return sendBytes("POST", "/api/zipdeploy", zip, "X-Forwarded-Host", host + ".scm.azurewebsites.localhost",
                "Authorization", "Basic " + java.util.Base64.getEncoder().encodeToString(("$" + host + ":" + password)
                        .getBytes(java.nio.charset.StandardCharsets.UTF_8)), "Content-Type", "application/zip");
    }

    private JsonNode settings(String resource) throws Exception {
        return JSON.readTree(send("POST", resource + "/config/appsettings/list" + API, null).body()).path("properties");
    }

    private List<String> events(String resource) {
        return jdbc.queryForList("select event_type from outbox where record_key = ? order by seq", String.class,
                resource.toLowerCase());
    }

    @Test
    void aSlotHasItsOwnHostContentAndSettingsAndIsAChildOfItsAppInArm() throws Exception {
        String app = unique("slotted");
        createSite("rg1", app, createPlan("rg1", "plan-slots", "S1", 1),
                "\"siteConfig\":{\"appSettings\":[{\"name\":\"COLOR\",\"value\":\"blue\"}]}");

        HttpResponse<String> created = createSlot(app, "staging",
                "\"siteConfig\":{\"appSettings\":[{\"name\":\"COLOR\",\"value\":\"green\"}]}");

        assertThat(created.statusCode()).as(created.body()).isEqualTo(200);
        JsonNode slot = JSON.readTree(send("GET", slot(app, "staging") + API, null).body());
        assertThat(slot.path("id").asString()).isEqualTo(slot(app, "staging"));
        assertThat(slot.path("name").asString()).isEqualTo(app + "/staging");
        assertThat(slot.path("type").asString()).isEqualTo("Microsoft.Web/sites/slots");
        assertThat(slot.path("properties").path("defaultHostName").asString())
                .isEqualTo(app + "-staging.azurewebsites.localhost:8080");
        assertThat(slot.path("properties").path("serverFarmId").asString()).endsWith("/serverfarms/plan-slots");
        assertThat(slot.path("properties").path("state").asString()).isEqualTo("Running");
        JsonNode list = JSON.readTree(send("GET", site("rg1", app) + "/slots" + API, null).body()).path("value");
        assertThat(list).hasSize(1);
        assertThat(list.get(0).path("name").asString()).isEqualTo(app + "/staging");
        JsonNode sites = JSON.readTree(send("GET", "/subscriptions/" + sub + "/resourceGroups/rg1/providers/"
                + "Microsoft.Web/sites" + API, null).body()).path("value");
        assertThat(sites).extracting(s -> s.path("name").asString()).containsExactly(app);

        assertThat(zipDeploy("rg1", app, TestApps.staticSiteZip("production content")).statusCode()).isEqualTo(200);
        HttpResponse<String> deployed = zipDeployToSlot(app, "staging", TestApps.staticSiteZip("staging content"));
        assertThat(deployed.statusCode()).as(deployed.body()).isEqualTo(200);

        assertThat(app(app, "/").body()).contains("production content");
        assertThat(app(app + "-staging", "/").body()).contains("staging content");
        assertThat(settings(site("rg1", app)).path("COLOR").asString()).isEqualTo("blue");
        assertThat(settings(slot(app, "staging")).path("COLOR").asString()).isEqualTo("green");
        send("PUT", slot(app, "staging") + "/config/appsettings" + API, "{\"properties\":{\"COLOR\":\"teal\"}}");
        assertThat(settings(slot(app, "staging")).path("COLOR").asString()).isEqualTo("teal");
        assertThat(settings(site("rg1", app)).path("COLOR").asString()).isEqualTo("blue");
        assertThat(events(slot(app, "staging"))).containsExactly("Microsoft.Web.WebAppSlotWritten",
                "Microsoft.Web.WebAppSlotDeployed", "Microsoft.Web.WebAppSlotWritten");

        assertThat(send("POST", slot(app, "staging") + "/stop" + API, null).statusCode()).isEqualTo(200);
        assertThat(app(app + "-staging", "/").statusCode()).isEqualTo(403);
        assertThat(app(app, "/").statusCode()).isEqualTo(200);
    }

    @Test
    void theTiersSlotLimitIsEnforced() throws Exception {
        String basic = unique("basic");
        createSite("rg1", basic, createPlan("rg1", "plan-basic-slots", "B1", 1), null);
        HttpResponse<String> refused = createSlot(basic, "staging", null);
        assertThat(refused.statusCode()).as(refused.body()).isEqualTo(409);
        assertThat(JSON.readTree(refused.body()).path("error").path("message").asString()).isEqualTo("Cannot "
                + "complete the operation because the site will exceed the number of slots allowed for the 'Basic' SKU.");
        assertThat(send("GET", slot(basic, "staging") + API, null).statusCode()).isEqualTo(404);

        String standard = unique("standard");
        createSite("rg1", standard, createPlan("rg1", "plan-standard-slots", "S1", 1), null);
        for (int i = 1; i <= 5; i++) {
            assertThat(createSlot(standard, "s" + i, null).statusCode()).isEqualTo(200);
        }
        HttpResponse<String> sixth = createSlot(standard, "s6", null);
        assertThat(sixth.statusCode()).as(sixth.body()).isEqualTo(409);
        assertThat(sixth.body()).contains("'Standard' SKU");
        assertThat(createSlot(standard, "s5", "\"httpsOnly\":true").statusCode()).as("an update is no new slot")
                .isEqualTo(200);
    }

    @Test
    void aSwapExchangesContentAndSettingsButTheStickyOnes() throws Exception {
        String app = unique("swap");
        createSite("rg1", app, createPlan("rg1", "plan-swap", "S1", 1), "\"siteConfig\":{\"appSettings\":["
                + "{\"name\":\"COLOR\",\"value\":\"blue\"},{\"name\":\"DB\",\"value\":\"prod-db\"}]}");
        createSlot(app, "staging", "\"siteConfig\":{\"appSettings\":[{\"name\":\"COLOR\",\"value\":\"green\"},"
                + "{\"name\":\"DB\",\"value\":\"test-db\"},{\"name\":\"NEW\",\"value\":\"feature\"}]}");
        send("PUT", site("rg1", app) + "/config/slotConfigNames" + API,
                "{\"properties\":{\"appSettingNames\":[\"DB\"]}}");
        zipDeploy("rg1", app, TestApps.staticSiteZip("version one"));
        zipDeployToSlot(app, "staging", TestApps.staticSiteZip("version two"));

        HttpResponse<String> swapped = send("POST", site("rg1", app) + "/slotsswap" + API,
                "{\"targetSlot\":\"staging\",\"preserveVnet\":true}");

        assertThat(swapped.statusCode()).as(swapped.body()).isEqualTo(200);
        assertThat(app(app, "/").body()).contains("version two");
        assertThat(app(app + "-staging", "/").body()).contains("version one");
        JsonNode production = settings(site("rg1", app));
        assertThat(production.path("COLOR").asString()).isEqualTo("green");
        assertThat(production.path("NEW").asString()).isEqualTo("feature");
        assertThat(production.path("DB").asString()).as("sticky").isEqualTo("prod-db");
        JsonNode staging = settings(slot(app, "staging"));
        assertThat(staging.path("COLOR").asString()).isEqualTo("blue");
        assertThat(staging.has("NEW")).isFalse();
        assertThat(staging.path("DB").asString()).as("sticky").isEqualTo("test-db");
        assertThat(events(site("rg1", app))).endsWith("Microsoft.Web.WebAppSlotsSwapped");

        HttpResponse<String> back = send("POST", slot(app, "staging") + "/slotsswap" + API,
                "{\"targetSlot\":\"production\"}");
        assertThat(back.statusCode()).as(back.body()).isEqualTo(200);
        assertThat(app(app, "/").body()).contains("version one");
        assertThat(app(app + "-staging", "/").body()).contains("version two");
        assertThat(settings(site("rg1", app)).path("COLOR").asString()).isEqualTo("blue");
        assertThat(settings(slot(app, "staging")).path("DB").asString()).isEqualTo("test-db");

        // the content of both stays on disk: a new deployment to the slot removes only what nothing serves
        zipDeployToSlot(app, "staging", TestApps.staticSiteZip("version three"));
        assertThat(app(app, "/").body()).contains("version one");
        assertThat(app(app + "-staging", "/").body()).contains("version three");
    }

    @Test
    void aSwapWithPreviewAppliesTheTargetsStickySettingsAndResetGivesThemBack() throws Exception {
        String app = unique("preview");
        createSite("rg1", app, createPlan("rg1", "plan-preview", "S1", 1), "\"siteConfig\":{\"appSettings\":["
                + "{\"name\":\"COLOR\",\"value\":\"blue\"},{\"name\":\"DB\",\"value\":\"prod-db\"}]}");
        createSlot(app, "staging", "\"siteConfig\":{\"appSettings\":[{\"name\":\"COLOR\",\"value\":\"green\"},"
                + "{\"name\":\"DB\",\"value\":\"test-db\"}]}");
        send("PUT", site("rg1", app) + "/config/slotConfigNames" + API,
                "{\"properties\":{\"appSettingNames\":[\"DB\"]}}");

        HttpResponse<String> applied = send("POST", slot(app, "staging") + "/applySlotConfig" + API,
                "{\"targetSlot\":\"production\"}");
        assertThat(applied.statusCode()).as(applied.body()).isEqualTo(200);
        assertThat(settings(slot(app, "staging")).path("DB").asString()).isEqualTo("prod-db");
        assertThat(settings(slot(app, "staging")).path("COLOR").asString()).isEqualTo("green");

        HttpResponse<String> reset = send("POST", slot(app, "staging") + "/resetSlotConfig" + API, null);
        assertThat(reset.statusCode()).as(reset.body()).isEqualTo(200);
        assertThat(settings(slot(app, "staging")).path("DB").asString()).isEqualTo("test-db");

        send("POST", slot(app, "staging") + "/applySlotConfig" + API, "{\"targetSlot\":\"production\"}");
        HttpResponse<String> completed = send("POST", slot(app, "staging") + "/slotsswap" + API,
                "{\"targetSlot\":\"production\"}");
        assertThat(completed.statusCode()).as(completed.body()).isEqualTo(200);
        assertThat(settings(site("rg1", app)).path("COLOR").asString()).isEqualTo("green");
        assertThat(settings(site("rg1", app)).path("DB").asString()).isEqualTo("prod-db");
        assertThat(settings(slot(app, "staging")).path("COLOR").asString()).isEqualTo("blue");
        assertThat(settings(slot(app, "staging")).path("DB").asString()).as("its own sticky value, not the preview's")
                .isEqualTo("test-db");
    }

    @Test
    void noRequestFailsDuringASwapUnderASteadyLoad() throws Exception {
        String app = unique("load");
        createSite("rg1", app, createPlan("rg1", "plan-load", "S1", 1),
                "\"siteConfig\":{\"appSettings\":[{\"name\":\"GREETING\",\"value\":\"v1\"}]}");
        createSlot(app, "staging", "\"siteConfig\":{\"appSettings\":[{\"name\":\"GREETING\",\"value\":\"v2\"}]}");
        assertThat(zipDeploy("rg1", app, TestApps.javaAppZip()).statusCode()).isEqualTo(200);
        assertThat(zipDeployToSlot(app, "staging", TestApps.javaAppZip()).statusCode()).isEqualTo(200);
        assertThat(app(app, "/").body()).contains("greeting=v1");

        AtomicBoolean running = new AtomicBoolean(true);
        AtomicInteger ok = new AtomicInteger();
        List<String> failures = new java.util.concurrent.CopyOnWriteArrayList<>();
        Set<String> greetings = ConcurrentHashMap.newKeySet();
        List<Thread> clients = new java.util.ArrayList<>();
        for (int c = 0; c < 4; c++) {
            clients.add(Thread.ofVirtual().start(() -> {
                while (running.get()) {
                    try {
                        HttpResponse<String> answer = app(app, "/");
                        if (answer.statusCode() == 200) {
                            ok.incrementAndGet();
                            greetings.add(answer.body().replaceAll(".*greeting=(\\S+).*", "$1"));
                        } else {
                            failures.add(answer.statusCode() + " " + answer.body());
                        }
                    } catch (Exception e) {
                        failures.add(e.toString());
                    }
                }
            }));
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> ok.get() >= 20);

        HttpResponse<String> swapped = send("POST", site("rg1", app) + "/slotsswap" + API,
                "{\"targetSlot\":\"staging\"}");

        assertThat(swapped.statusCode()).as(swapped.body()).isEqualTo(200);
        int atSwap = ok.get();
        await().atMost(Duration.ofSeconds(30)).until(() -> ok.get() >= atSwap + 20);
        running.set(false);
        for (Thread client : clients) {
            client.join();
        }
        assertThat(failures).as("failed requests during the swap").isEmpty();
        assertThat(greetings).containsExactlyInAnyOrder("v1", "v2");
        assertThat(app(app, "/").body()).contains("greeting=v2");
        assertThat(app(app + "-staging", "/").body()).contains("greeting=v1");
    }

    @Test
    void deletingTheAppDeletesItsSlotsAndFreesTheirHostNames() throws Exception {
        String app = unique("gone");
        createSite("rg1", app, createPlan("rg1", "plan-gone", "S1", 1), null);
        createSlot(app, "staging", null);
        zipDeployToSlot(app, "staging", TestApps.staticSiteZip("slot content"));
        assertThat(app(app + "-staging", "/").body()).contains("slot content");

        assertThat(send("DELETE", site("rg1", app) + API, null).statusCode()).isEqualTo(200);

        assertThat(send("GET", slot(app, "staging") + API, null).statusCode()).isEqualTo(404);
        assertThat(app(app + "-staging", "/").statusCode()).isEqualTo(404);
        assertThat(events(slot(app, "staging"))).endsWith("Microsoft.Web.WebAppSlotDeleted");
        HttpResponse<String> reuse = createSite("rg1", app + "-staging", plan("rg1", "plan-gone"), null);
        assertThat(reuse.statusCode()).as(reuse.body()).isEqualTo(200);
    }

    @Test
    void aSlotsHostNameIsTakenFromAppsAndAnAppsNameFromSlots() throws Exception {
        String app = unique("names");
        createSite("rg1", app, createPlan("rg1", "plan-names", "S1", 1), null);
        createSlot(app, "blue", null);
        HttpResponse<String> clash = createSite("rg1", app + "-blue", plan("rg1", "plan-names"), null);
        assertThat(clash.statusCode()).as(clash.body()).isEqualTo(409);
        createSite("rg1", app + "-green", plan("rg1", "plan-names"), null);
        HttpResponse<String> taken = createSlot(app, "green", null);
        assertThat(taken.statusCode()).as(taken.body()).isEqualTo(409);
        assertThat(send("GET", slot(app, "green") + API, null).statusCode()).isEqualTo(404);
    }
}
