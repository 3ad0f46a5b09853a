package dev.cirrus.gateway.provider;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Where the provider registry comes from ({@code cirrus.gateway.providers.*}): {@code classpath:…}, {@code file:…}
 * or a plain path each.
 *
 * @param registry the registry file (default {@code classpath:providers/registry.yaml}, shipped with the gateway)
 * @param topology the placement engine's topology file, whose regions are the locations of every located type;
 *                 default {@code classpath:inventory/default-topology.yaml}, the same resource the placement engine
 *                 reads by default (it lives in cirrus-contracts). Point both at the same file when the engine's
 *                 {@code cirrus.placement.inventory} is changed.
 */
@ConfigurationProperties("cirrus.gateway.providers")
public record ProviderRegistryProperties(String registry, String topology) {

    public static final String DEFAULT_REGISTRY = "classpath:providers/registry.yaml";
    public static final String DEFAULT_TOPOLOGY = "classpath:inventory/default-topology.yaml";

    public ProviderRegistryProperties {
        registry = registry == null || registry.isBlank() ? DEFAULT_REGISTRY : registry.strip();
        topology = topology == null || topology.isBlank() ? DEFAULT_TOPOLOGY : topology.strip();
    }
}
