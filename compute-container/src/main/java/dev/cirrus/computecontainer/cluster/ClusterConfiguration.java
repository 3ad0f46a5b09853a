package dev.cirrus.computecontainer.cluster;

import dev.cirrus.plumbing.arm.Regions;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(ClusterProperties.class)
class ClusterConfiguration {

    @Bean
    ClusterRequests clusterRequests(Regions regions) {
        return new ClusterRequests(regions);
    }

    @Bean
    KubernetesVersions kubernetesVersions(ClusterProperties properties) {
        return new KubernetesVersions(properties.kubernetesVersions(), properties.defaultKubernetesVersion());
    }
}
