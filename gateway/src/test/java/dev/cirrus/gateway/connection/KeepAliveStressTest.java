package dev.cirrus.gateway.connection;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import dev.cirrus.gateway.identity.GatewayData;
import dev.cirrus.gateway.support.Gateway;
import dev.cirrus.gateway.support.TestDatabase;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The keep-alive stall (KeepAliveTest) under load, on ordinary (not pipelined) keep-alive connections of java.net.http: client threads
 * send a mix of in-memory answers, database-backed answers and errors while busy threads keep the CPU saturated; a
 * request without an answer within 5 s counts as a stall. Not part of the suite (tag "stress"): run it alone with
 * {@code mvn -B -q verify -pl gateway -Dtest=KeepAliveStressTest -Dgateway.test.excludedGroups=
 * -Dcirrus.stress.seconds=60}.
 */
@Tag("stress")
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = "logging.level.reactor.netty.http.server.HttpServerOperations=DEBUG")
class KeepAliveStressTest {

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        TestDatabase.withoutKafka(registry, "gateway_stress");
    }

    @LocalServerPort
    int port;

    @Autowired
    GatewayData data;

    @Test
    void keepAliveConnectionsUnderCpuLoadAnswerEveryRequest() throws Exception {
        Gateway admin = Gateway.admin(port, data);
        String sub = admin.newSubscription();
        admin.put("/subscriptions/" + sub + "/resourcegroups/stress-rg?api-version=2021-04-01",
                "{\"location\":\"westeurope\"}");
        String token = admin.token();
        List<String[]> calls = List.of(
                new String[] {"/subscriptions/" + sub + "/providers?api-version=2021-04-01", token},
                new String[] {"/subscriptions/" + sub + "/providers/Microsoft.Compute?api-version=2021-04-01", token},
                new String[] {"/actuator/health/readiness", null},
                new String[] {"/subscriptions/" + sub + "/resourcegroups/stress-rg?api-version=2021-04-01", token},
                new String[] {"/subscriptions/" + sub + "/resourcegroups/absent-rg/providers/Microsoft.Compute/"
                        + "virtualMachines/x?api-version=2024-07-01", token},
                new String[] {"/subscriptions/" + sub + "/providers/Microsoft.Nothing?api-version=2021-04-01", token},
                new String[] {"/actuator/health/liveness", null});
        long seconds = Long.getLong("cirrus.stress.seconds", 60);
        AtomicBoolean running = new AtomicBoolean(true);
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < 4; i++) { // CPU burners: the load average of a busy build machine
            threads.add(Thread.ofPlatform().daemon().start(() -> {
                long x = 0;
                while (running.get()) {
                    x += System.nanoTime() % 7;
                }
                if (x == 42) {
                    System.out.print("");
                }
            }));
        }
        AtomicLong requests = new AtomicLong();
        ConcurrentLinkedQueue<String> stalls = new ConcurrentLinkedQueue<>();
        for (int c = 0; c < 6; c++) {
            int client = c;
            threads.add(Thread.ofPlatform().start(() -> {
                HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
                for (int n = client; running.get(); n++) {
                    String[] call = calls.get(n % calls.size());
                    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
                            + call[0])).timeout(Duration.ofSeconds(5)).GET();
                    if (call[1] != null) {
                        request.header("Authorization", "Bearer " + call[1]);
                    }
                    try {
                        http.send(request.build(), HttpResponse.BodyHandlers.ofString());
                        requests.incrementAndGet();
                    } catch (HttpTimeoutException e) {
                        stalls.add(System.currentTimeMillis() + " client " + client + " GET " + call[0]
                                + " after " + calls.get((n - 1 + calls.size()) % calls.size())[0]);
                    } catch (Exception e) {
                        // a connection the server closed (error answers carry Connection: close) is not a stall
                    }
                }
            }));
        }
        Thread.sleep(Duration.ofSeconds(seconds)); // the length of the run, not a wait for a condition
        running.set(false);
        for (Thread t : threads) {
            t.join();
        }
        System.out.println("STRESS requests=" + requests.get() + " stalls=" + stalls.size());
        stalls.forEach(s -> System.out.println("STALL " + s));
        assertThat(stalls).isEmpty();
    }
}
