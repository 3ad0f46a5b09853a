package dev.cirrus.serverless;

import java.time.Clock;
import java.time.Duration;

import dev.cirrus.plumbing.EnableCirrusPlumbing;
import dev.cirrus.serverless.runtime.FunctionsProperties;
import dev.cirrus.serverless.runtime.JavaScriptRuntime;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.scheduling.annotation.EnableScheduling;
import tools.jackson.databind.ObjectMapper;

/**
 * The serverless service: owns function apps (Microsoft.Web/sites of kind functionapp), their functions, the
 * Functions host that runs them, and their executions. Logic Apps workflows are not built yet.
 */
@SpringBootApplication
@EnableCirrusPlumbing
@EnableScheduling
@EnableConfigurationProperties(FunctionsProperties.class)
public class ServerlessApplication {

    public static void main(String[] args) {
        SpringApplication.run(ServerlessApplication.class, args);
    }

    @Bean
    Clock clock() {
        return Clock.systemUTC();
    }

    @Bean(destroyMethod = "close")
    JavaScriptRuntime javaScriptRuntime(ObjectMapper json,
                                        // 5 ms: a limit overshoots by at most one period
                                        @Value("${cirrus.functions.watchdog-period:5ms}") Duration watchdogPeriod) {
        return new JavaScriptRuntime(json, watchdogPeriod);
    }
}
