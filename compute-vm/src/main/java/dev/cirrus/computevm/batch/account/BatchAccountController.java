package dev.cirrus.computevm.batch.account;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Pattern;

import dev.cirrus.computevm.batch.BatchProperties;
import dev.cirrus.computevm.size.SizeCatalogue;
import dev.cirrus.computevm.sku.ResourceSkus;
import dev.cirrus.computevm.vm.VmProperties;
import dev.cirrus.contracts.arm.ArmJson;
import dev.cirrus.contracts.arm.ArmLocations;
import dev.cirrus.contracts.arm.ArmTags;
import dev.cirrus.contracts.arm.PageRequest;
import dev.cirrus.contracts.arm.ResourceId;
import dev.cirrus.plumbing.arm.ArmException;
import dev.cirrus.plumbing.arm.ArmPaging;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code Microsoft.Batch/batchAccounts} (compute-vm/README.md, "Batch"): PUT (201 new / 200 existing, synchronous),
 * PATCH, GET, DELETE (200; 204 when absent), the two lists, {@code listKeys} and {@code regenerateKey}.
 */
@RestController
@RequestMapping("/subscriptions/{subscriptionId}")
class BatchAccountController {

    private static final String ACCOUNT = "/resourceGroups/{resourceGroup}/providers/Microsoft.Batch/batchAccounts/{name}";
    /** Azure's rule for Batch account names: 3 to 24 lower-case letters and digits (they name a host). */
    private static final Pattern NAME = Pattern.compile("[a-z0-9]{3,24}");
    private static final List<String> AUTH_MODES = List.of("SharedKey", "AAD", "TaskAuthenticationToken");

    private final BatchAccounts accounts;
    private final BatchProperties batch;
    private final SizeCatalogue sizes;
    private final int pageSize;

    BatchAccountController(BatchAccounts accounts, BatchProperties batch, SizeCatalogue sizes, VmProperties vm) {
        this.accounts = accounts;
        this.batch = batch;
        this.sizes = sizes;
        this.pageSize = vm.list().pageSize();
    }

    @PutMapping(ACCOUNT)
    ResponseEntity<ObjectNode> put(@PathVariable String subscriptionId, @PathVariable String resourceGroup,
                                   @PathVariable String name, @RequestBody JsonNode body) {
        ResourceId.requireSubscriptionId(subscriptionId);
        checkName(name);
        BatchAccounts.Written written = accounts.put(subscriptionId, resourceGroup, name, parse(body));
        return ResponseEntity.status(written.created() ? 201 : 200).eTag(written.account().etag())
                .body(representation(written.account()));
    }

    @PatchMapping(ACCOUNT)
    ResponseEntity<ObjectNode> patch(@PathVariable String subscriptionId, @PathVariable String resourceGroup,
                                     @PathVariable String name, @RequestBody JsonNode body) {
        ResourceId.requireSubscriptionId(subscriptionId);
        ArmJson.requireObject(body);
        BatchAccount account = accounts.patch(subscriptionId, resourceGroup, name, current -> {
            ObjectNode merged = JsonNodeFactory.instance.objectNode();
            merged.put("location", current.location());
            ObjectNode tags = merged.putObject("tags");
            current.tags().forEach(tags::put);
            ObjectNode properties = merged.putObject("properties");
            writeSettings(properties, current.settings());
            for (var e : body.properties()) {
                if (e.getKey().equals("properties") && e.getValue().isObject()) {
                    e.getValue().properties().forEach(p -> properties.set(p.getKey(), p.getValue()));
                } else if (!e.getKey().equals("location")) {
                    merged.set(e.getKey(), e.getValue()); // tags replace the whole map
                }
            }
            return parse(merged);
        });
        return ResponseEntity.ok().eTag(account.etag()).body(representation(account));
    }

    @GetMapping(ACCOUNT)
    ResponseEntity<ObjectNode> get(@PathVariable String subscriptionId, @PathVariable String resourceGroup,
                                   @PathVariable String name) {
        ResourceId.requireSubscriptionId(subscriptionId);
        BatchAccount account = accounts.get(subscriptionId, resourceGroup, name);
        return ResponseEntity.ok().eTag(account.etag()).body(representation(account));
    }

    @DeleteMapping(ACCOUNT)
    ResponseEntity<Void> delete(@PathVariable String subscriptionId, @PathVariable String resourceGroup,
                                @PathVariable String name) {
        ResourceId.requireSubscriptionId(subscriptionId);
        return accounts.delete(subscriptionId, resourceGroup, name) ? ResponseEntity.ok().build()
                : ResponseEntity.noContent().build();
    }

    @PostMapping(ACCOUNT + "/listKeys")
    ObjectNode listKeys(@PathVariable String subscriptionId, @PathVariable String resourceGroup,
                        @PathVariable String name) {
        ResourceId.requireSubscriptionId(subscriptionId);
        BatchAccount account = accounts.get(subscriptionId, resourceGroup, name);
        if (!account.settings().allowedAuthenticationModes().contains("SharedKey")) {
            throw new ArmException(409, "OperationNotAllowed", "Shared Key authentication is not allowed for the "
                    + "account '" + name + "': add 'SharedKey' to allowedAuthenticationModes to read its keys.", null);
        }
        return keys(account);
    }

    @PostMapping(ACCOUNT + "/regenerateKeys")
    ObjectNode regenerateKey(@PathVariable String subscriptionId, @PathVariable String resourceGroup,
                             @PathVariable String name, @RequestBody(required = false) JsonNode body) {
        ResourceId.requireSubscriptionId(subscriptionId);
        if (body == null || !body.isObject()) {
            throw ArmException.badRequest("InvalidRequestContent", "The request content must be an object with "
                    + "keyName 'Primary' or 'Secondary'.", "keyName");
        }
        String keyName = ArmJson.string(body, "keyName", "keyName");
        if (keyName == null) {
            throw ArmJson.missing("keyName", "keyName");
        }
        return keys(accounts.regenerate(subscriptionId, resourceGroup, name, keyName));
    }

    @GetMapping("/resourceGroups/{resourceGroup}/providers/Microsoft.Batch/batchAccounts")
    ObjectNode listInGroup(@PathVariable String subscriptionId, @PathVariable String resourceGroup) {
        ResourceId.requireSubscriptionId(subscriptionId);
        return list(subscriptionId, resourceGroup);
    }

    @GetMapping("/providers/Microsoft.Batch/batchAccounts")
    ObjectNode listInSubscription(@PathVariable String subscriptionId) {
        ResourceId.requireSubscriptionId(subscriptionId);
        return list(subscriptionId, null);
    }

    private ObjectNode list(String subscriptionId, String resourceGroup) {
        PageRequest page = ArmPaging.request(pageSize);
        int size = page.size();
        List<BatchAccount> rows = accounts.list(subscriptionId, resourceGroup, page.after(), size + 1);
        ObjectNode body = JsonNodeFactory.instance.objectNode();
        ArrayNode value = body.putArray("value");
        rows.stream().limit(size).forEach(a -> value.add(representation(a)));
        if (rows.size() > size) {
            body.put("nextLink", ArmPaging.nextLink(rows.get(size - 1).key()));
        }
        return body;
    }

    private static ObjectNode keys(BatchAccount account) {
        ObjectNode body = JsonNodeFactory.instance.objectNode();
        body.put("accountName", account.name());
        body.put("primary", account.primaryKey());
        body.put("secondary", account.secondaryKey());
        return body;
    }

    private ObjectNode representation(BatchAccount account) {
        ObjectNode body = JsonNodeFactory.instance.objectNode();
        body.put("id", account.id());
        body.put("name", account.name());
        body.put("type", BatchAccount.TYPE);
        body.put("location", account.location());
        ObjectNode tags = body.putObject("tags");
        account.tags().forEach(tags::put);
        body.putObject("identity").put("type", "None");
        ObjectNode p = body.putObject("properties");
        p.put("accountEndpoint", account.name() + "." + account.location() + ".batch." + batch.hostDomain());
        p.put("nodeManagementEndpoint", account.name() + "." + account.location() + ".service.batch."
                + batch.hostDomain());
        p.put("provisioningState", "Succeeded");
        writeSettings(p, account.settings());
        BatchProperties.Quota quota = batch.quota();
        p.put("dedicatedCoreQuota", quota.dedicatedCores());
        p.put("lowPriorityCoreQuota", quota.lowPriorityCores());
        // the total is what Cirrus enforces; Azure lists the same figure per VM family of the catalogue
        p.put("dedicatedCoreQuotaPerVMFamilyEnforced", false);
        ArrayNode families = p.putArray("dedicatedCoreQuotaPerVMFamily");
        new TreeSet<>(sizes.all().stream().map(s -> ResourceSkus.family(s.name())).toList())
                .forEach(f -> families.addObject().put("name", f).put("coreQuota", quota.dedicatedCores()));
        p.put("poolQuota", quota.pools());
        p.put("activeJobAndJobScheduleQuota", quota.activeJobs());
        p.putObject("encryption").put("keySource", "Microsoft.Batch");
        return body;
    }

    private static void writeSettings(ObjectNode p, BatchAccount.Settings s) {
        p.put("poolAllocationMode", s.poolAllocationMode());
        p.put("publicNetworkAccess", s.publicNetworkAccess());
        ArrayNode modes = p.putArray("allowedAuthenticationModes");
        s.allowedAuthenticationModes().forEach(modes::add);
        if (s.autoStorageAccountId() != null) {
            p.putObject("autoStorage").put("storageAccountId", s.autoStorageAccountId())
                    .put("authenticationMode", "StorageKeys");
        }
    }

    static void checkName(String name) {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new ArmException(400, "AccountNameInvalid", "Account name '" + name + "' is invalid. Batch account "
                    + "names must be between 3 and 24 characters in length and use numbers and lower-case letters "
                    + "only.", "name");
        }
    }

    /** A PUT body (or a PATCH merged onto the stored account); every refusal names its property. */
    static BatchAccounts.Request parse(JsonNode body) {
        ArmJson.requireObject(body);
        String rawLocation = ArmJson.string(body, "location", "location");
        if (rawLocation == null || rawLocation.isBlank()) {
            throw ArmException.badRequest("LocationRequired", "The location property is required for this definition.",
                    "location");
        }
        String location = ArmLocations.require(rawLocation, "location");
        Map<String, String> tags = ArmTags.read(body);
        ObjectNode identity = ArmJson.object(body, "identity", "identity");
        if (identity != null) {
            ArmJson.oneOf(identity, "type", "identity.type", "None");
        }
        ObjectNode props = ArmJson.object(body, "properties", "properties");
        String mode = "BatchService";
        String access = "Enabled";
        List<String> auth = AUTH_MODES;
        String storage = null;
        if (props != null) {
            String m = ArmJson.oneOf(props, "poolAllocationMode", "properties.poolAllocationMode", "BatchService",
                    "UserSubscription");
            if ("UserSubscription".equals(m)) {
                throw ArmException.invalidParameter("Pool allocation mode 'UserSubscription' needs a Key Vault and "
                        + "the Batch service's access to the subscription; Cirrus allocates pools in the Batch service "
                        + "only ('BatchService').", "properties.poolAllocationMode");
            }
            String a = ArmJson.oneOf(props, "publicNetworkAccess", "properties.publicNetworkAccess", "Enabled",
                    "Disabled", "SecuredByPerimeter");
            access = a == null ? access : a;
            JsonNode modes = ArmJson.array(props, "allowedAuthenticationModes", "properties.allowedAuthenticationModes");
            if (modes != null) {
                List<String> given = new ArrayList<>();
                for (int i = 0; i < modes.size(); i++) {
                    JsonNode v = modes.get(i);
                    String text = v.isString() ? v.asString() : null;
                    String known = AUTH_MODES.stream().filter(k -> k.equalsIgnoreCase(text)).findFirst().orElse(null);
                    if (known == null) {
                        throw ArmException.invalidParameter("The value '" + v + "' is not valid for "
                                + "allowedAuthenticationModes. The allowed values are 'SharedKey', 'AAD', "
                                + "'TaskAuthenticationToken'.", "properties.allowedAuthenticationModes[" + i + "]");
                    }
                    if (!given.contains(known)) {
                        given.add(known);
                    }
                }
                auth = List.copyOf(given);
            }
            ObjectNode auto = ArmJson.object(props, "autoStorage", "properties.autoStorage");
            if (auto != null) {
                String id = ArmJson.string(auto, "storageAccountId", "properties.autoStorage.storageAccountId");
                if (id == null) {
                    throw ArmJson.missing("storageAccountId", "properties.autoStorage.storageAccountId");
                }
                ResourceId parsed = ResourceId.require(id, "properties.autoStorage.storageAccountId");
                if (!"Microsoft.Storage/storageAccounts".equalsIgnoreCase(parsed.type())) {
                    throw ArmException.invalidParameter("The auto-storage account id '" + id + "' is not the id of a "
                            + "storage account.", "properties.autoStorage.storageAccountId");
                }
                storage = id;
            }
        }
        return new BatchAccounts.Request(location, tags, new BatchAccount.Settings(mode, access, auth, storage));
    }
}
