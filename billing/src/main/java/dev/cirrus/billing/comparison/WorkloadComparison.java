package dev.cirrus.billing.comparison;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import dev.cirrus.billing.price.PriceSheet;
import dev.cirrus.plumbing.arm.ArmException;

/**
 * What one workload would cost for a month on each compute family, each line with its formula: Cirrus's
 * point about micro-billing made concrete (a Function that runs rarely costs nothing under the free grant; an
 * always-on VM costs the same whether it serves one request or a million).
 *
 * <p>A month is 30 days (720 h, 2,592,000 s). The steady need ({@code vcpus}, {@code memoryGb}) sizes the VM, the
 * scale set, the container group and the App Service plan; the requests (per day, average duration, memory) size
 * Functions on the Consumption plan, with the monthly free grant. Prices come from the price sheet; the sizes' and
 * tiers' vCPU and memory from {@link Capacities}.
 *
 * <p>Worked example (shipped sheet), 2 vCPU / 4 GB steady, 100,000 requests a day of 200 ms at 512 MB:
 * VM Standard_B2s 0.0416 x 720 = 29.952; Functions 3,000,000 executions and 300,000 GB-s: (3,000,000 - 1,000,000) x
 * 0.20 / 1,000,000 + max(0, 300,000 - 400,000) x 0.000016 = 0.40.
 */
final class WorkloadComparison {

    static final BigDecimal HOURS = BigDecimal.valueOf(720);
    static final BigDecimal SECONDS = BigDecimal.valueOf(2_592_000);
    static final BigDecimal DAYS = BigDecimal.valueOf(30);

    /**
     * @param businessHoursPerDay hours a day the VM runs when it is deallocated off-hours
     */
    record Workload(long requestsPerDay, long averageDurationMs, int memoryMb, BigDecimal vcpus, BigDecimal memoryGb,
                    String location, BigDecimal businessHoursPerDay, int scaleSetMinInstances,
                    int scaleSetMaxInstances) {

        Workload {
            require(requestsPerDay >= 0, "requestsPerDay must not be negative", "requestsPerDay");
            require(averageDurationMs >= 0, "averageDurationMs must not be negative", "averageDurationMs");
            require(memoryMb > 0, "memoryMb must be positive", "memoryMb");
            require(vcpus != null && vcpus.signum() > 0, "vcpus must be positive", "vcpus");
            require(memoryGb != null && memoryGb.signum() > 0, "memoryGb must be positive", "memoryGb");
            location = location == null || location.isBlank() ? "eastus" : location;
            // default 12 h: a working day with margins, the usual "deallocate off-hours" schedule
            businessHoursPerDay = businessHoursPerDay == null ? BigDecimal.valueOf(12) : businessHoursPerDay;
            require(businessHoursPerDay.signum() >= 0 && businessHoursPerDay.compareTo(BigDecimal.valueOf(24)) <= 0,
                    "businessHoursPerDay must be from 0 to 24", "businessHoursPerDay");
            // default bounds 1..10: a scale set that never scales to zero and stays small
            scaleSetMinInstances = scaleSetMaxInstances == 0 && scaleSetMinInstances == 0 ? 1 : scaleSetMinInstances;
            scaleSetMaxInstances = scaleSetMaxInstances == 0 ? Math.max(10, scaleSetMinInstances) : scaleSetMaxInstances;
            require(scaleSetMinInstances >= 0 && scaleSetMaxInstances >= scaleSetMinInstances
                            && scaleSetMaxInstances <= 1000, "the scale set bounds must satisfy 0 <= min <= max <= 1000",
                    "scaleSet");
        }
    }

    /** One option: its monthly cost (rounded to 6 places), whether it fits the workload, and how it was computed. */
    record Line(String option, String sku, BigDecimal monthlyCost, boolean fits, String formula) {
    }

    static List<Line> compare(Workload w, PriceSheet prices) {
        List<Line> lines = new ArrayList<>();
        Optional<Priced> vm = Capacities.VM_SIZES.entrySet().stream()
                .filter(e -> e.getValue().fits(w.vcpus(), w.memoryGb()))
                .flatMap(e -> prices.vmRate(e.getKey(), w.location()).map(r -> new Priced(r.size(), r.perHour(),
                        e.getValue())).stream())
                .min(Comparator.comparing(Priced::perHour).thenComparing(Priced::name));
        if (vm.isPresent()) {
            Priced v = vm.get();
            lines.add(line("Virtual machine, always on", v.name(), v.perHour().multiply(HOURS), true,
                    plain(v.perHour()) + " USD/h x 720 h"));
            lines.add(line("Virtual machine, deallocated off-hours", v.name(),
                    v.perHour().multiply(w.businessHoursPerDay()).multiply(DAYS), true, plain(v.perHour()) + " USD/h x "
                            + plain(w.businessHoursPerDay()) + " h/day x 30 days (deallocated VMs are not billed)"));
        } else {
            lines.add(new Line("Virtual machine, always on", null, null, false,
                    "no priced size has " + plain(w.vcpus()) + " vCPU and " + plain(w.memoryGb()) + " GB"));
        }
        Optional<Priced> smallest = Capacities.VM_SIZES.entrySet().stream()
                .flatMap(e -> prices.vmRate(e.getKey(), w.location()).map(r -> new Priced(r.size(), r.perHour(),
                        e.getValue())).stream())
                .min(Comparator.comparing(Priced::perHour).thenComparing(Priced::name));
        smallest.ifPresent(s -> {
            int needed = s.capacity().instancesFor(w.vcpus(), w.memoryGb());
            int instances = Math.max(w.scaleSetMinInstances(), Math.min(needed, w.scaleSetMaxInstances()));
            lines.add(line("Virtual machine scale set", s.name(), s.perHour().multiply(BigDecimal.valueOf(instances))
                            .multiply(HOURS), needed <= w.scaleSetMaxInstances(), instances + " x " + plain(s.perHour())
                            + " USD/h x 720 h (" + needed + " instance(s) of " + s.capacity() + " needed, bounds "
                            + w.scaleSetMinInstances() + ".." + w.scaleSetMaxInstances() + ")"));
        });
        PriceSheet.ContainerInstances ci = prices.containerInstances();
        lines.add(line("Container group", null, w.vcpus().multiply(ci.perVcpuSecond()).multiply(SECONDS)
                        .add(w.memoryGb().multiply(ci.perGbSecond()).multiply(SECONDS)), true,
                plain(w.vcpus()) + " vCPU x " + plain(ci.perVcpuSecond()) + " USD/vCPU-s x 2,592,000 s + "
                        + plain(w.memoryGb()) + " GB x " + plain(ci.perGbSecond()) + " USD/GB-s x 2,592,000 s"));
        Optional<Line> plan = prices.appService().tiers().entrySet().stream()
                .filter(e -> Capacities.TIERS.containsKey(e.getKey()))
                .map(e -> {
                    int n = Capacities.TIERS.get(e.getKey()).instancesFor(w.vcpus(), w.memoryGb());
                    BigDecimal price = e.getValue().perInstanceHour();
                    return line("App Service plan", e.getKey(), price.multiply(BigDecimal.valueOf(n)).multiply(HOURS),
                            true, n + " instance(s) of " + Capacities.TIERS.get(e.getKey()) + " x " + plain(price)
                                    + " USD/h x 720 h");
                })
                .min(Comparator.comparing(Line::monthlyCost).thenComparing(Line::sku));
        plan.ifPresent(lines::add);
        lines.add(functions(w, prices.functions()));
        return lines;
    }

    private static Line functions(Workload w, PriceSheet.Functions f) {
        long executions = w.requestsPerDay() * 30;
        long buckets = (Math.max(w.memoryMb(), 128) + 127) / 128;
        BigDecimal seconds = BigDecimal.valueOf(w.averageDurationMs()).movePointLeft(3).max(new BigDecimal("0.1"));
        BigDecimal perExecution = new BigDecimal("0.125").multiply(BigDecimal.valueOf(buckets)).multiply(seconds);
        BigDecimal gbSeconds = perExecution.multiply(BigDecimal.valueOf(executions));
        BigDecimal billableExecutions = BigDecimal.valueOf(executions).subtract(f.freeExecutionsPerMonth())
                .max(BigDecimal.ZERO);
        BigDecimal billableGbSeconds = gbSeconds.subtract(f.freeGbSecondsPerMonth()).max(BigDecimal.ZERO);
        BigDecimal cost = billableExecutions.multiply(f.perMillionExecutions()).movePointLeft(6)
                .add(billableGbSeconds.multiply(f.perGbSecond()));
        boolean fits = w.memoryMb() <= 1536 && w.averageDurationMs() <= 600_000;
        return line("Functions (Consumption)", null, cost, fits, "max(0, " + executions + " - "
                + plain(f.freeExecutionsPerMonth()) + ") executions x " + plain(f.perMillionExecutions())
                + " USD/1M + max(0, " + plain(gbSeconds) + " - " + plain(f.freeGbSecondsPerMonth()) + ") GB-s x "
                + plain(f.perGbSecond()) + " USD/GB-s; GB-s per execution = ceil(max(" + w.memoryMb()
                + ", 128)/128) x 128/1024 x max(" + plain(BigDecimal.valueOf(w.averageDurationMs()).movePointLeft(3))
                + " s, 0.1 s) = " + plain(perExecution) + (fits ? "" : "; does not fit: Consumption allows at most "
                + "1,536 MB and 10 minutes per execution"));
    }

    private record Priced(String name, BigDecimal perHour, Capacities.Capacity capacity) {
    }

    private static Line line(String option, String sku, BigDecimal exact, boolean fits, String formula) {
        return new Line(option, sku, exact.setScale(6, RoundingMode.HALF_UP), fits, formula);
    }

    private static String plain(BigDecimal d) {
        return d.stripTrailingZeros().toPlainString();
    }

    private static void require(boolean ok, String message, String target) {
        if (!ok) {
            throw ArmException.invalidParameter(message + ".", target);
        }
    }

    /** The vCPU and memory of the VM sizes and App Service tiers the comparison may choose. */
    static final class Capacities {

        record Capacity(BigDecimal vcpus, BigDecimal memoryGb) {
            boolean fits(BigDecimal v, BigDecimal m) {
                return vcpus.compareTo(v) >= 0 && memoryGb.compareTo(m) >= 0;
            }

            int instancesFor(BigDecimal v, BigDecimal m) {
                return Math.max(v.divide(vcpus, 0, RoundingMode.CEILING).intValueExact(),
                        m.divide(memoryGb, 0, RoundingMode.CEILING).intValueExact());
            }

            @Override
            public String toString() {
                return plain(vcpus) + " vCPU / " + plain(memoryGb) + " GB";
            }
        }

        private static Capacity c(String v, String m) {
            return new Capacity(new BigDecimal(v), new BigDecimal(m));
        }

        /** Azure's published vCPU and memory (GiB) of the sizes Cirrus prices. */
        static final Map<String, Capacity> VM_SIZES = Map.ofEntries(
                Map.entry("Standard_B1s", c("1", "1")), Map.entry("Standard_B1ms", c("1", "2")),
                Map.entry("Standard_B2s", c("2", "4")), Map.entry("Standard_B2ms", c("2", "8")),
                Map.entry("Standard_D2s_v5", c("2", "8")), Map.entry("Standard_D4s_v5", c("4", "16")),
                Map.entry("Standard_D8s_v5", c("8", "32")), Map.entry("Standard_E2s_v5", c("2", "16")),
                Map.entry("Standard_E4s_v5", c("4", "32")), Map.entry("Standard_F2s_v2", c("2", "4")),
                Map.entry("Standard_F4s_v2", c("4", "8")));

        /** Dedicated App Service tiers (Free and Shared run on shared cores and are not offered for a steady need). */
        static final Map<String, Capacity> TIERS = Map.ofEntries(
                Map.entry("B1", c("1", "1.75")), Map.entry("B2", c("2", "3.5")), Map.entry("B3", c("4", "7")),
                Map.entry("S1", c("1", "1.75")), Map.entry("S2", c("2", "3.5")), Map.entry("S3", c("4", "7")),
                Map.entry("P0v3", c("1", "4")), Map.entry("P1v3", c("2", "8")), Map.entry("P2v3", c("4", "16")),
                Map.entry("P3v3", c("8", "32")));

        private Capacities() {
        }
    }
}
