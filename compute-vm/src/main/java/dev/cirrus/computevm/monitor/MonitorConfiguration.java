package dev.cirrus.computevm.monitor;

import java.time.Clock;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(MonitorProperties.class)
class MonitorConfiguration {

    @Bean
    MonitorClock monitorClock(Clock clock, MonitorProperties properties) {
        return new MonitorClock(clock, properties.clockRate());
    }
}
