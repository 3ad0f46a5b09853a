package dev.cirrus.gateway;

import java.time.Clock;

import dev.cirrus.plumbing.EnableCirrusPlumbing;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.context.annotation.Bean;

/**
 * The gateway: Cirrus's Azure Resource Manager front door. It applies ARM's conventions to every call (request ids,
 * api-version, subscription and resource-group scope, the 4 MB body limit, ARM error bodies), owns resource groups,
 * and routes everything under {@code /providers/{namespace}} to the service that owns that namespace.
 *
 * <p>Reactive (Spring Cloud Gateway on WebFlux): the plumbing's servlet parts are not active here, so the gateway
 * has its own ARM error handling ({@link dev.cirrus.gateway.arm.ArmErrorHandler}); the plumbing still gives it the
 * outbox and its relay. Blocking JDBC work runs on {@code Schedulers.boundedElastic()}.
 */
@SpringBootApplication
@ConfigurationPropertiesScan
@EnableCirrusPlumbing
public class GatewayApplication {

    public static void main(String[] args) {
        SpringApplication.run(GatewayApplication.class, args);
    }

    @Bean
    Clock clock() {
        return Clock.systemUTC();
    }
}
