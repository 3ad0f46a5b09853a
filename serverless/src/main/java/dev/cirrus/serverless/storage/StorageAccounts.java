package dev.cirrus.serverless.storage;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

import dev.cirrus.contracts.arm.ArmJson;
import dev.cirrus.contracts.arm.ArmTags;
import dev.cirrus.contracts.arm.Preconditions;
import dev.cirrus.contracts.events.CloudEvent;
import dev.cirrus.contracts.events.Topics;
import dev.cirrus.plumbing.arm.ArmException;
import dev.cirrus.plumbing.events.Outbox;
import dev.cirrus.plumbing.arm.Regions;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * Storage accounts: the rules of their names (3-24 lower-case letters and digits, unique across every subscription),
 * SKUs, kinds and settings, their keys (64 random bytes each, base64, regenerated for real), and their lifecycle
 * events through the outbox on {@code cirrus.serverless}.
 */
@Service
public class StorageAccounts {

    static final String TYPE = "Microsoft.Storage/storageAccounts";
    static final List<String> SKUS = List.of("Standard_LRS", "Standard_GRS", "Standard_RAGRS", "Standard_ZRS",
            "Standard_GZRS", "Standard_RAGZRS", "Premium_LRS", "Premium_ZRS");
    static final List<String> KINDS = List.of("StorageV2", "BlobStorage", "BlockBlobStorage", "FileStorage", "Storage");
    private static final Pattern NAME = Pattern.compile("[a-z0-9]{3,24}");
    private static final SecureRandom RANDOM = new SecureRandom();

    /** A page of a list: the accounts and the key the next page starts after (null on the last page). */
    public record Page(List<StorageAccount> accounts, String lastKey) {
    }

    /** A name check's answer, as {@code checkNameAvailability} gives it. */
    public record NameAvailability(boolean nameAvailable, String reason, String message) {
    }

    /** The outcome of a PUT: the account and whether it was created by it. */
    public record Saved(StorageAccount account, boolean created) {
    }

    private final StorageAccountRepository repository;
    private final Regions regions;
    private final Outbox outbox;
    private final ObjectMapper json;
    private final Clock clock;

    StorageAccounts(StorageAccountRepository repository, Regions regions, Outbox outbox, ObjectMapper json,
                    Clock clock) {
        this.repository = repository;
        this.regions = regions;
        this.outbox = outbox;
        this.json = json;
        this.clock = clock;
    }

    public static String resourceId(String sub, String rg, String name) {
        return "/subscriptions/" + sub + "/resourceGroups/" + rg + "/providers/" + TYPE + "/" + name;
    }

    /** 400 {@code AccountNameInvalid} unless 3-24 lower-case letters and digits. */
    static void checkName(String name) {
        if (name == null || !NAME.matcher(name).matches()) {
            throw ArmException.badRequest("AccountNameInvalid", invalidNameMessage(name), "name");
        }
    }

    private static String invalidNameMessage(String name) {
        return printable(name) + " is not a valid storage account name. Storage account name must be between 3 "
                + "and 24 characters in length and use numbers and lower-case letters only.";
    }

    /** PUT: creates the account, or applies the body to the existing one. */
    @Transactional
    public Saved createOrUpdate(String sub, String rg, String name, JsonNode body, Preconditions preconditions) {
        checkName(name);
        ArmJson.requireObject(body);
        String locationText = ArmJson.string(body, "location", "location");
        if (locationText == null || locationText.isBlank()) {
            throw ArmException.badRequest("LocationRequired", "The location property is required for this definition.",
                    "location");
        }
        String location = regions.require(locationText, TYPE, "location");
        StorageAccount.Settings settings = settings(body, true);
        String id = resourceId(sub, rg, name);
        Instant now = now();
        Optional<StorageAccount> existing = repository.findForUpdate(id);
        if (existing.isPresent()) {
            StorageAccount old = existing.get();
            preconditions.checkPut(old.etag());
            if (!old.location().equals(location)) {
                throw ArmException.conflict("InvalidResourceLocation", "The resource '" + name + "' already exists in "
                        + "location '" + old.location() + "' in resource group '" + old.resourceGroup() + "'. A "
                        + "resource with the same name cannot be created in location '" + location + "'. Please "
                        + "select a new resource name.");
            }
            checkCombination(old, settings);
            StorageAccount.Transition t = old.update(settings, now, Preconditions.newEtag());
            save(t);
            return new Saved(t.account(), false);
        }
        preconditions.checkPut(null);
        refuseTaken(sub, name);
        String kind = settings.kind() == null ? "StorageV2" : settings.kind();
        String tier = settings.accessTier() != null ? settings.accessTier() : hasAccessTier(kind) ? "Hot" : null;
        checkAccessTier(kind, tier, "properties.accessTier");
        StorageAccount.Settings full = new StorageAccount.Settings(kind, settings.skuName(), tier, settings.httpsOnly(),
                settings.minimumTlsVersion(), settings.allowBlobPublicAccess(), settings.tags());
        StorageAccount.Transition t = StorageAccount.create(id, sub, rg, name, location, full, newKey(), newKey(), now,
                Preconditions.newEtag());
        try {
            repository.insert(t.account());
        } catch (DuplicateKeyException e) {
            throw taken(name); // created meanwhile by another request
        }
        publish(t.events());
        return new Saved(t.account(), true);
    }

    /** PATCH: the given settings applied; sku, kind, tags and properties may change, location may not. */
    @Transactional
    public StorageAccount patch(String sub, String rg, String name, JsonNode body, Preconditions preconditions) {
        ArmJson.requireObject(body);
        StorageAccount old = repository.findForUpdate(resourceId(sub, rg, name)).orElseThrow(() -> notFound(rg, name));
        preconditions.checkExisting(old.etag());
        String locationText = ArmJson.string(body, "location", "location");
        if (locationText != null && !regions.require(locationText, TYPE, "location").equals(old.location())) {
            throw ArmException.badRequest("AccountPropertyCannotBeUpdated", "The property 'location' cannot be "
                    + "updated for the storage account '" + name + "'.", "location");
        }
        StorageAccount.Settings settings = settings(body, false);
        checkCombination(old, settings);
        StorageAccount.Transition t = old.update(settings, now(), Preconditions.newEtag());
        save(t);
        return t.account();
    }

    public StorageAccount get(String sub, String rg, String name) {
        return repository.find(resourceId(sub, rg, name)).orElseThrow(() -> notFound(rg, name));
    }

    /** DELETE: true when the account existed (200), false when there was none (204). */
    @Transactional
    public boolean delete(String sub, String rg, String name, Preconditions preconditions) {
        Optional<StorageAccount> existing = repository.findForUpdate(resourceId(sub, rg, name));
        if (existing.isEmpty()) {
            return false;
        }
        preconditions.checkDelete(existing.get().etag());
        repository.delete(existing.get().key());
        publish(existing.get().delete(now()).events());
        return true;
    }

    public Page list(String sub, String rg, String after, int size) {
        List<StorageAccount> rows = repository.list(sub, rg, after, size + 1);
        boolean more = rows.size() > size;
        List<StorageAccount> shown = more ? rows.subList(0, size) : rows;
        return new Page(shown, more ? shown.getLast().key() : null);
    }

    /** {@code checkNameAvailability}: invalid, taken anywhere, or free. */
    public NameAvailability checkNameAvailability(JsonNode body) {
        ArmJson.requireObject(body);
        String name = ArmJson.string(body, "name", "name");
        if (name == null) {
            throw ArmJson.missing("name", "name");
        }
        String type = ArmJson.string(body, "type", "type");
        if (type != null && !type.equalsIgnoreCase(TYPE)) {
            throw ArmException.invalidParameter("The type '" + printable(type) + "' is not valid: the names "
                    + "checked here are those of '" + TYPE + "'.", "type");
        }
        if (!NAME.matcher(name).matches()) {
            return new NameAvailability(false, "AccountNameInvalid", invalidNameMessage(name));
        }
        if (repository.findByName(name).isPresent()) {
            return new NameAvailability(false, "AlreadyExists", "The storage account named " + name
                    + " is already taken.");
        }
        return new NameAvailability(true, null, null);
    }

    /** {@code regenerateKey}: {@code {"keyName": "key1"|"key2"}} gets a new random value. */
    @Transactional
    public StorageAccount regenerateKey(String sub, String rg, String name, JsonNode body) {
        ArmJson.requireObject(body);
        String keyName = ArmJson.string(body, "keyName", "keyName");
        if (keyName == null) {
            throw ArmJson.missing("keyName", "keyName");
        }
        String which = keyName.toLowerCase(java.util.Locale.ROOT);
        if (!which.equals("key1") && !which.equals("key2")) {
            throw ArmException.badRequest("InvalidValuesForRequestParameters", "Values for request parameters are "
                    + "invalid: keyName ('" + printable(keyName) + "'; key1 or key2).", "keyName");
        }
        StorageAccount old = repository.findForUpdate(resourceId(sub, rg, name)).orElseThrow(() -> notFound(rg, name));
        StorageAccount renewed = old.withKey(which, newKey(), now());
        repository.update(renewed);
        return renewed;
    }

    /** 64 random bytes in base64: the shape of Azure's account keys. */
    static String newKey() {
        byte[] bytes = new byte[64];
        RANDOM.nextBytes(bytes);
        return Base64.getEncoder().encodeToString(bytes);
    }

    private StorageAccount.Settings settings(JsonNode body, boolean put) {
        JsonNode skuNode = ArmJson.object(body, "sku", "sku");
        String sku = skuNode == null ? null : ArmJson.string(skuNode, "name", "sku.name");
        if (sku == null && put) {
            throw ArmJson.missing("sku", "sku");
        }
        if (sku != null) {
            sku = SKUS.stream().filter(sku::equalsIgnoreCase).findFirst().orElseThrow(() ->
                    ArmException.badRequest("InvalidAccountType", "The SKU specified is not valid: use one of "
                            + String.join(", ", SKUS) + ".", "sku.name"));
        }
        String kind = ArmJson.string(body, "kind", "kind");
        if (kind == null && put) {
            throw ArmJson.missing("kind", "kind");
        }
        if (kind != null) {
            kind = KINDS.stream().filter(kind::equalsIgnoreCase).findFirst().orElseThrow(() ->
                    ArmException.badRequest("InvalidValuesForRequestParameters", "Values for request parameters are "
                            + "invalid: kind (one of " + String.join(", ", KINDS) + ").", "kind"));
        }
        if (sku != null && kind != null) {
            checkSkuForKind(sku, kind);
        }
        JsonNode properties = ArmJson.object(body, "properties", "properties");
        String tier = ArmJson.oneOf(properties, "accessTier", "properties.accessTier", "Hot", "Cool", "Cold",
                "Premium");
        Boolean httpsOnly = ArmJson.bool(properties, "supportsHttpsTrafficOnly", "properties.supportsHttpsTrafficOnly");
        String tls = ArmJson.oneOf(properties, "minimumTlsVersion", "properties.minimumTlsVersion", "TLS1_0", "TLS1_1",
                "TLS1_2", "TLS1_3");
        Boolean publicAccess = ArmJson.bool(properties, "allowBlobPublicAccess", "properties.allowBlobPublicAccess");
        Map<String, String> tags = body.has("tags") || put ? ArmTags.read(body) : null;
        return new StorageAccount.Settings(kind, sku, tier, httpsOnly, tls, publicAccess, tags);
    }

    /** Now, to the database's precision (microseconds), so an account reads back as it was answered. */
    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MICROS);
    }

    /** The SKU, kind and access tier an account would have after a change: refused when they do not fit together. */
    private static void checkCombination(StorageAccount old, StorageAccount.Settings settings) {
        String kind = settings.kind() == null ? old.kind() : settings.kind();
        String sku = settings.skuName() == null ? old.skuName() : settings.skuName();
        String tier = settings.accessTier() == null ? old.accessTier() : settings.accessTier();
        checkSkuForKind(sku, kind);
        checkAccessTier(kind, tier, settings.accessTier() == null ? "kind" : "properties.accessTier");
    }

    private static void checkSkuForKind(String sku, String kind) {
        boolean premiumOnly = kind.equals("BlockBlobStorage") || kind.equals("FileStorage");
        if (premiumOnly != sku.startsWith("Premium")) {
            throw ArmException.badRequest("InvalidAccountType", "The SKU '" + sku + "' is not valid for the kind '"
                    + kind + "'" + (premiumOnly ? ": it needs a Premium SKU." : "."), "sku.name");
        }
    }

    /** A user's text as shown in a message: without control characters, at most 100 characters. */
    private static String printable(String text) {
        if (text == null) {
            return "null";
        }
        String clean = text.codePoints().filter(c -> !Character.isISOControl(c))
                .collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append).toString();
        return clean.length() > 100 ? clean.substring(0, 100) + "…" : clean;
    }

    private static boolean hasAccessTier(String kind) {
        return kind.equals("StorageV2") || kind.equals("BlobStorage");
    }

    private static void checkAccessTier(String kind, String tier, String target) {
        if (tier != null && !hasAccessTier(kind) && !(tier.equals("Premium") && kind.equals("BlockBlobStorage"))) {
            throw ArmException.badRequest("InvalidAccessTier", "The access tier '" + tier + "' is not allowed for the "
                    + "account kind '" + kind + "'.", target);
        }
    }

    private void refuseTaken(String sub, String name) {
        Optional<StorageAccount> holder = repository.findByName(name);
        if (holder.isEmpty()) {
            return;
        }
        if (holder.get().subscriptionId().equalsIgnoreCase(sub)) {
            throw ArmException.conflict("StorageAccountInAnotherResourceGroup", "The account " + name + " is already "
                    + "in another resource group in this subscription.");
        }
        throw taken(name);
    }

    private static ArmException taken(String name) {
        return ArmException.conflict("StorageAccountAlreadyTaken", "The storage account named " + name
                + " is already taken.");
    }

    private void save(StorageAccount.Transition t) {
        if (!t.events().isEmpty()) {
            repository.update(t.account());
            publish(t.events());
        }
    }

    private void publish(List<StorageAccount.Event> events) {
        for (StorageAccount.Event event : events) {
            outbox.append(Topics.SERVERLESS, CloudEvent.of("serverless", event.type(), event.subject(), event.time(),
                    json.valueToTree(event.data())));
        }
    }

    private static ArmException notFound(String rg, String name) {
        return ArmException.notFound("ResourceNotFound", "The Resource '" + TYPE + "/" + name
                + "' under resource group '" + rg + "' was not found.");
    }
}
