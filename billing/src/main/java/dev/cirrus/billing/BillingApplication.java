package dev.cirrus.billing;

import dev.cirrus.plumbing.EnableCirrusPlumbing;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/**
 * The billing service: the price sheet, VM seconds metered from the {@code cirrus.compute.vm} event stream, and the
 * usage and cost APIs ({@code Microsoft.Consumption}, {@code Microsoft.CostManagement}).
 *
 * <p>Features, one package each: {@code price} (the price sheet, data read at start-up), {@code meter} (the VM
 * meter: events in, billed intervals out), {@code usage} (usage details and costs computed from the intervals).
 */
@SpringBootApplication
@EnableCirrusPlumbing
@ConfigurationPropertiesScan
public class BillingApplication {
    public static void main(String[] args) {
        SpringApplication.run(BillingApplication.class, args);
    }
}
