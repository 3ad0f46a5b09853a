package dev.cirrus.appservice;

import java.time.Clock;

import dev.cirrus.plumbing.EnableCirrusPlumbing;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Bean;

/**
 * The app-service service: owns App Service plans ({@code Microsoft.Web/serverfarms}, package {@code plan}) and, in
 * time, the sites of kind app / api / mobile app. It migrates its database, relays its outbox, follows the apps that
 * run on its plans, and answers health probes and ARM errors.
 */
@SpringBootApplication
@EnableCirrusPlumbing
public class AppServiceApplication {

    public static void main(String[] args) {
        SpringApplication.run(AppServiceApplication.class, args);
    }

    @Bean
    Clock clock() {
        return Clock.systemUTC();
    }
}
