package dev.cirrus.computecontainer.region;

import dev.cirrus.plumbing.arm.Regions;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.io.ResourceLoader;

@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(RegionsProperties.class)
class RegionsConfiguration {

    @Bean
    Regions regions(RegionsProperties properties, ResourceLoader loader) {
        return Regions.read(loader.getResource(properties.topology()), "cirrus.container.topology");
    }
}
