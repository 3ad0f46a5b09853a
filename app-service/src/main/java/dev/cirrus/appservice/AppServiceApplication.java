package dev.cirrus.appservice;

import dev.cirrus.plumbing.EnableCirrusPlumbing;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * The app-service service: owns App Service plans and sites (web apps, API apps, WebJobs, mobile backends).
 * The compute family itself is not built yet; today the service runs, migrates its database, relays its
 * outbox and answers health probes and ARM errors.
 */
@SpringBootApplication
@EnableCirrusPlumbing
public class AppServiceApplication {
    public static void main(String[] args) {
        SpringApplication.run(AppServiceApplication.class, args);
    }
}
