package dev.cirrus.billing.comparison;

import java.math.BigDecimal;
import java.util.List;

import dev.cirrus.billing.price.PriceSheet;
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
        ScaleSet bounds = request.scaleSet() == null ? new ScaleSet(0, 0) : request.scaleSet();
        var workload = new WorkloadComparison.Workload(request.requestsPerDay(), request.averageDurationMs(),
                request.memoryMb(), request.vcpus(), request.memoryGb(), request.location(),
                request.businessHoursPerDay(), bounds.minInstances(), bounds.maxInstances());
        return new Comparison("/subscriptions/" + subscriptionId
                + "/providers/Microsoft.CostManagement/workloadCostComparison", "workloadCostComparison",
                "Microsoft.CostManagement/workloadCostComparison",
                new Properties(prices.currency(), "30 days (720 h, 2,592,000 s)",
                        WorkloadComparison.compare(workload, prices)));
    }
}
