package dev.cirrus.appservice.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;

import dev.cirrus.appservice.support.EndToEndTest;
import dev.cirrus.appservice.support.TestApps;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * The Free tier's daily CPU quota (5 CPU-seconds in the tests, {@code support/EndToEndTest}): a Java app on F1 that
 * burns it is stopped — its process ends, its host answers 403, ARM shows {@code state: QuotaExceeded} and
 * {@code usageState: Exceeded} until the next UTC midnight — while the same app on B1 has no quota.
 */
class CpuQuotaEndToEndTest extends EndToEndTest {

    @Test
    void anAppOnTheFreeTierThatUsesUpItsDailyCpuIsStoppedUntilTheNextUtcDay() throws Exception {
        String app = unique("quota");
        createSite("rg1", app, createPlan("rg1", "plan-free-quota", "F1", 1), null);
        assertThat(zipDeploy("rg1", app, TestApps.javaAppZip()).statusCode()).isEqualTo(200);
        long pid = Long.parseLong(app(app, "/pid").body());
        JsonNode before = JSON.readTree(send("GET", site("rg1", app) + API, null).body()).path("properties");
        assertThat(before.path("usageState").asString()).isEqualTo("Normal");

        // CPU time, not wall time: on a busy machine a second of burning may use less than a CPU-second
        await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(100)).until(() -> {
            app(app, "/burn?1000");
            return app(app, "/").statusCode() == 403;
        });
        assertThat(app(app, "/").body()).contains("This web app is stopped", "daily CPU quota");
        await().atMost(Duration.ofSeconds(15)).until(() -> ProcessHandle.of(pid).map(p -> !p.isAlive()).orElse(true));
        JsonNode after = JSON.readTree(send("GET", site("rg1", app) + API, null).body()).path("properties");
        assertThat(after.path("state").asString()).isEqualTo("QuotaExceeded");
        assertThat(after.path("usageState").asString()).isEqualTo("Exceeded");
        assertThat(Instant.parse(after.path("suspendedTill").asString())).isEqualTo(
                LocalDate.now(ZoneOffset.UTC).plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant());
        // a start does not lift it: the quota is the day's
        send("POST", site("rg1", app) + "/restart" + API, null);
        assertThat(app(app, "/").statusCode()).isEqualTo(403);
    }

    @Test
    void anAppOnBasicHasNoDailyCpuQuota() throws Exception {
        String app = unique("noquota");
        createSite("rg1", app, createPlan("rg1", "plan-basic-quota", "B1", 1), null);
        assertThat(zipDeploy("rg1", app, TestApps.javaAppZip()).statusCode()).isEqualTo(200);

        HttpResponse<String> burnt = app(app, "/burn?6000");

        assertThat(burnt.statusCode()).isEqualTo(200);
        await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(5)).until(() -> app(app, "/").statusCode()
                == 200);
        assertThat(JSON.readTree(send("GET", site("rg1", app) + API, null).body()).path("properties")
                .path("usageState").asString()).isEqualTo("Normal");
    }
}
