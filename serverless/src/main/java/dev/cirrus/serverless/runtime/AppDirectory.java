package dev.cirrus.serverless.runtime;

import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import dev.cirrus.serverless.function.FunctionRepository;
import dev.cirrus.serverless.functionapp.FunctionAppRepository;
import org.springframework.stereotype.Component;

/**
 * Apps by name for the invocation path, cached so a warm call does not read the database: an entry is trusted for
 * {@code cirrus.functions.definition-cache-ttl}; changes through this replica evict it at once.
 */
@Component
public class AppDirectory {

    private record Entry(Optional<AppDefinition> definition, long loadedNanos) {
    }

    private final FunctionAppRepository apps;
    private final FunctionRepository functions;
    private final Duration ttl;
    private final Map<String, Entry> cache = new ConcurrentHashMap<>();

    AppDirectory(FunctionAppRepository apps, FunctionRepository functions, FunctionsProperties properties) {
        this.apps = apps;
        this.functions = functions;
        this.ttl = properties.definitionCacheTtl();
    }

    public Optional<AppDefinition> byName(String name) {
        String key = name.toLowerCase(Locale.ROOT);
        Entry entry = cache.get(key);
        if (entry == null || System.nanoTime() - entry.loadedNanos() > ttl.toNanos()) {
            entry = new Entry(apps.findByName(key).map(app -> new AppDefinition(app, functions.list(app.key()))),
                    System.nanoTime());
            cache.put(key, entry);
        }
        return entry.definition();
    }

    public void evict(String name) {
        cache.remove(name.toLowerCase(Locale.ROOT));
    }
}
