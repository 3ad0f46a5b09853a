package dev.cirrus.placement.allocation;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
class AllocationConfiguration {

    /** The filter pipeline. Which filters run, in what order, becomes configuration with the full allocator. */
    @Bean
    Scheduler scheduler() {
        return Scheduler.firstFit();
    }
}
