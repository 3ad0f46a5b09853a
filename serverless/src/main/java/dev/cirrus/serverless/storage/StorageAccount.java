package dev.cirrus.serverless.storage;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import dev.cirrus.contracts.events.EventTypes;
import dev.cirrus.contracts.events.StorageAccountData;

/**
 * A storage account ({@code Microsoft.Storage/storageAccounts}): its management-plane state. Plain data; the
 * changes are methods that return the new state with the events they publish ({@link Transition}).
 *
 * @param key        the ARM id in lower case
 * @param resourceId the ARM id as first written
 * @param name       lower-case letters and digits, unique across every subscription
 * @param location   the ARM name of a region of the placement topology
 * @param kind       StorageV2, BlobStorage, BlockBlobStorage, FileStorage or Storage
 * @param skuName    e.g. Standard_LRS
 * @param accessTier Hot, Cool or Cold for the kinds that have one (StorageV2, BlobStorage), else null
 * @param key1       the first access key (base64 of 64 random bytes)
 * @param key2       the second
 */
public record StorageAccount(String key, String resourceId, String subscriptionId, String resourceGroup, String name,
                             String location, String kind, String skuName, String accessTier, boolean httpsOnly,
                             String minimumTlsVersion, boolean allowBlobPublicAccess, Map<String, String> tags,
                             String key1, String key2, Instant key1CreatedAt, Instant key2CreatedAt,
                             Instant createdAt, Instant lastModified, String etag) {

    /** An event of a change: type, subject (the account's id) and data. */
    public record Event(String type, String subject, Instant time, StorageAccountData data) {
    }

    /** A change: the account after it and what it publishes. */
    public record Transition(StorageAccount account, List<Event> events) {
    }

    /** What a PUT or PATCH may set (null: unchanged for a PATCH). */
    public record Settings(String kind, String skuName, String accessTier, Boolean httpsOnly, String minimumTlsVersion,
                           Boolean allowBlobPublicAccess, Map<String, String> tags) {
    }

    public static Transition create(String resourceId, String subscriptionId, String resourceGroup, String name,
                                    String location, Settings settings, String key1, String key2, Instant now,
                                    String etag) {
        StorageAccount account = new StorageAccount(resourceId.toLowerCase(java.util.Locale.ROOT), resourceId,
                subscriptionId, resourceGroup, name, location, settings.kind(), settings.skuName(),
                settings.accessTier(), settings.httpsOnly() == null || settings.httpsOnly(),
                settings.minimumTlsVersion() == null ? "TLS1_0" : settings.minimumTlsVersion(),
                settings.allowBlobPublicAccess() != null && settings.allowBlobPublicAccess(),
                settings.tags() == null ? Map.of() : settings.tags(), key1, key2, now, now, now, now, etag);
        return new Transition(account, List.of(account.event(EventTypes.STORAGE_ACCOUNT_CREATED, now)));
    }

    /** The settings given applied (null ones kept); an event only when something changed. */
    public Transition update(Settings settings, Instant now, String newEtag) {
        StorageAccount updated = new StorageAccount(key, resourceId, subscriptionId, resourceGroup, name, location,
                or(settings.kind(), kind), or(settings.skuName(), skuName), or(settings.accessTier(), accessTier),
                or(settings.httpsOnly(), httpsOnly), or(settings.minimumTlsVersion(), minimumTlsVersion),
                or(settings.allowBlobPublicAccess(), allowBlobPublicAccess), or(settings.tags(), tags), key1, key2,
                key1CreatedAt, key2CreatedAt, createdAt, lastModified, etag);
        if (updated.sameSettingsAs(this)) {
            return new Transition(this, List.of());
        }
        StorageAccount changed = updated.touched(now, newEtag);
        return new Transition(changed, List.of(changed.event(EventTypes.STORAGE_ACCOUNT_UPDATED, now)));
    }

    /** One key replaced by a new value ({@code key1} or {@code key2}); no event (keys never travel in events). */
    public StorageAccount withKey(String keyName, String value, Instant now) {
        boolean first = keyName.equals("key1");
        return new StorageAccount(key, resourceId, subscriptionId, resourceGroup, name, location, kind, skuName,
                accessTier, httpsOnly, minimumTlsVersion, allowBlobPublicAccess, tags, first ? value : key1,
                first ? key2 : value, first ? now : key1CreatedAt, first ? key2CreatedAt : now, createdAt,
                lastModified, etag);
    }

    public Transition delete(Instant now) {
        return new Transition(this, List.of(event(EventTypes.STORAGE_ACCOUNT_DELETED, now)));
    }

    /** {@code Standard} or {@code Premium}, from the SKU's name. */
    public String skuTier() {
        return skuName.startsWith("Premium") ? "Premium" : "Standard";
    }

    private StorageAccount touched(Instant now, String newEtag) {
        return new StorageAccount(key, resourceId, subscriptionId, resourceGroup, name, location, kind, skuName,
                accessTier, httpsOnly, minimumTlsVersion, allowBlobPublicAccess, tags, key1, key2, key1CreatedAt,
                key2CreatedAt, createdAt, now, newEtag);
    }

    private boolean sameSettingsAs(StorageAccount o) {
        return kind.equals(o.kind) && skuName.equals(o.skuName) && Objects.equals(accessTier, o.accessTier)
                && httpsOnly == o.httpsOnly && minimumTlsVersion.equals(o.minimumTlsVersion)
                && allowBlobPublicAccess == o.allowBlobPublicAccess && tags.equals(o.tags);
    }

    private Event event(String type, Instant now) {
        boolean deleted = EventTypes.STORAGE_ACCOUNT_DELETED.equals(type);
        return new Event(type, resourceId, now, new StorageAccountData(subscriptionId, resourceGroup, name, location,
                kind, skuName, tags, deleted ? null : etag));
    }

    private static <T> T or(T given, T current) {
        return given == null ? current : given;
    }
}
