package dev.cirrus.computecontainer;

import java.time.Clock;

import dev.cirrus.plumbing.EnableCirrusPlumbing;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Bean;

/**
 * The compute-container service: owns container groups ({@code Microsoft.ContainerInstance/containerGroups},
 * package {@code group}), placed by the placement engine ({@code placement}) and run on a Docker engine
 * ({@code runtime}), and managed clusters ({@code Microsoft.ContainerService/managedClusters}, package
 * {@code cluster}) whose agent pools are scale sets of compute-vm. It migrates its database, relays its outbox and
 * answers health probes and ARM errors.
 */
@SpringBootApplication
@EnableCirrusPlumbing
public class ComputeContainerApplication {

    public static void main(String[] args) {
        SpringApplication.run(ComputeContainerApplication.class, args);
    }

    @Bean
    Clock clock() {
        return Clock.systemUTC();
    }
}
