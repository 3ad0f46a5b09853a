package dev.cirrus.billing.price;

import dev.cirrus.billing.BillingProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
class PriceSheetConfiguration {

    private static final Logger log = LoggerFactory.getLogger(PriceSheetConfiguration.class);

    /** Read once at start-up; an invalid sheet stops the start. */
    @Bean
    PriceSheet priceSheet(BillingProperties properties) {
        PriceSheet sheet = PriceSheetLoader.load(properties.priceSheet());
        log.info("price sheet {} from {}: {} VM sizes, {} meters", sheet.version(),
                properties.priceSheet() == null ? PriceSheetLoader.SHIPPED : properties.priceSheet(),
                sheet.virtualMachines().sizes().size(), sheet.meters().size());
        return sheet;
    }
}
