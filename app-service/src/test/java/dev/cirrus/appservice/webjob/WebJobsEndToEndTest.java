package dev.cirrus.appservice.webjob;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.cirrus.appservice.site.SiteRepository;
import dev.cirrus.appservice.support.EndToEndTest;
import dev.cirrus.appservice.support.TestApps;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import tools.jackson.databind.JsonNode;

/**
 * WebJobs from the deployed {@code App_Data/jobs/…} layout, run as real {@code sh} processes with the app's settings:
 * triggered ones on demand (Kudu's and ARM's run) and on an NCRONTAB schedule, with their history and output;
 * continuous ones restarted when they exit, one per instance or a singleton, stopped and started through the API.
 */
class WebJobsEndToEndTest extends EndToEndTest {

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    WebJobs webJobs;

    @Autowired
    SiteRepository siteRepository;

    private static byte[] content(Map<String, String> jobs) {
        Map<String, byte[]> files = new LinkedHashMap<>();
        files.put("index.html", "<html><body>jobs</body></html>".getBytes(StandardCharsets.UTF_8));
        jobs.forEach((path, text) -> files.put(path, text.getBytes(StandardCharsets.UTF_8)));
        return TestApps.zip(files);
    }

    private HttpResponse<String> kudu(String method, String app, String path, String body) throws Exception {
        byte[] bytes = body == null ? null : body.getBytes(StandardCharsets.UTF_8);
        return sendBytes(method, path, bytes, "X-Forwarded-Host", app + ".scm.azurewebsites.localhost",
                "Authorization", basic("rg1", app), "Content-Type", "application/json");
    }

    private JsonNode history(String app, String job) throws Exception {
        return JSON.readTree(kudu("GET", app, "/api/triggeredwebjobs/" + job + "/history", null).body())
                .path("runs");
    }

    @Test
    void aTriggeredJobRunsOnDemandWithTheAppSettingsAndKeepsItsHistoryAndOutput() throws Exception {
        String app = unique("jobs");
        createSite("rg1", app, createPlan("rg1", "plan-jobs", "B1", 1),
                "\"siteConfig\":{\"appSettings\":[{\"name\":\"GREETING\",\"value\":\"hej\"}]}");
        assertThat(zipDeploy("rg1", app, content(Map.of(
                "App_Data/jobs/triggered/hello/run.sh", "echo \"hello from $WEBJOBS_NAME greeting=$GREETING\"\n",
                "App_Data/jobs/triggered/failing/run.sh", "echo broken\nexit 3\n",
                "App_Data/jobs/triggered/empty/readme.txt", "nothing to run"))).statusCode()).isEqualTo(200);

        JsonNode listed = JSON.readTree(kudu("GET", app, "/api/triggeredwebjobs", null).body());
        assertThat(listed).extracting(j -> j.path("name").asString()).containsExactly("empty", "failing", "hello");
        assertThat(listed.get(0).path("error").asString()).contains("No runnable script");
        assertThat(listed.get(2).path("run_command").asString()).isEqualTo("run.sh");

        HttpResponse<String> started = kudu("POST", app, "/api/triggeredwebjobs/hello/run", null);

        assertThat(started.statusCode()).as(started.body()).isEqualTo(202);
        assertThat(started.headers().firstValue("Location").orElseThrow()).contains("/api/triggeredwebjobs/hello/"
                + "history/");
        await().atMost(Duration.ofSeconds(20)).until(() -> history(app, "hello").path(0).path("status").asString()
                .equals("Success"));
        JsonNode run = history(app, "hello").get(0);
        assertThat(run.path("trigger").asString()).isEqualTo("External - Kudu API");
        assertThat(run.path("end_time").asString()).isNotBlank();
        String output = kudu("GET", app, "/api/triggeredwebjobs/hello/history/" + run.path("id").asString()
                + "/output", null).body();
        assertThat(output).contains("hello from hello greeting=hej");

        HttpResponse<String> armRun = send("POST", site("rg1", app) + "/triggeredwebjobs/failing/run" + API, null);
        assertThat(armRun.statusCode()).as(armRun.body()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(20)).until(() -> history(app, "failing").path(0).path("status").asString()
                .equals("Failed"));
        JsonNode armHistory = JSON.readTree(send("GET", site("rg1", app) + "/triggeredwebjobs/failing/history" + API,
                null).body()).path("value");
        assertThat(armHistory.get(0).path("properties").path("runs").get(0).path("exit_code").asInt()).isEqualTo(3);
        assertThat(armHistory.get(0).path("type").asString()).isEqualTo("Microsoft.Web/sites/triggeredwebjobs/history");
        JsonNode armJob = JSON.readTree(send("GET", site("rg1", app) + "/triggeredwebjobs/hello" + API, null).body());
        assertThat(armJob.path("name").asString()).isEqualTo(app + "/hello");
        assertThat(armJob.path("properties").path("web_job_type").asString()).isEqualTo("Triggered");
        assertThat(armJob.path("properties").path("latest_run").path("status").asString()).isEqualTo("Success");

        assertThat(kudu("POST", app, "/api/triggeredwebjobs/empty/run", null).statusCode()).isEqualTo(409);
        assertThat(kudu("POST", app, "/api/triggeredwebjobs/absent/run", null).statusCode()).isEqualTo(404);
        assertThat(jdbc.queryForList("select event_type from outbox where record_key = ? order by seq", String.class,
                (site("rg1", app) + "/triggeredwebjobs/hello").toLowerCase())).containsExactly(
                "Microsoft.Web.WebJobRunStarted", "Microsoft.Web.WebJobRunCompleted");
    }

    @Test
    void aTriggeredJobRunsOnItsNcrontabSchedule() throws Exception {
        String app = unique("cron");
        createSite("rg1", app, createPlan("rg1", "plan-cron", "B1", 1), null);
        zipDeploy("rg1", app, content(Map.of(
                "App_Data/jobs/triggered/tick/run.sh", "echo tick\n",
                "App_Data/jobs/triggered/tick/settings.job", "{\"schedule\": \"*/2 * * * * *\"}")));

        await().atMost(Duration.ofSeconds(30)).until(() -> history(app, "tick").size() >= 2);

        JsonNode runs = history(app, "tick");
        assertThat(runs.get(0).path("trigger").asString()).isEqualTo("Schedule - */2 * * * * *");
        JsonNode job = JSON.readTree(kudu("GET", app, "/api/triggeredwebjobs/tick", null).body());
        assertThat(job.path("settings").path("schedule").asString()).isEqualTo("*/2 * * * * *");

        HttpResponse<String> bad = kudu("PUT", app, "/api/triggeredwebjobs/tick/settings",
                "{\"schedule\":\"every two seconds\"}");
        assertThat(bad.statusCode()).as(bad.body()).isEqualTo(400);
        assertThat(JSON.readTree(bad.body()).path("error").path("message").asString())
                .contains("was not recognized as a valid cron expression");
        assertThat(JSON.readTree(kudu("GET", app, "/api/triggeredwebjobs/tick", null).body()).path("settings")
                .path("schedule").asString()).as("unchanged").isEqualTo("*/2 * * * * *");

        HttpResponse<String> off = kudu("PUT", app, "/api/triggeredwebjobs/tick/settings", "{\"schedule\":null}");
        assertThat(off.statusCode()).as(off.body()).isEqualTo(200);
    }

    @Test
    void aDeployedJobWithAScheduleThatIsNotNcrontabShowsItsErrorAndNeverRuns() throws Exception {
        String app = unique("badcron");
        createSite("rg1", app, createPlan("rg1", "plan-badcron", "B1", 1), null);
        zipDeploy("rg1", app, content(Map.of(
                "App_Data/jobs/triggered/tick/run.sh", "echo tick\n",
                "App_Data/jobs/triggered/tick/settings.job", "{\"schedule\": \"*/2 * * * *\"}")));

        JsonNode job = JSON.readTree(kudu("GET", app, "/api/triggeredwebjobs/tick", null).body());

        assertThat(job.path("error").asString()).contains("was not recognized as a valid cron expression",
                "NCRONTAB has 6");
        assertThat(history(app, "tick")).isEmpty();
    }

    @Test
    void aContinuousJobRunsOnEveryInstanceIsRestartedWhenItExitsAndStopsWhenAsked() throws Exception {
        String app = unique("worker");
        createSite("rg1", app, createPlan("rg1", "plan-worker", "S1", 2), null);
        zipDeploy("rg1", app, content(Map.of(
                "App_Data/jobs/continuous/worker/run.sh", "echo started\nexec sleep 600\n",
                "App_Data/jobs/continuous/single/run.sh", "echo started\nexec sleep 600\n",
                "App_Data/jobs/continuous/single/settings.job", "{\"is_singleton\": true}")));
        var site = siteRepository.findByName(app).orElseThrow();

        await().atMost(Duration.ofSeconds(20)).until(() -> webJobs.continuousPids(site, "worker").size() == 2
                && webJobs.continuousPids(site, "single").size() == 1);
        JsonNode worker = JSON.readTree(kudu("GET", app, "/api/continuouswebjobs/worker", null).body());
        assertThat(worker.path("status").asString()).isEqualTo("Running");
        assertThat(JSON.readTree(send("GET", site("rg1", app) + "/continuouswebjobs" + API, null).body())
                .path("value")).hasSize(2);

        List<Long> before = webJobs.continuousPids(site, "single");
        ProcessHandle.of(before.getFirst()).orElseThrow().destroyForcibly();
        await().atMost(Duration.ofSeconds(20)).until(() -> webJobs.continuousPids(site, "single").size() == 1
                && !webJobs.continuousPids(site, "single").equals(before));

        assertThat(kudu("POST", app, "/api/continuouswebjobs/worker/stop", null).statusCode()).isEqualTo(200);
        List<Long> stopped = before;
        await().atMost(Duration.ofSeconds(10)).until(() -> webJobs.continuousPids(site, "worker").isEmpty());
        assertThat(stopped).allMatch(pid -> ProcessHandle.of(pid).map(p -> !p.isAlive()).orElse(true));
        assertThat(JSON.readTree(kudu("GET", app, "/api/continuouswebjobs/worker", null).body()).path("status")
                .asString()).isEqualTo("Stopped");

        assertThat(send("POST", site("rg1", app) + "/continuouswebjobs/worker/start" + API, null).statusCode())
                .isEqualTo(200);
        await().atMost(Duration.ofSeconds(20)).until(() -> webJobs.continuousPids(site, "worker").size() == 2);

        List<Long> all = new java.util.ArrayList<>(webJobs.continuousPids(site, "worker"));
        all.addAll(webJobs.continuousPids(site, "single"));
        assertThat(send("POST", site("rg1", app) + "/stop" + API, null).statusCode()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(20)).until(() -> all.stream()
                .allMatch(pid -> ProcessHandle.of(pid).map(p -> !p.isAlive()).orElse(true)));
    }
}
