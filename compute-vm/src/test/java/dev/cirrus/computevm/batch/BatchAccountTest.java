package dev.cirrus.computevm.batch;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.Base64;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** Microsoft.Batch/batchAccounts through ARM, and its keys as the data plane sees them. */
class BatchAccountTest extends BatchTestSupport {

    @Test
    void anAccountIsCreatedWithItsEndpointQuotasAndTwoRandomKeysAndDeletedWithEverythingInIt() {
        String path = accountPath(sub, "Batch-RG", "render01");
        HttpResponse<String> created = put(path, "{\"location\":\"West Europe\",\"tags\":{\"team\":\"vfx\"}}");
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        JsonNode account = json(created);
        assertThat(account.path("id").stringValue()).isEqualTo(path);
        assertThat(account.path("type").stringValue()).isEqualTo("Microsoft.Batch/batchAccounts");
        assertThat(account.path("location").stringValue()).isEqualTo("westeurope");
        JsonNode p = account.path("properties");
        assertThat(p.path("accountEndpoint").stringValue()).isEqualTo("render01.westeurope.batch.localhost");
        assertThat(p.path("provisioningState").stringValue()).isEqualTo("Succeeded");
        assertThat(p.path("poolAllocationMode").stringValue()).isEqualTo("BatchService");
        assertThat(p.path("dedicatedCoreQuota").intValue()).isEqualTo(500);
        assertThat(p.path("lowPriorityCoreQuota").intValue()).isEqualTo(500);
        assertThat(p.path("poolQuota").intValue()).isEqualTo(100);
        assertThat(p.path("activeJobAndJobScheduleQuota").intValue()).isEqualTo(300);
        assertThat(p.path("dedicatedCoreQuotaPerVMFamily").findValuesAsString("name")).contains("standardDSv5Family");
        assertThat(p.path("allowedAuthenticationModes").valueStream().map(JsonNode::stringValue))
                .containsExactly("SharedKey", "AAD", "TaskAuthenticationToken");
        assertThat(created.body()).doesNotContain("primary");

        HttpResponse<String> keys = send("POST", withApi(path + "/listKeys"), null);
        assertThat(keys.statusCode()).isEqualTo(200);
        String primary = json(keys).path("primary").stringValue();
        String secondary = json(keys).path("secondary").stringValue();
        assertThat(json(keys).path("accountName").stringValue()).isEqualTo("render01");
        assertThat(Base64.getDecoder().decode(primary)).hasSize(64);
        assertThat(primary).hasSize(88).isNotEqualTo(secondary);

        HttpResponse<String> again = put(path, "{\"location\":\"westeurope\",\"tags\":{\"team\":\"audio\"}}");
        assertThat(again.statusCode()).isEqualTo(200);
        assertThat(json(again).path("tags").path("team").stringValue()).isEqualTo("audio");
        assertThat(json(send("POST", withApi(path + "/listKeys"), null)).path("primary").stringValue())
                .as("a PUT keeps the keys").isEqualTo(primary);

        HttpResponse<String> patched = send("PATCH", withApi(path),
                "{\"properties\":{\"allowedAuthenticationModes\":[\"SharedKey\"]}}");
        assertThat(patched.statusCode()).as(patched.body()).isEqualTo(200);
        assertThat(json(patched).path("properties").path("allowedAuthenticationModes").size()).isEqualTo(1);
        assertThat(json(patched).path("tags").path("team").stringValue()).isEqualTo("audio");

        assertThat(json(get("/subscriptions/" + sub + "/providers/Microsoft.Batch/batchAccounts")).path("value")
                .valueStream().map(v -> v.path("name").asString()).toList()).containsExactly("render01");
        assertThat(json(get("/subscriptions/" + sub + "/resourceGroups/batch-rg/providers/Microsoft.Batch/batchAccounts"))
                .path("value").size()).isEqualTo(1);

        Account a = new Account("render01", "westeurope", path, primary);
        addPool(a, "p1", 1, null);
        assertThat(delete(path).statusCode()).isEqualTo(200);
        assertThat(get(path).statusCode()).isEqualTo(404);
        assertThat(delete(path).statusCode()).isEqualTo(204);
        assertThat(count("select count(*) from batch_pools where account_key = ?", path.toLowerCase()))
                .isZero();
        assertThat(count("select count(*) from batch_nodes where account_key = ?", path.toLowerCase())).isZero();
    }

    @Test
    void aRegeneratedKeyReplacesTheOldOneForTheDataPlane() {
        Account a = newAccount();
        assertThat(batch(a, "GET", "/pools", null).statusCode()).isEqualTo(200);
        HttpResponse<String> regenerated = send("POST", withApi(a.path() + "/regenerateKeys"), "{\"keyName\":\"Primary\"}");
        assertThat(regenerated.statusCode()).as(regenerated.body()).isEqualTo(200);
        String newKey = json(regenerated).path("primary").stringValue();
        assertThat(newKey).isNotEqualTo(a.key());

        HttpResponse<String> old = batch(a, "GET", "/pools", null);
        assertThat(old.statusCode()).isEqualTo(403);
        assertThat(json(old).path("code").stringValue()).isEqualTo("AuthenticationFailed");
        assertThat(json(old).path("message").path("lang").stringValue()).isEqualTo("en-US");
        assertThat(json(old).path("odata.metadata").stringValue()).endsWith(
                "/$metadata#Microsoft.Azure.Batch.Protocol.Entities.Container.errors/@Element");
        assertThat(json(old).path("values").get(0).path("key").stringValue()).isEqualTo("AuthenticationErrorDetail");

        Account renewed = new Account(a.name(), a.region(), a.path(), newKey);
        assertThat(batch(renewed, "GET", "/pools", null).statusCode()).isEqualTo(200);
        String secondary = json(regenerated).path("secondary").stringValue();
        assertThat(batch(new Account(a.name(), a.region(), a.path(), secondary), "GET", "/pools", null).statusCode())
                .as("the secondary key signs too").isEqualTo(200);
    }

    @Test
    void aSignatureOlderThanFifteenMinutesIsRefused() {
        Account a = newAccount();
        HttpResponse<String> stale = signed(a.name(), a.key(), "GET", a.prefix() + withBatchApi("/pools"), null,
                Instant.now().minusSeconds(16 * 60));
        assertThat(stale.statusCode()).isEqualTo(403);
        assertThat(json(stale).path("code").stringValue()).isEqualTo("AuthenticationFailed");
        HttpResponse<String> fresh = signed(a.name(), a.key(), "GET", a.prefix() + withBatchApi("/pools"), null,
                Instant.now().minusSeconds(60));
        assertThat(fresh.statusCode()).isEqualTo(200);
    }

    @Test
    void anAccountNameIsUniqueWithinARegion() {
        String first = accountPath(sub, "rg1", "shared01");
        assertThat(put(first, "{\"location\":\"westeurope\"}").statusCode()).isEqualTo(201);
        HttpResponse<String> clash = put(accountPath(newSubscription(), "rg2", "shared01"), "{\"location\":\"westeurope\"}");
        assertThat(clash.statusCode()).isEqualTo(409);
        assertThat(json(clash).path("error").path("code").stringValue()).isEqualTo("AccountNameAlreadyExists");
        assertThat(put(accountPath(newSubscription(), "rg2", "shared01"), "{\"location\":\"eastus\"}").statusCode())
                .isEqualTo(201);
    }
}
