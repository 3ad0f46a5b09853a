package dev.cirrus.billing;

import java.time.Clock;

import org.springframework.boot.jackson.autoconfigure.JsonMapperBuilderCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.scheduling.annotation.EnableScheduling;
import tools.jackson.core.StreamWriteFeature;

/** Budgets are checked on a schedule ({@code BudgetAlerts}). */
@Configuration(proxyBeanMethods = false)
@EnableScheduling
class BillingConfiguration {

    /** "Now" for usage that is still accruing and for the default period; tests replace it with a fixed clock. */
    @Bean
    Clock clock() {
        return Clock.systemUTC();
    }

    /** Money and quantities are BigDecimals: write them as plain numbers (0.0000113), never as 1.13E-5. */
    @Bean
    JsonMapperBuilderCustomizer plainDecimals() {
        return builder -> builder.enable(StreamWriteFeature.WRITE_BIGDECIMAL_AS_PLAIN);
    }
}
