package dev.cirrus.gateway.throttling;

import static dev.cirrus.gateway.support.Gateway.errorCode;
import static dev.cirrus.gateway.support.Gateway.errorMessage;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

import dev.cirrus.gateway.identity.GatewayData;
import dev.cirrus.gateway.support.Gateway;
import dev.cirrus.gateway.support.MutableClock;
import dev.cirrus.gateway.support.TestDatabase;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Primary;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** ARM's token buckets per subscription × principal × operation class, with a clock the test moves. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class ThrottlingTest {

    static final String V = "?api-version=2021-04-01";

    @TestConfiguration
    static class Time {
        @Bean
        @Primary
        MutableClock testClock() {
            return new MutableClock(Instant.now());
        }
    }

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        TestDatabase.withoutKafka(registry, "gateway_throttle");
        registry.add("cirrus.gateway.throttling.reads.capacity", () -> "3");
        registry.add("cirrus.gateway.throttling.reads.refill-per-second", () -> "1");
        registry.add("cirrus.gateway.throttling.writes.capacity", () -> "100");
        registry.add("cirrus.gateway.throttling.functions.capacity", () -> "2");
        registry.add("cirrus.gateway.throttling.functions.refill-per-second", () -> "1");
        registry.add("cirrus.gateway.services.serverless", () -> serverless.url().toString());
    }

    static final dev.cirrus.gateway.support.FakeService serverless = dev.cirrus.gateway.support.FakeService.start();

    @org.junit.jupiter.api.AfterAll
    static void stopServerless() {
        serverless.close();
    }

    @LocalServerPort
    int port;

    @Autowired
    GatewayData data;

    @Autowired
    MutableClock clock;

    @Autowired
    Clock applicationClock;

    @Test
    void readsBeyondTheBucketAre429WithRetryAfterUntilATokenIsBack() {
        assertThat(applicationClock).isSameAs(clock);
        Gateway admin = Gateway.admin(port, data);
        String sub = admin.newSubscription();
        String groups = "/subscriptions/" + sub + "/resourcegroups" + V;

        for (int expectedRemaining = 2; expectedRemaining >= 0; expectedRemaining--) {
            HttpResponse<String> ok = admin.get(groups);
            assertThat(ok.statusCode()).isEqualTo(200);
            assertThat(ok.headers().firstValue("x-ms-ratelimit-remaining-subscription-reads"))
                    .hasValue(String.valueOf(expectedRemaining));
        }
        HttpResponse<String> throttled = admin.get(groups);
        assertThat(throttled.statusCode()).isEqualTo(429);
        assertThat(errorCode(throttled)).isEqualTo("TooManyRequests");
        assertThat(errorMessage(throttled)).contains("'read' requests for subscription '" + sub + "'");
        assertThat(throttled.headers().firstValue("Retry-After")).hasValue("1");
        assertThat(throttled.headers().firstValue("x-ms-ratelimit-remaining-subscription-reads")).hasValue("0");
        assertThat(throttled.headers().firstValue("x-ms-request-id")).isPresent();

        HttpResponse<String> write = admin.put("/subscriptions/" + sub + "/resourcegroups/w" + V,
                "{\"location\":\"westus\"}");
        assertThat(write.statusCode()).isEqualTo(201);
        assertThat(write.headers().firstValue("x-ms-ratelimit-remaining-subscription-writes")).hasValue("99");

        String other = admin.newSubscription();
        assertThat(admin.get("/subscriptions/" + other + "/resourcegroups" + V).statusCode()).isEqualTo(200);

        clock.advance(Duration.ofSeconds(1));
        HttpResponse<String> again = admin.get(groups);
        assertThat(again.statusCode()).isEqualTo(200);
        assertThat(again.headers().firstValue("x-ms-ratelimit-remaining-subscription-reads")).hasValue("0");
    }

    @Test
    void errorsCarryTheRemainingCountToo() {
        Gateway admin = Gateway.admin(port, data);
        String sub = admin.newSubscription();

        HttpResponse<String> missing = admin.get("/subscriptions/" + sub + "/resourcegroups/none" + V);

        assertThat(missing.statusCode()).isEqualTo(404);
        assertThat(missing.headers().firstValue("x-ms-ratelimit-remaining-subscription-reads")).hasValue("2");
    }

    @Test
    void callsToAFunctionAppBeyondItsBucketAre429AndOtherAppsAreUnaffected() {
        Gateway anonymous = new Gateway(port);
        String app = "/functions/busy-app/api/hit";

        assertThat(anonymous.get(app).statusCode()).isEqualTo(200);
        assertThat(anonymous.send("POST", app, "{}").statusCode()).isEqualTo(200);
        HttpResponse<String> throttled = anonymous.get(app);

        assertThat(throttled.statusCode()).isEqualTo(429);
        assertThat(errorCode(throttled)).isEqualTo("TooManyRequests");
        assertThat(errorMessage(throttled)).contains("'busy-app'");
        assertThat(throttled.headers().firstValue("Retry-After")).hasValue("1");
        assertThat(serverless.received()).hasSize(2);
        assertThat(anonymous.get("/functions/other-app/api/hit").statusCode()).isEqualTo(200);
        clock.advance(Duration.ofSeconds(1));
        assertThat(anonymous.get(app).statusCode()).isEqualTo(200);
    }
}
