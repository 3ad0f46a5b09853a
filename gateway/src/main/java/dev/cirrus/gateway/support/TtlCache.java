package dev.cirrus.gateway.support;

import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * A small read-through cache whose entries live for a fixed time, for the lookups every request makes (role
 * assignments, subscriptions, resource groups). The gateway invalidates what it changes itself at once; changes made
 * by another gateway instance are seen within the time to live. Bounded: it empties itself past {@code maxEntries}.
 */
public final class TtlCache<K, V> {

    private record Entry<V>(V value, long expiresAtMillis) {
    }

    private final Map<K, Entry<V>> entries = new ConcurrentHashMap<>();
    private final long ttlMillis;
    private final int maxEntries;
    private final Clock clock;

    public TtlCache(Duration ttl, int maxEntries, Clock clock) {
        this.ttlMillis = ttl.toMillis();
        this.maxEntries = maxEntries;
        this.clock = clock;
    }

    /** The cached value, or null when absent or expired (the caller then loads it, off the event loop). */
    public V getIfFresh(K key) {
        Entry<V> e = entries.get(key);
        return e != null && e.expiresAtMillis() > clock.millis() ? e.value() : null;
    }

    public V get(K key, Function<K, V> loader) {
        V cached = getIfFresh(key);
        if (cached != null) {
            return cached;
        }
        V loaded = loader.apply(key);
        put(key, loaded);
        return loaded;
    }

    public void put(K key, V value) {
        if (ttlMillis <= 0 || value == null) {
            return;
        }
        if (entries.size() >= maxEntries) {
            entries.clear();
        }
        entries.put(key, new Entry<>(value, clock.millis() + ttlMillis));
    }

    public void invalidate(K key) {
        entries.remove(key);
    }

    public void invalidateAll() {
        entries.clear();
    }
}
