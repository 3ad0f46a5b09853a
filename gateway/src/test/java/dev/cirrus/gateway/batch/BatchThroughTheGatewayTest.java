package dev.cirrus.gateway.batch;

import static dev.cirrus.gateway.support.Gateway.json;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.URLDecoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import dev.cirrus.gateway.identity.GatewayData;
import dev.cirrus.gateway.support.ChildService;
import dev.cirrus.gateway.support.FakeService;
import dev.cirrus.gateway.support.Gateway;
import dev.cirrus.gateway.support.RawHttp;
import dev.cirrus.gateway.support.TestDatabase;
import dev.cirrus.testkit.TestInfrastructure;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The Batch service API through the gateway, against the real compute-vm (its executable jar as a child process):
 * an account created through ARM, then called as Azure's clients call an account endpoint, by host
 * ({@code {account}.koreacentral.batch.localhost}) and by the path form ({@code /batch/{account}.koreacentral/…}),
 * signed with the account's Shared Key and without an ARM token.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class BatchThroughTheGatewayTest {

    static final String RG_V = "?api-version=2021-04-01";
    static final String BATCH_V = "api-version=2024-07-01.20.0";
    static final DateTimeFormatter RFC_1123 = DateTimeFormatter.RFC_1123_DATE_TIME.withZone(ZoneOffset.UTC);
    static final int computeVmPort = FakeService.freePort();
    static ChildService computeVm;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        TestDatabase.withoutKafka(registry, "gateway_batch");
        registry.add("cirrus.gateway.services.compute-vm", () -> "http://127.0.0.1:" + computeVmPort);
    }

    @BeforeAll
    static void startComputeVm() {
        TestInfrastructure.PostgresEndpoint pg = TestInfrastructure.postgres();
        computeVm = ChildService.start("compute-vm", computeVmPort,
                "--spring.datasource.url=" + pg.newDatabase("gw_batch_compute_vm"),
                "--spring.datasource.username=" + pg.username(), "--spring.datasource.password=" + pg.password(),
                "--cirrus.kafka.bootstrap-servers=", "--cirrus.batch.root=target/gw-batch-nodes");
    }

    @AfterAll
    static void stopComputeVm() {
        if (computeVm != null) {
            computeVm.close();
        }
    }

    @LocalServerPort
    int port;

    @Autowired
    GatewayData data;

    /** The Shared Key signature of a call, from Azure's description of the string to sign. */
    static String authorization(String account, String key, String method, String rawPath, String rawQuery,
                                Map<String, String> headers) {
        StringBuilder s = new StringBuilder(method).append("\n\n\n")
                .append(headers.getOrDefault("Content-Length", "")).append("\n\n")
                .append(headers.getOrDefault("Content-Type", "")).append("\n\n\n\n\n\n\n")
                .append("ocp-date:").append(headers.get("ocp-date")).append('\n')
                .append('/').append(account).append(rawPath);
        Map<String, String> query = new TreeMap<>();
        for (String pair : rawQuery.split("&")) {
            int eq = pair.indexOf('=');
            query.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8).toLowerCase(Locale.ROOT),
                    URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
        }
        query.forEach((k, v) -> s.append('\n').append(k).append(':').append(v));
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(Base64.getDecoder().decode(key), "HmacSHA256"));
            return "SharedKey " + account + ":"
                    + Base64.getEncoder().encodeToString(mac.doFinal(s.toString().getBytes(StandardCharsets.UTF_8)));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    RawHttp.Response call(String host, String account, String key, String method, String path, String body) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("ocp-date", RFC_1123.format(Instant.now()));
        Map<String, String> signed = new LinkedHashMap<>(headers);
        if (body != null) {
            signed.put("Content-Type", "application/json");
            signed.put("Content-Length", String.valueOf(body.getBytes(StandardCharsets.UTF_8).length));
        }
        headers.put("Authorization", authorization(account, key, method, path, BATCH_V, signed));
        return RawHttp.send(port, method, path + "?" + BATCH_V, host, headers, body);
    }

    @Test
    void anAccountsServiceApiAnswersByHostAndByPathWithItsSharedKeyAndWithoutAnArmToken() {
        Gateway arm = Gateway.admin(port, data);
        String sub = arm.newSubscription();
        assertThat(arm.put("/subscriptions/" + sub + "/resourcegroups/batch-rg" + RG_V, "{\"location\":\"koreacentral\"}")
                .statusCode()).isEqualTo(201);
        String name = "gw" + Long.toHexString(System.nanoTime()).substring(6);
        String account = "/subscriptions/" + sub + "/resourceGroups/batch-rg/providers/Microsoft.Batch/batchAccounts/"
                + name + "?api-version=2024-07-01";
        HttpResponse<String> created = arm.put(account, "{\"location\":\"koreacentral\"}");
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        assertThat(json(created).path("properties").path("accountEndpoint").asString())
                .isEqualTo(name + ".koreacentral.batch.localhost");
        String key = json(arm.send("POST", account.replace("?", "/listKeys?"), null)).path("primary").asString();

        String host = name + ".koreacentral.batch.localhost:" + port;
        RawHttp.Response added = call(host, name, key, "POST", "/pools",
                "{\"id\":\"bYhost\",\"vmSize\":\"Standard_D2s_v5\",\"targetDedicatedNodes\":0}");
        assertThat(added.status()).as(added.body()).isEqualTo(201);
        assertThat(added.headers().get("dataserviceid")).isEqualTo("http://" + host + "/pools/bYhost");

        String gateway = "127.0.0.1:" + port;
        String prefix = "/batch/" + name + ".koreacentral";
        RawHttp.Response byPath = call(gateway, name, key, "GET", prefix + "/pools/byhost", null);
        assertThat(byPath.status()).as(byPath.body()).isEqualTo(200);
        assertThat(Gateway.JSON.readTree(byPath.body()).path("url").asString())
                .isEqualTo("http://" + gateway + prefix + "/pools/bYhost");

        RawHttp.Response list = call(host, name, key, "GET", "/pools", null);
        assertThat(list.status()).isEqualTo(200);
        assertThat(Gateway.JSON.readTree(list.body()).path("value").get(0).path("id").asString()).isEqualTo("bYhost");

        // a signature over another path than the one sent is refused, whatever header a client adds
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("ocp-date", RFC_1123.format(Instant.now()));
        headers.put("Authorization", authorization(name, key, "GET", "/pools", BATCH_V, headers));
        headers.put("X-Cirrus-Batch-Path", "/pools");
        RawHttp.Response forged = RawHttp.send(port, "GET", prefix + "/pools?" + BATCH_V, gateway, headers, null);
        assertThat(forged.status()).isEqualTo(403);
        assertThat(Gateway.JSON.readTree(forged.body()).path("code").asString()).isEqualTo("AuthenticationFailed");

        RawHttp.Response unsigned = RawHttp.send(port, "GET", "/pools?" + BATCH_V, host, Map.of(), null);
        assertThat(unsigned.status()).isEqualTo(403);
        RawHttp.Response armByBatchHost = RawHttp.send(port, "GET", "/subscriptions/" + sub + "/resourcegroups" + RG_V,
                host, Map.of(), null);
        assertThat(armByBatchHost.status()).as("an account's host never reaches ARM").isEqualTo(404);
    }
}
