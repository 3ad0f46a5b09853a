package dev.cirrus.placement.allocation;

import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
class AllocationConfiguration {

    /** The pipeline of {@code cirrus.placement.scheduler.*}, validated when bound. */
    @Bean
    Scheduler scheduler(SchedulerProperties properties) {
        LoggerFactory.getLogger(Scheduler.class).info("scheduler: filters {}, weights {}", properties.filters(),
                properties.weights());
        return properties.scheduler();
    }
}
