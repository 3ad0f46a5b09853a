package dev.cirrus.computecontainer;

import dev.cirrus.plumbing.EnableCirrusPlumbing;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * The compute-container service: owns container groups (ACI) and managed clusters (AKS).
 * The compute family itself is not built yet; today the service runs, migrates its database, relays its
 * outbox and answers health probes and ARM errors.
 */
@SpringBootApplication
@EnableCirrusPlumbing
public class ComputeContainerApplication {
    public static void main(String[] args) {
        SpringApplication.run(ComputeContainerApplication.class, args);
    }
}
