package dev.cirrus.billing;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The settings of the billing service ({@code cirrus.billing.*}); the Kafka brokers come from the shared
 * {@code cirrus.kafka.bootstrap-servers}.
 *
 * @param priceSheet where the price sheet is: a file path, or {@code classpath:...}; unset means the sheet shipped
 *                   in the jar ({@link dev.cirrus.billing.price.PriceSheetLoader#SHIPPED})
 * @param vm         how VM seconds are metered
 * @param meter      how the meter consumes the event stream
 */
@ConfigurationProperties("cirrus.billing")
public record BillingProperties(String priceSheet, Vm vm, Meter meter) {

    public BillingProperties {
        if (priceSheet != null && priceSheet.isBlank()) {
            priceSheet = null;
        }
        if (vm == null) {
            vm = new Vm(false);
        }
        if (meter == null) {
            meter = new Meter(0, null);
        }
    }

    /**
     * @param billStarting whether the {@code starting} power state is billed. Default false: Azure's documents
     *                     disagree, and Cirrus bills from {@code running} on.
     */
    public record Vm(boolean billStarting) {
    }

    /**
     * @param maxPollRecords events read and applied per database transaction. Default 2000: large enough that the
     *                       per-transaction cost is spread thin (the ingestion benchmark), small enough that a batch
     *                       commits in well under a second.
     * @param consumerGroup  the Kafka consumer group. Default {@code billing-meter}; only a second billing sharing
     *                       one Kafka with its own database (tests, benchmarks) needs another.
     */
    public record Meter(int maxPollRecords, String consumerGroup) {
        public Meter {
            if (consumerGroup == null || consumerGroup.isBlank()) {
                consumerGroup = "billing-meter";
            }
            if (maxPollRecords < 0) {
                throw new IllegalArgumentException("cirrus.billing.meter.max-poll-records must not be negative: "
                        + maxPollRecords);
            }
            if (maxPollRecords == 0) {
                maxPollRecords = 2000;
            }
        }
    }
}
