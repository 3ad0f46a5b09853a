package dev.cirrus.computevm.batch.account;

import java.security.SecureRandom;
import java.time.Instant;
import java.util.Base64;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

import dev.cirrus.plumbing.arm.ArmException;

/**
 * A Batch account ({@code Microsoft.Batch/batchAccounts}): the data-plane endpoint {@code {name}.{location}.batch.{domain}}
 * and its two Shared Key keys. Location and pool allocation mode are fixed at creation; tags and the other writable
 * properties change with a PUT or PATCH. A key is 64 random bytes in base64 (88 characters), Azure's shape.
 */
public final class BatchAccount {

    public static final String TYPE = "Microsoft.Batch/batchAccounts";
    private static final SecureRandom RANDOM = new SecureRandom();

    private String subscriptionId;
    private String resourceGroup;
    private String name;
    private final String location;
    private Map<String, String> tags;
    private Settings settings;
    private String primaryKey;
    private String secondaryKey;
    private String etag;
    private final Instant createdAt;

    /**
     * The writable properties Cirrus keeps.
     *
     * @param poolAllocationMode   BatchService (the only mode: UserSubscription pools need a Key Vault)
     * @param publicNetworkAccess  Enabled | Disabled (stored and echoed; the endpoint stays reachable locally)
     * @param allowedAuthenticationModes SharedKey, AAD, TaskAuthenticationToken
     * @param autoStorageAccountId the auto-storage account, echoed
     */
    public record Settings(String poolAllocationMode, String publicNetworkAccess,
                           java.util.List<String> allowedAuthenticationModes, String autoStorageAccountId) {
    }

    BatchAccount(String subscriptionId, String resourceGroup, String name, String location, Map<String, String> tags,
                 Settings settings, String primaryKey, String secondaryKey, String etag, Instant createdAt) {
        this.subscriptionId = subscriptionId;
        this.resourceGroup = resourceGroup;
        this.name = name;
        this.location = location;
        this.tags = Collections.unmodifiableMap(new LinkedHashMap<>(tags));
        this.settings = settings;
        this.primaryKey = primaryKey;
        this.secondaryKey = secondaryKey;
        this.etag = etag;
        this.createdAt = createdAt;
    }

    static BatchAccount create(String subscriptionId, String resourceGroup, String name, String location,
                               Map<String, String> tags, Settings settings, Instant now) {
        return new BatchAccount(subscriptionId, resourceGroup, name, location, tags, settings, newKey(), newKey(), null, now);
    }

    /** A PUT or PATCH on this account: location and allocation mode must stay, the rest is replaced. */
    void update(String subscriptionId, String resourceGroup, String name, String location, Map<String, String> tags,
                Settings settings) {
        if (!this.location.equals(location)) {
            throw new ArmException(409, "PropertyChangeNotAllowed", "Changing property 'location' is not allowed.",
                    "location");
        }
        if (!this.settings.poolAllocationMode().equals(settings.poolAllocationMode())) {
            throw new ArmException(409, "PropertyChangeNotAllowed",
                    "Changing property 'poolAllocationMode' is not allowed.", "properties.poolAllocationMode");
        }
        this.subscriptionId = subscriptionId;
        this.resourceGroup = resourceGroup;
        this.name = name;
        this.tags = Collections.unmodifiableMap(new LinkedHashMap<>(tags));
        this.settings = settings;
    }

    /** Replaces one key with a new random one; {@code keyName} is Primary or Secondary (any casing). */
    void regenerate(String keyName) {
        if ("primary".equalsIgnoreCase(keyName)) {
            primaryKey = newKey();
        } else if ("secondary".equalsIgnoreCase(keyName)) {
            secondaryKey = newKey();
        } else {
            throw ArmException.invalidParameter("The value '" + keyName + "' is not valid for keyName. The allowed "
                    + "values are 'Primary' and 'Secondary'.", "keyName");
        }
    }

    static String newKey() {
        byte[] key = new byte[64];
        RANDOM.nextBytes(key);
        return Base64.getEncoder().encodeToString(key);
    }

    public static String id(String subscriptionId, String resourceGroup, String name) {
        return "/subscriptions/" + subscriptionId + "/resourceGroups/" + resourceGroup + "/providers/" + TYPE + "/" + name;
    }

    /** {@code {name}.{location}}, lower-cased: what a data-plane call names (host's first two labels). */
    public static String endpointKey(String name, String location) {
        return (name + "." + location).toLowerCase(Locale.ROOT);
    }

    public String id() {
        return id(subscriptionId, resourceGroup, name);
    }

    public String key() {
        return id().toLowerCase(Locale.ROOT);
    }

    public String endpointKey() {
        return endpointKey(name, location);
    }

    public String subscriptionId() {
        return subscriptionId;
    }

    public String resourceGroup() {
        return resourceGroup;
    }

    public String name() {
        return name;
    }

    public String location() {
        return location;
    }

    public Map<String, String> tags() {
        return tags;
    }

    public Settings settings() {
        return settings;
    }

    public String primaryKey() {
        return primaryKey;
    }

    public String secondaryKey() {
        return secondaryKey;
    }

    public String etag() {
        return etag;
    }

    void etag(String etag) {
        this.etag = etag;
    }

    public Instant createdAt() {
        return createdAt;
    }
}
