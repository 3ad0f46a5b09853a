package dev.cirrus.billing.comparison;

import java.math.BigDecimal;
import java.util.List;

import dev.cirrus.billing.price.PriceSheet;
import dev.cirrus.contracts.arm.ArmJson;
import dev.cirrus.contracts.arm.ArmLocations;
import dev.cirrus.plumbing.arm.ArmException;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** The workload cost comparison (a Cirrus endpoint): see {@link WorkloadComparison}. */
@RestController
class WorkloadComparisonController {

    private final PriceSheet prices;

    WorkloadComparisonController(PriceSheet prices) {
        this.prices = prices;
    }

    record Request(Long requestsPerDay, Long averageDurationMs, Integer memoryMb, BigDecimal vcpus,
                   BigDecimal memoryGb, String location, BigDecimal businessHoursPerDay, ScaleSet scaleSet) {
    }

    /** The largest VM Azure offers has 416 vCPUs and about 12 TB of memory: a workload beyond fits nothing. */
    static final BigDecimal MAX_VCPUS = BigDecimal.valueOf(416);
    static final BigDecimal MAX_MEMORY_GB = BigDecimal.valueOf(12 * 1024);
    static final BigDecimal HOURS_PER_DAY = BigDecimal.valueOf(24);

    /**
     * The location compared in (default {@code eastus}), in its programmatic name. Prices differ by region, so a
     * location that is not a region is refused rather than priced: 400 {@code InvalidParameter} when it is neither
     * one of Azure's regions nor a region the price sheet prices.
     */
    private String location(String given) {
        if (given == null || given.isBlank()) {
            return "eastus";
        }
        String location = ArmLocations.require(given, "location");
        if (!ArmLocations.isAzureRegion(location) && !prices.pricesRegion(location)) {
            throw ArmException.invalidParameter("The location '" + given + "' is not a region Cirrus can price. Use "
                    + "one of Azure's region names, for example 'eastus' or 'West Europe'.", "location");
        }
        return location;
    }

    record ScaleSet(int minInstances, int maxInstances) {
    }

    record Comparison(String id, String name, String type, Properties properties) {
    }

    record Properties(String currency, String month, List<WorkloadComparison.Line> options) {
    }

    @PostMapping("/subscriptions/{subscriptionId}/providers/Microsoft.CostManagement/workloadCostComparison")
    Comparison compare(@PathVariable String subscriptionId,
                       @RequestParam(name = "api-version", required = false) String apiVersion,
                       @RequestBody Request request) {
        if (request == null || request.requestsPerDay() == null || request.averageDurationMs() == null
                || request.memoryMb() == null) {
            throw ArmException.invalidParameter("requestsPerDay, averageDurationMs, memoryMb, vcpus and memoryGb are "
                    + "required.", request == null || request.requestsPerDay() == null ? "requestsPerDay"
                    : request.averageDurationMs() == null ? "averageDurationMs" : "memoryMb");
        }
        String location = location(request.location());
        ArmJson.checkRange(request.vcpus(), "vcpus", null, MAX_VCPUS);
        ArmJson.checkRange(request.memoryGb(), "memoryGb", null, MAX_MEMORY_GB);
        ArmJson.checkRange(request.businessHoursPerDay(), "businessHoursPerDay", BigDecimal.ZERO, HOURS_PER_DAY);
        ScaleSet bounds = request.scaleSet() == null ? new ScaleSet(0, 0) : request.scaleSet();
        var workload = new WorkloadComparison.Workload(request.requestsPerDay(), request.averageDurationMs(),
                request.memoryMb(), request.vcpus(), request.memoryGb(), location,
                request.businessHoursPerDay(), bounds.minInstances(), bounds.maxInstances());
        return new Comparison("/subscriptions/" + subscriptionId
                + "/providers/Microsoft.CostManagement/workloadCostComparison", "workloadCostComparison",
                "Microsoft.CostManagement/workloadCostComparison",
                new Properties(prices.currency(), "30 days (720 h, 2,592,000 s)",
                        WorkloadComparison.compare(workload, prices)));
    }
}
