package dev.cirrus.serverless;

import dev.cirrus.plumbing.EnableCirrusPlumbing;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * The serverless service: owns function apps and Logic Apps workflows.
 * The compute family itself arrives in a later issue; today the service runs, migrates its database, relays its
 * outbox and answers health probes and ARM errors.
 */
@SpringBootApplication
@EnableCirrusPlumbing
public class ServerlessApplication {
    public static void main(String[] args) {
        SpringApplication.run(ServerlessApplication.class, args);
    }
}
