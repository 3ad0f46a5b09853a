package dev.cirrus.billing.price;

import java.math.BigDecimal;
import java.util.List;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** The price sheet, read-only, in the shape of {@code Microsoft.Consumption/pricesheets}. */
@RestController
class PriceSheetController {

    private final PriceSheet sheet;

    PriceSheetController(PriceSheet sheet) {
        this.sheet = sheet;
    }

    @GetMapping("/subscriptions/{subscriptionId}/providers/Microsoft.Consumption/pricesheets/default")
    PriceSheetResource priceSheet(@PathVariable String subscriptionId,
                                  @RequestParam(name = "api-version", required = false) String apiVersion) {
        List<PriceSheetEntry> entries = sheet.meters().stream()
                .map(m -> new PriceSheetEntry(m.meterId(), m.meterName(), m.meterCategory(), m.meterRegion(),
                        m.unitOfMeasure(), m.unitPrice(), m.includedQuantity(), sheet.currency()))
                .toList();
        return new PriceSheetResource(
                "/subscriptions/" + subscriptionId + "/providers/Microsoft.Consumption/pricesheets/default", "default",
                "Microsoft.Consumption/pricesheets", new Properties(sheet.version(), entries));
    }

    record PriceSheetResource(String id, String name, String type, Properties properties) {
    }

    /** @param priceSheetVersion the {@code version} of the sheet file (a Cirrus addition) */
    record Properties(String priceSheetVersion, List<PriceSheetEntry> pricesheets) {
    }

    record PriceSheetEntry(String meterId, String meterName, String meterCategory, String meterRegion,
                           String unitOfMeasure, BigDecimal unitPrice, BigDecimal includedQuantity,
                           String currencyCode) {
    }
}
