package dev.cirrus.billing.usage;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.cirrus.billing.arm.ApiVersion;
import dev.cirrus.billing.price.PriceSheet;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * Usage details ({@code Microsoft.Consumption/usageDetails}, one line per VM per UTC day per size and price) and the
 * subscription's costs per resource and in total ({@code Microsoft.CostManagement/costs}, a Cirrus endpoint). Both take
 * the same period and filter; see {@link UsageQuery}. A subscription without usage has an empty answer, never 404.
 */
@RestController
class UsageController {

    static final String VM_RESOURCE_TYPE = "Microsoft.Compute/virtualMachines";

    private final UsageService usage;
    private final PriceSheet prices;

    UsageController(UsageService usage, PriceSheet prices) {
        this.usage = usage;
        this.prices = prices;
    }

    @GetMapping("/subscriptions/{subscriptionId}/providers/Microsoft.Consumption/usageDetails")
    UsageDetails usageDetails(@PathVariable String subscriptionId,
                              @RequestParam(name = "api-version", required = false) String apiVersion,
                              @RequestParam(required = false) String startDate,
                              @RequestParam(required = false) String endDate,
                              @RequestParam(name = "$filter", required = false) String filter) {
        ApiVersion.require(apiVersion);
        UsageQuery query = usage.query(startDate, endDate, filter);
        String base = "/subscriptions/" + subscriptionId + "/providers/Microsoft.Consumption/usageDetails/";
        return new UsageDetails(usage.usage(subscriptionId, query).stream().map(line -> {
            String name = lineName(line);
            return new UsageDetail(base + name, name, "Microsoft.Consumption/usageDetails", "legacy",
                    new UsageDetailProperties(line.subscriptionId(), line.resourceId(), line.resourceName(),
                            line.resourceGroup(), line.location(), PriceSheet.VM_METER_CATEGORY, line.meterName(),
                            new MeterDetails(line.meterName(), PriceSheet.VM_METER_CATEGORY, PriceSheet.VM_UNIT),
                            PriceSheet.VM_UNIT, line.quantity(), line.unitPrice(), line.unitPrice(), line.cost(),
                            line.currency(), "Usage", line.date().atStartOfDay(ZoneOffset.UTC).toInstant(),
                            line.usageStart(), line.usageEnd(), line.running()));
        }).toList());
    }

    @GetMapping("/subscriptions/{subscriptionId}/providers/Microsoft.CostManagement/costs")
    Costs costs(@PathVariable String subscriptionId,
                @RequestParam(name = "api-version", required = false) String apiVersion,
                @RequestParam(required = false) String startDate,
                @RequestParam(required = false) String endDate,
                @RequestParam(name = "$filter", required = false) String filter) {
        ApiVersion.require(apiVersion);
        CostSummary summary = usage.costs(subscriptionId, usage.query(startDate, endDate, filter));
        List<ResourceCost> resources = summary.resources().stream()
                .map(r -> new ResourceCost(r.resourceId(), r.resourceName(), r.resourceGroup(), VM_RESOURCE_TYPE,
                        r.location(), PriceSheet.VM_METER_CATEGORY, r.hours(), PriceSheet.VM_UNIT, r.cost(),
                        r.running()))
                .toList();
        return new Costs("/subscriptions/" + subscriptionId + "/providers/Microsoft.CostManagement/costs", "costs",
                "Microsoft.CostManagement/costs", new CostProperties(summary.query().from(), summary.query().to(),
                prices.currency(), summary.totalCost(), summary.running(), resources));
    }

    /** A line's name: the same for the same VM, day, size and price in every answer. */
    private static String lineName(UsageLine line) {
        return UUID.nameUUIDFromBytes(("usage:" + line.resourceKey() + "|" + line.date() + "|" + line.meterName()
                + "|" + line.unitPrice().stripTrailingZeros().toPlainString()).getBytes(StandardCharsets.UTF_8)).toString();
    }

    record UsageDetails(List<UsageDetail> value) {
    }

    record UsageDetail(String id, String name, String type, String kind, UsageDetailProperties properties) {
    }

    /**
     * @param quantity  hours, to 10 places
     * @param cost      quantity x unitPrice computed from the exact milliseconds, to 6 places
     * @param date      the UTC day of the line
     * @param isRunning the VM is billed now and this line still grows
     */
    record UsageDetailProperties(String subscriptionId, String resourceId, String resourceName, String resourceGroup,
                                 String resourceLocation, String meterCategory, String meterName,
                                 MeterDetails meterDetails, String unitOfMeasure, BigDecimal quantity,
                                 BigDecimal unitPrice, BigDecimal effectivePrice, BigDecimal cost,
                                 String billingCurrency, String chargeType, Instant date, Instant usageStart,
                                 Instant usageEnd, @JsonProperty("isRunning") boolean isRunning) {
    }

    record MeterDetails(String meterName, String meterCategory, String unitOfMeasure) {
    }

    record Costs(String id, String name, String type, CostProperties properties) {
    }

    /** @param periodEnd exclusive: the midnight after the period's last day */
    record CostProperties(Instant periodStart, Instant periodEnd, String billingCurrency, BigDecimal totalCost,
                          @JsonProperty("isRunning") boolean isRunning, List<ResourceCost> resources) {
    }

    record ResourceCost(String resourceId, String resourceName, String resourceGroup, String resourceType,
                        String resourceLocation, String meterCategory, BigDecimal quantity, String unitOfMeasure,
                        BigDecimal cost, @JsonProperty("isRunning") boolean isRunning) {
    }
}
