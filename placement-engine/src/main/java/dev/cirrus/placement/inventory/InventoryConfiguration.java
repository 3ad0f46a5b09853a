package dev.cirrus.placement.inventory;

import dev.cirrus.placement.PlacementProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.io.ResourceLoader;

@Configuration(proxyBeanMethods = false)
class InventoryConfiguration {

    private static final Logger log = LoggerFactory.getLogger(InventoryConfiguration.class);

    /** The inventory file, read and checked: an invalid one stops start-up (see InvalidInventoryFailureAnalyzer). */
    @Bean
    Topology topology(PlacementProperties properties, ResourceLoader resources) {
        Topology topology = TopologyFile.read(properties.inventory(), resources);
        log.info("inventory '{}': {} hosts in regions {}", properties.inventory(), topology.hosts().size(),
                topology.regions());
        return topology;
    }
}
