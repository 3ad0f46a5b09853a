package dev.cirrus.serverless.storage;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.UUID;

import dev.cirrus.serverless.support.EndToEndTest;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import tools.jackson.databind.JsonNode;

/** Storage accounts over HTTP against the real service and database: Azure's shapes, name rules, keys and events. */
class StorageAccountsEndToEndTest extends EndToEndTest {

    static final String V = "?api-version=2025-01-01";
    static final String BODY = "{\"location\":\"West Europe\",\"sku\":{\"name\":\"Standard_LRS\"},\"kind\":\"StorageV2\","
            + "\"tags\":{\"env\":\"test\"}}";

    @Autowired
    JdbcTemplate jdbc;

    String account(String sub, String rg, String name) {
        return "/subscriptions/" + sub + "/resourceGroups/" + rg + "/providers/Microsoft.Storage/storageAccounts/" + name;
    }

    static String uniqueName() {
        return "st" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
    }

    JsonNode created(String sub, String rg, String name) throws Exception {
        HttpResponse<String> put = send("PUT", account(sub, rg, name) + V, BODY);
        assertThat(put.statusCode()).as(put.body()).isEqualTo(200);
        return JSON.readTree(put.body());
    }

    int events(String type, String name) {
        return jdbc.queryForObject("select count(*) from outbox where topic = 'cirrus.serverless' and event_type = ?"
                + " and payload like ?", Integer.class, type, "%storageAccounts/" + name + "%");
    }

    @Test
    void aCreatedAccountHasAzuresShapeWithAzuritesEndpointsAndIsPublished() throws Exception {
        String name = uniqueName();

        JsonNode account = created(sub, "rg1", name);

        assertThat(account.path("id").asString()).isEqualTo(account(sub, "rg1", name));
        assertThat(account.path("type").asString()).isEqualTo("Microsoft.Storage/storageAccounts");
        assertThat(account.path("location").asString()).isEqualTo("westeurope");
        assertThat(account.path("kind").asString()).isEqualTo("StorageV2");
        assertThat(account.path("sku").path("name").asString()).isEqualTo("Standard_LRS");
        assertThat(account.path("sku").path("tier").asString()).isEqualTo("Standard");
        assertThat(account.path("tags").path("env").asString()).isEqualTo("test");
        JsonNode props = account.path("properties");
        assertThat(props.path("provisioningState").asString()).isEqualTo("Succeeded");
        assertThat(props.path("accessTier").asString()).isEqualTo("Hot");
        assertThat(props.path("primaryEndpoints").path("blob").asString()).isEqualTo("http://127.0.0.1:10000/" + name + "/");
        assertThat(props.path("primaryEndpoints").path("queue").asString()).isEqualTo("http://127.0.0.1:10001/" + name + "/");
        assertThat(props.path("primaryEndpoints").path("table").asString()).isEqualTo("http://127.0.0.1:10002/" + name + "/");
        assertThat(JSON.readTree(send("GET", account(sub, "rg1", name) + V, null).body())).isEqualTo(account);
        assertThat(events("Microsoft.Storage.StorageAccountCreated", name)).isEqualTo(1);
    }

    @Test
    void namesAreGlobalAcrossSubscriptionsAndGroups() throws Exception {
        String name = uniqueName();
        created(sub, "rg1", name);

        HttpResponse<String> elsewhere = send("PUT", account(UUID.randomUUID().toString(), "rg1", name) + V, BODY);
        assertThat(elsewhere.statusCode()).isEqualTo(409);
        assertThat(JSON.readTree(elsewhere.body()).path("error").path("code").asString())
                .isEqualTo("StorageAccountAlreadyTaken");

        HttpResponse<String> otherGroup = send("PUT", account(sub, "rg2", name) + V, BODY);
        assertThat(otherGroup.statusCode()).isEqualTo(409);
        assertThat(JSON.readTree(otherGroup.body()).path("error").path("code").asString())
                .isEqualTo("StorageAccountInAnotherResourceGroup");

        HttpResponse<String> again = send("PUT", account(sub, "rg1", name) + V, BODY);
        assertThat(again.statusCode()).as("the same account again is an update").isEqualTo(200);
        assertThat(events("Microsoft.Storage.StorageAccountUpdated", name)).as("nothing changed").isZero();
    }

    @Test
    void anInvalidNameIsAccountNameInvalid() throws Exception {
        for (String bad : List.of("ab", "UpperCase1", "has-hyphen", "a".repeat(25))) {
            HttpResponse<String> put = send("PUT", account(sub, "rg1", bad) + V, BODY);
            assertThat(put.statusCode()).as(bad).isEqualTo(400);
            assertThat(JSON.readTree(put.body()).path("error").path("code").asString()).isEqualTo("AccountNameInvalid");
        }
    }

    @Test
    void checkNameAvailabilityTellsInvalidTakenAndFreeNames() throws Exception {
        String name = uniqueName();
        created(sub, "rg1", name);
        String check = "/subscriptions/" + UUID.randomUUID() + "/providers/Microsoft.Storage/checkNameAvailability" + V;

        JsonNode taken = JSON.readTree(send("POST", check, "{\"name\":\"" + name
                + "\",\"type\":\"Microsoft.Storage/storageAccounts\"}").body());
        assertThat(taken.path("nameAvailable").asBoolean()).isFalse();
        assertThat(taken.path("reason").asString()).isEqualTo("AlreadyExists");
        assertThat(taken.path("message").asString()).contains(name);

        JsonNode invalid = JSON.readTree(send("POST", check, "{\"name\":\"No-Such_Name\"}").body());
        assertThat(invalid.path("nameAvailable").asBoolean()).isFalse();
        assertThat(invalid.path("reason").asString()).isEqualTo("AccountNameInvalid");

        JsonNode free = JSON.readTree(send("POST", check, "{\"name\":\"" + uniqueName() + "\"}").body());
        assertThat(free.path("nameAvailable").asBoolean()).isTrue();
        assertThat(free.has("reason")).isFalse();
    }

    @Test
    void keysAreTwoRandomSixtyFourByteKeysAndRegeneratingOneChangesOnlyIt() throws Exception {
        String name = uniqueName();
        created(sub, "rg1", name);

        JsonNode keys = JSON.readTree(send("POST", account(sub, "rg1", name) + "/listKeys" + V, null).body()).path("keys");
        assertThat(keys).extracting(k -> k.path("keyName").asString()).containsExactly("key1", "key2");
        assertThat(keys).extracting(k -> k.path("permissions").asString()).containsOnly("FULL");
        String key1 = keys.get(0).path("value").asString();
        String key2 = keys.get(1).path("value").asString();
        assertThat(Base64.getDecoder().decode(key1)).hasSize(64);
        assertThat(Base64.getDecoder().decode(key2)).hasSize(64);
        assertThat(key1).isNotEqualTo(key2);

        HttpResponse<String> regenerated = send("POST", account(sub, "rg1", name) + "/regenerateKey" + V,
                "{\"keyName\":\"key1\"}");
        assertThat(regenerated.statusCode()).as(regenerated.body()).isEqualTo(200);
        JsonNode after = JSON.readTree(send("POST", account(sub, "rg1", name) + "/listKeys" + V, null).body()).path("keys");
        assertThat(after.get(0).path("value").asString()).isNotEqualTo(key1);
        assertThat(Base64.getDecoder().decode(after.get(0).path("value").asString())).hasSize(64);
        assertThat(after.get(1).path("value").asString()).isEqualTo(key2);
        assertThat(JSON.readTree(regenerated.body()).path("keys")).isEqualTo(after);
    }

    @Test
    void aPatchChangesSkuAndTagsAndIsPublishedButNotTheLocation() throws Exception {
        String name = uniqueName();
        created(sub, "rg1", name);

        HttpResponse<String> patched = send("PATCH", account(sub, "rg1", name) + V,
                "{\"sku\":{\"name\":\"Standard_GRS\"},\"tags\":{\"env\":\"prod\"}}");
        assertThat(patched.statusCode()).as(patched.body()).isEqualTo(200);
        assertThat(JSON.readTree(patched.body()).path("sku").path("name").asString()).isEqualTo("Standard_GRS");
        assertThat(JSON.readTree(patched.body()).path("tags").path("env").asString()).isEqualTo("prod");
        assertThat(JSON.readTree(patched.body()).path("kind").asString()).isEqualTo("StorageV2");
        assertThat(events("Microsoft.Storage.StorageAccountUpdated", name)).isEqualTo(1);

        HttpResponse<String> moved = send("PATCH", account(sub, "rg1", name) + V, "{\"location\":\"eastus\"}");
        assertThat(moved.statusCode()).isEqualTo(400);
        HttpResponse<String> movedByPut = send("PUT", account(sub, "rg1", name) + V, BODY.replace("West Europe", "eastus"));
        assertThat(movedByPut.statusCode()).isEqualTo(409);
        assertThat(JSON.readTree(send("GET", account(sub, "rg1", name) + V, null).body()).path("location").asString())
                .isEqualTo("westeurope");
    }

    @Test
    void aLocationOutsideThePlacementTopologyIsRefused() throws Exception {
        HttpResponse<String> put = send("PUT", account(sub, "rg1", uniqueName()) + V, BODY.replace("West Europe", "westus2"));

        assertThat(put.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(put.body()).path("error").path("code").asString())
                .isEqualTo("LocationNotAvailableForResourceType");
    }

    @Test
    void listsByGroupAndSubscriptionPageInIdOrder() throws Exception {
        String s = UUID.randomUUID().toString();
        List<String> names = new ArrayList<>();
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            String name = uniqueName();
            ids.add(created(s, i == 2 ? "other" : "rg1", name).path("id").asString().toLowerCase());
            names.add(name);
        }

        List<String> all = new ArrayList<>(); // ids, in lower case
        String next = "/subscriptions/" + s + "/providers/Microsoft.Storage/storageAccounts" + V + "&$top=2";
        int pages = 0;
        while (next != null) {
            JsonNode page = JSON.readTree(send("GET", next, null).body());
            page.path("value").forEach(a -> all.add(a.path("id").asString().toLowerCase()));
            next = page.path("nextLink").isString() ? pathOf(page.path("nextLink").asString()) : null;
            pages++;
        }
        assertThat(pages).isEqualTo(2);
        assertThat(all).containsExactlyElementsOf(ids.stream().sorted().toList());

        JsonNode group = JSON.readTree(send("GET", "/subscriptions/" + s
                + "/resourceGroups/RG1/providers/Microsoft.Storage/storageAccounts" + V, null).body());
        assertThat(group.path("value")).extracting(a -> a.path("name").asString())
                .containsExactlyElementsOf(names.subList(0, 2).stream().sorted().toList());
    }

    @Test
    void aDeletedAccountIsGoneItsNameFreeAndItsDeletionPublished() throws Exception {
        String name = uniqueName();
        created(sub, "rg1", name);

        assertThat(send("DELETE", account(sub, "rg1", name) + V, null).statusCode()).isEqualTo(200);
        assertThat(send("DELETE", account(sub, "rg1", name) + V, null).statusCode()).isEqualTo(204);
        HttpResponse<String> get = send("GET", account(sub, "rg1", name) + V, null);
        assertThat(get.statusCode()).isEqualTo(404);
        assertThat(JSON.readTree(get.body()).path("error").path("code").asString()).isEqualTo("ResourceNotFound");
        assertThat(events("Microsoft.Storage.StorageAccountDeleted", name)).isEqualTo(1);
        assertThat(send("PUT", account(UUID.randomUUID().toString(), "rg1", name) + V, BODY).statusCode())
                .as("the name is free again").isEqualTo(200);
    }

    static String pathOf(String link) {
        URI uri = URI.create(link);
        return uri.getRawPath() + "?" + uri.getRawQuery();
    }
}
