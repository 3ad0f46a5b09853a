package dev.cirrus.billing.usage;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import dev.cirrus.billing.price.PriceSheet;
import dev.cirrus.contracts.arm.PageRequest;
import dev.cirrus.plumbing.arm.ArmPaging;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * Usage details ({@code Microsoft.Consumption/usageDetails}, one line per resource per UTC day per meter and price) and the
 * subscription's costs per resource and in total ({@code Microsoft.CostManagement/costs}, a Cirrus endpoint). Both take
 * the same period and filter; see {@link UsageQuery}. A subscription without usage has an empty answer, never 404.
 */
@RestController
class UsageController {

    private final UsageService usage;
    private final PriceSheet prices;

    UsageController(UsageService usage, PriceSheet prices) {
        this.usage = usage;
        this.prices = prices;
    }

    /** The largest page of usage details, and the page size when {@code $top} is not given (Azure's default). */
    static final int MAX_PAGE = 1000;

    @GetMapping("/subscriptions/{subscriptionId}/providers/Microsoft.Consumption/usageDetails")
    UsageDetails subscriptionUsage(@PathVariable String subscriptionId,
                                   @RequestParam(name = "api-version", required = false) String apiVersion,
                                   @RequestParam(required = false) String startDate,
                                   @RequestParam(required = false) String endDate,
                                   @RequestParam(name = "$filter", required = false) String filter) {
        return usageDetails(subscriptionId, null, null, apiVersion, startDate, endDate, filter);
    }

    @GetMapping("/subscriptions/{subscriptionId}/resourceGroups/{resourceGroup}/providers/Microsoft.Consumption/usageDetails")
    UsageDetails resourceGroupUsage(@PathVariable String subscriptionId, @PathVariable String resourceGroup,
                                    @RequestParam(name = "api-version", required = false) String apiVersion,
                                    @RequestParam(required = false) String startDate,
                                    @RequestParam(required = false) String endDate,
                                    @RequestParam(name = "$filter", required = false) String filter) {
        return usageDetails(subscriptionId, resourceGroup, null, apiVersion, startDate, endDate, filter);
    }

    /** A resource's usage: {@code {resource id}/providers/Microsoft.Consumption/usageDetails}, for a top-level type. */
    @GetMapping("/subscriptions/{subscriptionId}/resourceGroups/{resourceGroup}/providers/{namespace}/{type}/{name}/providers/Microsoft.Consumption/usageDetails")
    UsageDetails resourceUsage(@PathVariable String subscriptionId, @PathVariable String resourceGroup,
                               @PathVariable String namespace, @PathVariable String type, @PathVariable String name,
                               @RequestParam(name = "api-version", required = false) String apiVersion,
                               @RequestParam(required = false) String startDate,
                               @RequestParam(required = false) String endDate,
                               @RequestParam(name = "$filter", required = false) String filter) {
        String resourceId = "/subscriptions/" + subscriptionId + "/resourceGroups/" + resourceGroup + "/providers/"
                + namespace + "/" + type + "/" + name;
        return usageDetails(subscriptionId, resourceGroup, resourceId, apiVersion, startDate, endDate, filter);
    }

    /**
     * One page of usage lines: at most {@code $top} lines (capped at {@value #MAX_PAGE}, the default) from the
     * position {@code $skiptoken} names — the shared paging scheme ({@link ArmPaging}); the lines are computed on
     * each call, so the token carries an offset into them. {@code nextLink} (the same request with the next
     * skiptoken, addressed to the host the client called, the gateway) while more remain.
     */
    private UsageDetails usageDetails(String subscriptionId, String scopeGroup, String scopeId, String apiVersion,
                                      String startDate, String endDate, String filter) {
        PageRequest request = ArmPaging.request(MAX_PAGE);
        int pageSize = request.size();
        long skip = request.offset();
        UsageQuery query = usage.query(startDate, endDate, filter).within(scopeGroup, scopeId);
        String base = "/subscriptions/" + subscriptionId + "/providers/Microsoft.Consumption/usageDetails/";
        List<UsageLine> lines = usage.usage(subscriptionId, query);
        List<UsageDetail> page = lines.stream().skip(skip).limit(pageSize).map(line -> {
            String name = lineName(line);
            return new UsageDetail(base + name, name, "Microsoft.Consumption/usageDetails", "legacy",
                    new UsageDetailProperties(line.subscriptionId(), line.resourceId(), line.resourceName(),
                            line.resourceGroup(), line.location(), line.meterCategory(), line.meterName(),
                            new MeterDetails(line.meterName(), line.meterCategory(), line.unitOfMeasure()),
                            line.unitOfMeasure(), line.quantity(), line.unitPrice(), line.unitPrice(), line.cost(),
                            line.currency(), "Usage", line.date().atStartOfDay(ZoneOffset.UTC).toInstant(),
                            line.usageStart(), line.usageEnd(), line.running()));
        }).toList();
        String next = skip + pageSize < lines.size() ? ArmPaging.nextLink(String.valueOf(skip + pageSize)) : null;
        return new UsageDetails(page, next);
    }

    @GetMapping("/subscriptions/{subscriptionId}/providers/Microsoft.CostManagement/costs")
    Costs costs(@PathVariable String subscriptionId,
                @RequestParam(name = "api-version", required = false) String apiVersion,
                @RequestParam(required = false) String startDate,
                @RequestParam(required = false) String endDate,
                @RequestParam(name = "$filter", required = false) String filter) {
        CostSummary summary = usage.costs(subscriptionId, usage.query(startDate, endDate, filter));
        List<ResourceCost> resources = summary.resources().stream()
                .map(r -> new ResourceCost(r.resourceId(), r.resourceName(), r.resourceGroup(), r.resourceType(),
                        r.location(), r.meterCategory(), r.quantity(), r.unitOfMeasure(), r.cost(), r.running()))
                .toList();
        return new Costs("/subscriptions/" + subscriptionId + "/providers/Microsoft.CostManagement/costs", "costs",
                "Microsoft.CostManagement/costs", new CostProperties(summary.query().from(), summary.query().to(),
                prices.currency(), summary.totalCost(), summary.running(), resources));
    }

    /** A line's name: the same for the same resource, day, meter and price in every answer. */
    private static String lineName(UsageLine line) {
        return UUID.nameUUIDFromBytes(("usage:" + line.resourceKey() + "|" + line.date() + "|" + line.meterName()
                + "|" + line.unitPrice().stripTrailingZeros().toPlainString()).getBytes(StandardCharsets.UTF_8)).toString();
    }

    /** @param nextLink the next page, or null on the last one (then omitted) */
    record UsageDetails(List<UsageDetail> value, @JsonInclude(JsonInclude.Include.NON_NULL) String nextLink) {
    }

    record UsageDetail(String id, String name, String type, String kind, UsageDetailProperties properties) {
    }

    /**
     * @param quantity  hours, to 10 places
     * @param cost      quantity x unitPrice computed from the exact milliseconds, to 6 places
     * @param date      the UTC day of the line
     * @param isRunning the resource is billed now and this line still grows
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
