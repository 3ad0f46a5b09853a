package dev.cirrus.gateway.authorization;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * How long the gateway keeps what every request looks up (a principal's role assignments, subscriptions, that a
 * resource group exists): {@code cirrus.gateway.access-cache.cache-ttl}, default 5s. The gateway forgets what it
 * changes itself at once; a change made through another gateway instance is seen within this time (Azure's own
 * RBAC changes take minutes to apply). 0 turns the caches off.
 */
@ConfigurationProperties("cirrus.gateway.access-cache")
public record AccessCacheProperties(Duration cacheTtl) {

    public AccessCacheProperties {
        cacheTtl = cacheTtl == null ? Duration.ofSeconds(5) : cacheTtl;
        if (cacheTtl.isNegative()) {
            throw new IllegalArgumentException("cirrus.gateway.access-cache.cache-ttl must not be negative");
        }
    }
}
