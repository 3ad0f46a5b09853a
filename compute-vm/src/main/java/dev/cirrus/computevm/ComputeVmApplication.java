package dev.cirrus.computevm;

import java.time.Clock;

import dev.cirrus.plumbing.EnableCirrusPlumbing;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.context.annotation.Bean;

/**
 * The compute-vm service: owns {@code Microsoft.Compute/virtualMachines} and availability sets (scale sets and
 * Batch are not built yet). Features live in their packages: {@code vm} (the resource, its provisioning worker),
 * {@code operation} (ARM long-running operation status), {@code placement} (the gRPC client of the placement
 * engine), {@code size} (the VM size catalogue) and {@code arm} (ARM request conventions this service applies).
 */
@SpringBootApplication
@EnableCirrusPlumbing
@ConfigurationPropertiesScan
public class ComputeVmApplication {

    public static void main(String[] args) {
        SpringApplication.run(ComputeVmApplication.class, args);
    }

    /** All domain time comes from here, so tests and simulations can control it. */
    @Bean
    @ConditionalOnMissingBean
    Clock clock() {
        return Clock.systemUTC();
    }
}
