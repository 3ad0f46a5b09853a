package dev.cirrus.gateway.provider;

import dev.cirrus.gateway.routing.ServiceEndpoints;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.io.FileSystemResource;
import org.springframework.core.io.Resource;
import org.springframework.core.io.ResourceLoader;

/** The {@link ProviderRegistry}, read and checked when the gateway starts (a bad file stops start-up). */
@Configuration(proxyBeanMethods = false)
class ProviderRegistryConfiguration {

    @Bean
    ProviderRegistry providerRegistry(ProviderRegistryProperties properties, ServiceEndpoints services,
                                      ResourceLoader loader) {
        return ProviderRegistry.read(resource(properties.registry(), loader), resource(properties.topology(), loader),
                services.byModule().keySet());
    }

    private static Resource resource(String location, ResourceLoader loader) {
        return location.startsWith("classpath:") || location.startsWith("file:") ? loader.getResource(location)
                : new FileSystemResource(location);
    }
}
