package dev.cirrus.appservice.plan;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(PlanProperties.class)
class PlanConfiguration {
}
