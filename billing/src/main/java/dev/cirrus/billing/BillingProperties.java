package dev.cirrus.billing;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The settings of the billing service ({@code cirrus.billing.*}); the Kafka brokers come from the shared
 * {@code cirrus.kafka.bootstrap-servers}.
 *
 * @param priceSheet where the price sheet is: a file path, or {@code classpath:...}; unset means the sheet shipped
 *                   in the jar ({@link dev.cirrus.billing.price.PriceSheetLoader#SHIPPED})
 * @param vm         how VM seconds are metered
 */
@ConfigurationProperties("cirrus.billing")
public record BillingProperties(String priceSheet, Vm vm) {

    public BillingProperties {
        if (priceSheet != null && priceSheet.isBlank()) {
            priceSheet = null;
        }
        if (vm == null) {
            vm = new Vm(false);
        }
    }

    /**
     * @param billStarting whether the {@code starting} power state is billed. Default false: Azure's documents
     *                     disagree (reference §2.4), and Cirrus bills from {@code running} on.
     */
    public record Vm(boolean billStarting) {
    }
}
