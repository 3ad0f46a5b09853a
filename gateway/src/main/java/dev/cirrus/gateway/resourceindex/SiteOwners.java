package dev.cirrus.gateway.resourceindex;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import dev.cirrus.gateway.provider.ProviderRegistry;
import dev.cirrus.gateway.support.Blocking;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/**
 * Which service owns the site a host name names ({@code {app}.azurewebsites.{domain}}): site names are global, so
 * the name finds the one {@code Microsoft.Web/sites} entry of the {@link ResourceIndex}, and the provider registry's
 * kind rule gives the owner of its kind ({@code functionapp…} → serverless, any other → app-service), the rule that
 * routed the site's PUT. A site the index does not know is serverless's: the Functions data plane was the only one
 * before web apps, and function apps created straight at serverless are not indexed.
 *
 * <p>A deployment slot's host {@code {app}-{slot}} names no site: it belongs to its app's owner, the site the longest
 * prefix of the label before a hyphen names ({@code web1-staging} → {@code web1}; {@code my-app-blue} tries
 * {@code my-app}, then {@code my}). A whole label that names a site wins over any prefix.
 *
 * <p>The answer is kept for {@link #TTL} (the data plane's hot path must not read the database on every call): a site
 * created or deleted is routed by its new owner at most that long after the index learns it.
 */
@Component
public class SiteOwners {

    /** How long an answer is reused. */
    static final Duration TTL = Duration.ofSeconds(2);
    /** Answers kept at most; the cache is emptied when it holds more (a scan of random host names). */
    private static final int MAX_CACHED = 10_000;
    static final String SITES = "Microsoft.Web/sites";
    static final String UNKNOWN_SITE_OWNER = "serverless";

    private record Cached(String owner, long until) {
    }

    private final ResourceIndex index;
    private final ProviderRegistry registry;
    private final Map<String, Cached> cache = new ConcurrentHashMap<>();

    SiteOwners(ResourceIndex index, ProviderRegistry registry) {
        this.index = index;
        this.registry = registry;
    }

    /** The owner of the site named {@code name} (lower case, as a host label). */
    public Mono<String> ownerOf(String name) {
        long now = System.nanoTime();
        Cached cached = cache.get(name);
        if (cached != null && cached.until - now > 0) {
            return Mono.just(cached.owner);
        }
        return Blocking.call(() -> {
            String owner = lookUp(name);
            if (cache.size() >= MAX_CACHED) {
                cache.clear();
            }
            cache.put(name, new Cached(owner, System.nanoTime() + TTL.toNanos()));
            return owner;
        });
    }

    String lookUp(String name) {
        Optional<ResourceIndex.Entry> found = index.site(name);
        for (int hyphen = name.lastIndexOf('-'); found.isEmpty() && hyphen > 0;
             hyphen = name.lastIndexOf('-', hyphen - 1)) {
            found = index.site(name.substring(0, hyphen)); // a slot's host: {app}-{slot}
        }
        if (found.isEmpty()) {
            return UNKNOWN_SITE_OWNER;
        }
        ResourceIndex.Entry site = found.get();
        return registry.type(SITES).map(type -> type.ownerOfKind(site.kind())).orElse(site.owner());
    }
}
