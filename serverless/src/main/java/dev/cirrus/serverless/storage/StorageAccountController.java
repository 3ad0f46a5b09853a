package dev.cirrus.serverless.storage;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.cirrus.contracts.arm.PageRequest;
import dev.cirrus.contracts.arm.Preconditions;
import dev.cirrus.plumbing.arm.ArmPaging;
import org.springframework.http.HttpHeaders;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;

/**
 * {@code Microsoft.Storage/storageAccounts}: the management plane of storage accounts, in Azure's shapes. Thin:
 * {@link StorageAccounts} decides. A PUT creates at once, so it answers 200 with the account
 * ({@code provisioningState: Succeeded}), which the SDKs' pollers take as a finished long-running operation.
 */
@RestController
class StorageAccountController {

    static final String ACCOUNT = "/subscriptions/{sub}/resourceGroups/{rg}/providers/Microsoft.Storage/storageAccounts/{name}";

    private final StorageAccounts accounts;
    private final StorageProperties properties;

    StorageAccountController(StorageAccounts accounts, StorageProperties properties) {
        this.accounts = accounts;
        this.properties = properties;
    }

    @PutMapping(ACCOUNT)
    ResponseEntity<Map<String, Object>> put(@PathVariable String sub, @PathVariable String rg, @PathVariable String name,
                                            @RequestParam("api-version") String apiVersion,
                                            @RequestBody(required = false) JsonNode body,
                                            @RequestHeader(name = HttpHeaders.IF_MATCH, required = false) String ifMatch,
                                            @RequestHeader(name = HttpHeaders.IF_NONE_MATCH, required = false) String ifNoneMatch) {
        StorageAccounts.Saved saved = accounts.createOrUpdate(sub, rg, name, body, new Preconditions(ifMatch, ifNoneMatch));
        return ResponseEntity.ok().eTag(saved.account().etag()).body(view(saved.account()));
    }

    @PatchMapping(ACCOUNT)
    ResponseEntity<Map<String, Object>> patch(@PathVariable String sub, @PathVariable String rg, @PathVariable String name,
                                              @RequestParam("api-version") String apiVersion,
                                              @RequestBody(required = false) JsonNode body,
                                              @RequestHeader(name = HttpHeaders.IF_MATCH, required = false) String ifMatch) {
        StorageAccount patched = accounts.patch(sub, rg, name, body, new Preconditions(ifMatch, null));
        return ResponseEntity.ok().eTag(patched.etag()).body(view(patched));
    }

    @GetMapping(ACCOUNT)
    ResponseEntity<Map<String, Object>> get(@PathVariable String sub, @PathVariable String rg, @PathVariable String name,
                                            @RequestParam("api-version") String apiVersion) {
        StorageAccount account = accounts.get(sub, rg, name);
        return ResponseEntity.ok().eTag(account.etag()).body(view(account));
    }

    @DeleteMapping(ACCOUNT)
    ResponseEntity<Void> delete(@PathVariable String sub, @PathVariable String rg, @PathVariable String name,
                                @RequestParam("api-version") String apiVersion,
                                @RequestHeader(name = HttpHeaders.IF_MATCH, required = false) String ifMatch) {
        return ResponseEntity.status(accounts.delete(sub, rg, name, new Preconditions(ifMatch, null)) ? 200 : 204).build();
    }

    /** The accounts of a group or a subscription, in id order, paged with {@code $top} / {@code $skiptoken}. */
    @GetMapping({"/subscriptions/{sub}/resourceGroups/{rg}/providers/Microsoft.Storage/storageAccounts",
            "/subscriptions/{sub}/providers/Microsoft.Storage/storageAccounts"})
    Map<String, Object> list(@PathVariable String sub, @PathVariable(required = false) String rg,
                             @RequestParam("api-version") String apiVersion) {
        PageRequest request = ArmPaging.request(properties.listPageSize());
        StorageAccounts.Page page = accounts.list(sub, rg, request.after(), request.size());
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("value", page.accounts().stream().map(this::view).toList());
        if (page.lastKey() != null) {
            body.put("nextLink", ArmPaging.nextLink(page.lastKey()));
        }
        return body;
    }

    @PostMapping("/subscriptions/{sub}/providers/Microsoft.Storage/checkNameAvailability")
    Map<String, Object> checkNameAvailability(@PathVariable String sub, @RequestParam("api-version") String apiVersion,
                                              @RequestBody(required = false) JsonNode body) {
        StorageAccounts.NameAvailability answer = accounts.checkNameAvailability(body);
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("nameAvailable", answer.nameAvailable());
        if (!answer.nameAvailable()) {
            view.put("reason", answer.reason());
            view.put("message", answer.message());
        }
        return view;
    }

    @PostMapping(ACCOUNT + "/listKeys")
    Map<String, Object> listKeys(@PathVariable String sub, @PathVariable String rg, @PathVariable String name,
                                 @RequestParam("api-version") String apiVersion) {
        return keys(accounts.get(sub, rg, name));
    }

    @PostMapping(ACCOUNT + "/regenerateKey")
    Map<String, Object> regenerateKey(@PathVariable String sub, @PathVariable String rg, @PathVariable String name,
                                      @RequestParam("api-version") String apiVersion,
                                      @RequestBody(required = false) JsonNode body) {
        return keys(accounts.regenerateKey(sub, rg, name, body));
    }

    private static Map<String, Object> keys(StorageAccount account) {
        return Map.of("keys", List.of(key("key1", account.key1(), account.key1CreatedAt()),
                key("key2", account.key2(), account.key2CreatedAt())));
    }

    private static Map<String, Object> key(String name, String value, Instant created) {
        Map<String, Object> key = new LinkedHashMap<>();
        key.put("keyName", name);
        key.put("value", value);
        key.put("permissions", "FULL");
        key.put("creationTime", created.toString());
        return key;
    }

    /** The account in Azure's shape; the endpoints are those of the data plane Cirrus points at (Azurite's). */
    Map<String, Object> view(StorageAccount a) {
        Map<String, Object> endpoints = new LinkedHashMap<>();
        StorageProperties.Endpoints e = properties.endpoints();
        endpoints.put("blob", StorageProperties.Endpoints.of(e.blob(), a.name()));
        endpoints.put("queue", StorageProperties.Endpoints.of(e.queue(), a.name()));
        endpoints.put("table", StorageProperties.Endpoints.of(e.table(), a.name()));
        Map<String, Object> props = new LinkedHashMap<>();
        props.put("provisioningState", "Succeeded");
        props.put("primaryEndpoints", endpoints);
        props.put("primaryLocation", a.location());
        props.put("statusOfPrimary", "available");
        props.put("creationTime", a.createdAt().toString());
        if (a.accessTier() != null) {
            props.put("accessTier", a.accessTier());
        }
        props.put("supportsHttpsTrafficOnly", a.httpsOnly());
        props.put("minimumTlsVersion", a.minimumTlsVersion());
        props.put("allowBlobPublicAccess", a.allowBlobPublicAccess());
        props.put("keyCreationTime", Map.of("key1", a.key1CreatedAt().toString(), "key2", a.key2CreatedAt().toString()));
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("id", a.resourceId());
        view.put("name", a.name());
        view.put("type", StorageAccounts.TYPE);
        view.put("location", a.location());
        view.put("tags", a.tags());
        view.put("sku", Map.of("name", a.skuName(), "tier", a.skuTier()));
        view.put("kind", a.kind());
        view.put("properties", props);
        return view;
    }
}
