package dev.cirrus.computecontainer.group;

import dev.cirrus.plumbing.arm.Regions;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(ContainerGroupProperties.class)
class GroupConfiguration {

    @Bean
    ContainerGroupRequests containerGroupRequests(Regions regions, ContainerGroupProperties properties) {
        return new ContainerGroupRequests(regions, properties);
    }
}
