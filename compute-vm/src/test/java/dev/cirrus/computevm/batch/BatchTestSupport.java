package dev.cirrus.computevm.batch;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Base64;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import dev.cirrus.computevm.ComputeVmTestSupport;
import tools.jackson.databind.JsonNode;

/**
 * Batch accounts through ARM and calls of the Batch service API signed with the account's Shared Key, as a client
 * library signs them (written here from Azure's description of the string to sign, independently of the service's
 * own verifier).
 */
public abstract class BatchTestSupport extends ComputeVmTestSupport {

    public static final String BATCH_API = "api-version=2024-07-01.20.0";
    private static final DateTimeFormatter RFC_1123 = DateTimeFormatter.RFC_1123_DATE_TIME.withZone(ZoneOffset.UTC);

    protected final String sub = newSubscription();

    /** A created account: its name, region, ARM path and primary key. */
    protected record Account(String name, String region, String path, String key) {
        /** The path form's prefix: {@code /batch/{name}.{region}}. */
        public String prefix() {
            return "/batch/" + name + "." + region;
        }
    }

    public static String accountPath(String sub, String rg, String name) {
        return "/subscriptions/" + sub + "/resourceGroups/" + rg + "/providers/Microsoft.Batch/batchAccounts/" + name;
    }

    /** A new account in West Europe with a unique name. */
    protected Account newAccount() {
        String name = "acct" + Long.toHexString(System.nanoTime()).substring(4);
        String path = accountPath(sub, "batch-rg", name);
        HttpResponse<String> created = put(path, "{\"location\":\"westeurope\"}");
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        HttpResponse<String> keys = send("POST", withApi(path + "/listKeys"), null);
        assertThat(keys.statusCode()).as(keys.body()).isEqualTo(200);
        return new Account(name, "westeurope", path, json(keys).path("primary").stringValue());
    }

    /** A data-plane call signed with the account's key; {@code pathAndQuery} is after the account's prefix. */
    protected HttpResponse<String> batch(Account account, String method, String pathAndQuery, String body) {
        return signed(account.name(), account.key(), method, account.prefix() + withBatchApi(pathAndQuery), body,
                Instant.now());
    }

    protected HttpResponse<String> signed(String accountName, String key, String method, String pathAndQuery,
                                          String body, Instant date) {
        URI uri = URI.create(url(pathAndQuery));
        String contentType = body == null ? "" : "application/json; odata=minimalmetadata; charset=utf-8";
        String length = body == null ? "" : String.valueOf(body.getBytes(StandardCharsets.UTF_8).length);
        String ocpDate = RFC_1123.format(date);
        StringBuilder toSign = new StringBuilder(method).append('\n')
                .append('\n').append('\n').append(length).append('\n').append('\n').append(contentType).append('\n')
                .append('\n').append('\n').append('\n').append('\n').append('\n').append('\n')
                .append("ocp-date:").append(ocpDate).append('\n')
                .append('/').append(accountName.toLowerCase(Locale.ROOT)).append(uri.getRawPath());
        Map<String, String> query = new TreeMap<>();
        if (uri.getRawQuery() != null) {
            for (String pair : uri.getRawQuery().split("&")) {
                int eq = pair.indexOf('=');
                query.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8).toLowerCase(Locale.ROOT),
                        URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
            }
        }
        query.forEach((k, v) -> toSign.append('\n').append(k).append(':').append(v));
        String signature;
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(Base64.getDecoder().decode(key), "HmacSHA256"));
            signature = Base64.getEncoder().encodeToString(mac.doFinal(toSign.toString().getBytes(StandardCharsets.UTF_8)));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        HttpRequest.Builder b = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
                .header("ocp-date", ocpDate)
                .header("Authorization", "SharedKey " + accountName + ":" + signature);
        if (body != null) {
            b.header("Content-Type", contentType);
        }
        try {
            return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
        } catch (Exception e) {
            throw new IllegalStateException(method + " " + pathAndQuery + " failed", e);
        }
    }

    protected static String withBatchApi(String pathAndQuery) {
        return pathAndQuery.contains("api-version=") ? pathAndQuery
                : pathAndQuery + (pathAndQuery.contains("?") ? "&" : "?") + BATCH_API;
    }

    protected JsonNode batchJson(Account account, String pathAndQuery) {
        HttpResponse<String> r = batch(account, "GET", pathAndQuery, null);
        assertThat(r.statusCode()).as(pathAndQuery + ": " + r.body()).isEqualTo(200);
        return json(r);
    }

    /** Adds a pool of {@code nodes} dedicated nodes; returns its id. */
    protected String addPool(Account account, String id, int nodes, String extra) {
        HttpResponse<String> r = batch(account, "POST", "/pools", """
                {"id": "%s", "vmSize": "Standard_D2s_v5",
                 "virtualMachineConfiguration": {"imageReference": {"publisher": "canonical",
                   "offer": "0001-com-ubuntu-server-jammy", "sku": "22_04-lts"},
                   "nodeAgentSKUId": "batch.node.ubuntu 22.04"},
                 "targetDedicatedNodes": %d%s}
                """.formatted(id, nodes, extra == null ? "" : ", " + extra));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
        return id;
    }

    protected JsonNode pool(Account account, String id) {
        return batchJson(account, "/pools/" + id);
    }
}
