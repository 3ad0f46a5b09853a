package dev.cirrus.appservice.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

import dev.cirrus.appservice.support.EndToEndTest;
import dev.cirrus.appservice.support.TestApps;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import tools.jackson.databind.JsonNode;

/**
 * Deployed code answering on the app's host: static content served by the front end, a Java jar run as one process
 * per plan instance with the app's settings in its environment and requests balanced across the instances (the
 * affinity cookie honoured), Kudu's deployment records, a missing runtime as a failed deployment, processes replaced
 * when they exit, following the plan's instance count, and ended when the site stops or is deleted.
 */
class ZipDeployEndToEndTest extends EndToEndTest {

    @Autowired
    JdbcTemplate jdbc;

    @Test
    void aStaticSiteDeployedByZipIsServedOnItsHost() throws Exception {
        String name = unique("static");
        createSite("rg1", name, createPlan("rg1", "plan-static", "B1", 1), null);
        assertThat(app(name, "/").body()).contains("waiting for your content");

        HttpResponse<String> deployed = zipDeploy("rg1", name, TestApps.staticSiteZip("hello static"));

        assertThat(deployed.statusCode()).as(deployed.body()).isEqualTo(200);
        assertThat(JSON.readTree(deployed.body()).path("status").asInt()).isEqualTo(4);
        HttpResponse<String> index = app(name, "/");
        assertThat(index.statusCode()).isEqualTo(200);
        assertThat(index.body()).contains("hello static");
        assertThat(index.headers().firstValue("Content-Type").orElse("")).startsWith("text/html");
        HttpResponse<String> css = app(name, "/css/site.css");
        assertThat(css.body()).contains("teal");
        assertThat(css.headers().firstValue("Content-Type").orElse("")).startsWith("text/css");
        assertThat(app(name, "/missing.html").statusCode()).isEqualTo(404);

        zipDeploy("rg1", name, TestApps.staticSiteZip("second version"));
        assertThat(app(name, "/").body()).contains("second version");
        JsonNode records = JSON.readTree(sendBytes("GET", "/api/deployments", null, "X-Forwarded-Host",
                name + ".scm.azurewebsites.localhost", "Authorization", basic("rg1", name)).body());
        assertThat(records).hasSize(2);
        assertThat(records.get(0).path("active").asBoolean()).isTrue();
        assertThat(records.get(1).path("active").asBoolean()).isFalse();
        assertThat(events(name)).endsWith("Microsoft.Web.WebAppDeployed", "Microsoft.Web.WebAppDeployed");
    }

    @Test
    void aJavaJarRunsOnEveryPlanInstanceWithTheAppSettingsAndRequestsAreBalancedAcrossThem() throws Exception {
        String name = unique("java");
        createSite("rg1", name, createPlan("rg1", "plan-java", "S1", 2), "\"siteConfig\":{\"appSettings\":"
                + "[{\"name\":\"GREETING\",\"value\":\"hej\"}],\"connectionStrings\":[{\"name\":\"db\","
                + "\"connectionString\":\"Server=db1\",\"type\":\"SQLAzure\"}]}");

        HttpResponse<String> deployed = zipDeploy("rg1", name, TestApps.javaAppZip());

        assertThat(deployed.statusCode()).as(deployed.body()).isEqualTo(200);
        Set<String> instances = new HashSet<>();
        for (int i = 0; i < 6; i++) {
            HttpResponse<String> answer = app(name, "/hello?x=1");
            assertThat(answer.statusCode()).isEqualTo(200);
            assertThat(answer.body()).contains("greeting=hej", "db=Server=db1", "path=/hello?x=1");
            instances.add(answer.body().substring(answer.body().indexOf("instance=") + 9,
                    answer.body().indexOf(" greeting")));
        }
        assertThat(instances).as("both instances answer").hasSize(2);

        HttpResponse<String> first = app(name, "/");
        String cookie = first.headers().firstValue("Set-Cookie").orElseThrow();
        assertThat(cookie).startsWith("ARRAffinity=");
        String affinity = cookie.substring("ARRAffinity=".length(), cookie.indexOf(';'));
        for (int i = 0; i < 4; i++) {
            assertThat(app(name, "/", "Cookie", "ARRAffinity=" + affinity).body()).contains("instance=" + affinity);
        }
    }

    @Test
    void anInstanceThatExitsIsReplacedAndThePlansInstanceCountIsFollowed() throws Exception {
        String name = unique("heal");
        String planId = createPlan("rg1", "plan-heal", "S1", 1);
        createSite("rg1", name, planId, null);
        assertThat(zipDeploy("rg1", name, TestApps.javaAppZip()).statusCode()).isEqualTo(200);
        String pid = app(name, "/pid").body();

        app(name, "/exit");

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            HttpResponse<String> again = app(name, "/pid");
            assertThat(again.statusCode()).isEqualTo(200);
            assertThat(again.body()).isNotEqualTo(pid);
        });
        assertThat(ProcessHandle.of(Long.parseLong(pid)).map(ProcessHandle::isAlive).orElse(false)).isFalse();

        send("PATCH", planId + API, "{\"sku\":{\"name\":\"S1\",\"capacity\":3}}");
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            Set<String> pids = new HashSet<>();
            for (int i = 0; i < 6; i++) {
                pids.add(app(name, "/pid").body());
            }
            assertThat(pids).hasSize(3);
        });
    }

    @Test
    void anInstanceFailingTheHealthCheckPathLeavesTheRotationAndIsReplaced() throws Exception {
        String name = unique("health");
        createSite("rg1", name, createPlan("rg1", "plan-health", "B1", 1), "\"siteConfig\":{\"healthCheckPath\":"
                + "\"/health\"}");
        zipDeploy("rg1", name, TestApps.javaAppZip());
        String pid = app(name, "/pid").body();
        java.nio.file.Path deployments = java.nio.file.Path.of("target", "site-content", name, "deployments");
        java.nio.file.Path content;
        try (var folders = java.nio.file.Files.list(deployments)) {
            content = folders.findFirst().orElseThrow();
        }

        java.nio.file.Files.writeString(content.resolve("unhealthy"), "yes");

        await().atMost(Duration.ofSeconds(30)).until(() -> {
            HttpResponse<String> answer = app(name, "/pid");
            return answer.statusCode() != 200 || !answer.body().equals(pid);
        });
        java.nio.file.Files.delete(content.resolve("unhealthy"));
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            HttpResponse<String> answer = app(name, "/pid");
            assertThat(answer.statusCode()).isEqualTo(200);
            assertThat(answer.body()).isNotEqualTo(pid);
        });
        assertThat(ProcessHandle.of(Long.parseLong(pid)).map(ProcessHandle::isAlive).orElse(false)).isFalse();
    }

    @Test
    void stoppingOrDeletingTheSiteEndsItsProcesses() throws Exception {
        String name = unique("stop");
        createSite("rg1", name, createPlan("rg1", "plan-stop", "B1", 1), null);
        zipDeploy("rg1", name, TestApps.javaAppZip());
        long pid = Long.parseLong(app(name, "/pid").body());

        send("POST", site("rg1", name) + "/stop" + API, null);

        await().atMost(Duration.ofSeconds(20)).until(() -> ProcessHandle.of(pid).map(p -> !p.isAlive()).orElse(true));
        HttpResponse<String> stopped = app(name, "/");
        assertThat(stopped.statusCode()).isEqualTo(403);
        assertThat(stopped.body()).contains("This web app is stopped");

        send("POST", site("rg1", name) + "/start" + API, null);
        await().atMost(Duration.ofSeconds(30)).until(() -> app(name, "/pid").statusCode() == 200);
        long restarted = Long.parseLong(app(name, "/pid").body());
        assertThat(restarted).isNotEqualTo(pid);

        assertThat(send("DELETE", site("rg1", name) + API, null).statusCode()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(20)).until(() -> ProcessHandle.of(restarted).map(p -> !p.isAlive())
                .orElse(true));
        assertThat(app(name, "/").statusCode()).isEqualTo(404);
    }

    @Test
    void aChangeOfAppSettingsRestartsTheProcessesWithTheNewEnvironment() throws Exception {
        String name = unique("env");
        createSite("rg1", name, createPlan("rg1", "plan-env", "B1", 1), null);
        zipDeploy("rg1", name, TestApps.javaAppZip());
        assertThat(app(name, "/").body()).contains("greeting=null");

        send("PUT", site("rg1", name) + "/config/appsettings" + API, "{\"properties\":{\"GREETING\":\"changed\"}}");

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                assertThat(app(name, "/").body()).contains("greeting=changed"));
    }

    @Test
    void aStackWhoseRuntimeIsMissingIsAFailedDeploymentAndTheOldContentKeepsServing() throws Exception {
        String name = unique("py");
        createSite("rg1", name, createPlan("rg1", "plan-py", "B1", 1), null);
        zipDeploy("rg1", name, TestApps.staticSiteZip("still here"));

        HttpResponse<String> failed = zipDeploy("rg1", name, TestApps.zip(Map.of("app.py",
                "print('hi')".getBytes())));

        assertThat(failed.statusCode()).as(failed.body()).isEqualTo(400);
        JsonNode error = JSON.readTree(failed.body()).path("error");
        assertThat(error.path("code").asString()).isEqualTo("DeploymentFailed");
        assertThat(error.path("message").asString()).contains("python", "not installed");
        JsonNode latest = JSON.readTree(sendBytes("GET", "/api/deployments/latest", null, "X-Forwarded-Host",
                name + ".scm.azurewebsites.localhost", "Authorization", basic("rg1", name)).body());
        assertThat(latest.path("status").asInt()).isEqualTo(3);
        assertThat(latest.path("message").asString()).contains("python");
        assertThat(app(name, "/").body()).contains("still here");
        assertThat(events(name)).endsWith("Microsoft.Web.WebAppDeployed", "Microsoft.Web.WebAppDeployed");
    }

    @Test
    void aJarThatExitsAtOnceFailsItsDeploymentWithItsOutput() throws Exception {
        String name = unique("crash");
        createSite("rg1", name, createPlan("rg1", "plan-crash", "B1", 1), null);

        HttpResponse<String> failed = zipDeploy("rg1", name, TestApps.zip(Map.of("app.jar",
                "not a jar".getBytes())));

        assertThat(failed.statusCode()).as(failed.body()).isEqualTo(400);
        assertThat(JSON.readTree(failed.body()).path("error").path("message").asString()).contains("exited");
        assertThat(app(name, "/").body()).contains("waiting for your content");
    }

    @Test
    void kuduRefusesWrongCredentialsAndCredentialsThePolicyDisallows() throws Exception {
        String name = unique("auth");
        createSite("rg1", name, createPlan("rg1", "plan-auth", "B1", 1), null);
        HttpResponse<String> wrong = sendBytes("POST", "/api/zipdeploy", TestApps.staticSiteZip("x"),
                "X-Forwarded-Host", name + ".scm.azurewebsites.localhost", "Authorization",
                "Basic " + java.util.Base64.getEncoder().encodeToString(("$" + name + ":nope").getBytes()));
        assertThat(wrong.statusCode()).isEqualTo(401);
        String credentials = basic("rg1", name);
        send("PUT", site("rg1", name) + "/basicPublishingCredentialsPolicies/scm" + API,
                "{\"properties\":{\"allow\":false}}");
        HttpResponse<String> disallowed = sendBytes("POST", "/api/zipdeploy", TestApps.staticSiteZip("x"),
                "X-Forwarded-Host", name + ".scm.azurewebsites.localhost", "Authorization", credentials);
        assertThat(disallowed.statusCode()).isEqualTo(401);
        assertThat(app(name, "/").body()).contains("waiting for your content");
    }

    @Test
    void aNodeAppRunsWithNodeOnItsEntryFile() throws Exception {
        String name = unique("node");
        createSite("rg1", name, createPlan("rg1", "plan-node", "B1", 1), "\"siteConfig\":{\"linuxFxVersion\":"
                + "\"NODE|20-lts\",\"appSettings\":[{\"name\":\"GREETING\",\"value\":\"from node\"}]}");
        byte[] zip = TestApps.zip(Map.of("package.json", "{\"name\":\"hello\",\"main\":\"hello.js\"}".getBytes(),
                "hello.js", ("require('http').createServer((req, res) => res.end('node says ' + process.env.GREETING))"
                        + ".listen(Number(process.env.PORT), '127.0.0.1');").getBytes()));

        HttpResponse<String> deployed = zipDeploy("rg1", name, zip);

        assertThat(deployed.statusCode()).as(deployed.body()).isEqualTo(200);
        assertThat(JSON.readTree(deployed.body()).path("stack").asString()).isEqualTo("node");
        assertThat(app(name, "/").body()).isEqualTo("node says from node");
    }

    @Test
    void theLogStreamShowsTheProcessesOutput() throws Exception {
        String name = unique("logs");
        createSite("rg1", name, createPlan("rg1", "plan-logs", "B1", 1), null);
        zipDeploy("rg1", name, TestApps.javaAppZip());

        java.net.http.HttpRequest request = java.net.http.HttpRequest.newBuilder(java.net.URI.create(
                        "http://127.0.0.1:" + port + "/api/logstream?seconds=5"))
                .header("X-Forwarded-Host", name + ".scm.azurewebsites.localhost")
                .header("Authorization", basic("rg1", name)).build();
        HttpResponse<String> stream = http.send(request, HttpResponse.BodyHandlers.ofString());

        assertThat(stream.statusCode()).isEqualTo(200);
        assertThat(stream.body()).contains("Connected to the log stream", "hello app listening on");
    }

    @Test
    void armsZipDeployFormDeploysTheBodysPackage() throws Exception {
        String name = unique("armzip");
        createSite("rg1", name, createPlan("rg1", "plan-arm", "B1", 1), null);

        HttpResponse<String> deployed = sendBytes("PUT", site("rg1", name) + "/extensions/onedeploy" + API,
                TestApps.staticSiteZip("by arm"), "Content-Type", "application/zip");

        assertThat(deployed.statusCode()).as(deployed.body()).isEqualTo(200);
        assertThat(app(name, "/").body()).contains("by arm");
    }

    private java.util.List<String> events(String siteName) {
        return jdbc.queryForList("select event_type from outbox where record_key = ? order by seq", String.class,
                site("rg1", siteName).toLowerCase());
    }
}
