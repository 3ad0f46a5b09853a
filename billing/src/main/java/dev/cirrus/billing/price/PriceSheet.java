package dev.cirrus.billing.price;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;

import dev.cirrus.contracts.arm.ArmLocations;

/**
 * The prices Cirrus bills at, as data: the VM sizes per hour (a default for every region, optional per-region
 * overrides) and the other compute families' meters. Read from a YAML file by {@link PriceSheetLoader}; a sheet
 * with a missing or negative price never gets past {@link #problems()}.
 *
 * <p>All amounts are exact {@link BigDecimal}s in {@link #currency()} (always USD).
 */
public record PriceSheet(String version, String currency, VirtualMachines virtualMachines,
                         ContainerInstances containerInstances, AppService appService, Functions functions,
                         LogicApps logicApps, KubernetesService kubernetesService) {

    /** The meter category of VM compute, as usage details and the price sheet name it. */
    public static final String VM_METER_CATEGORY = "Virtual Machines";
    /** The meter category of the AKS cluster-management tier. */
    public static final String KUBERNETES_METER_CATEGORY = "Azure Kubernetes Service";
    /** The unit VM prices are quoted in; billing is per second of it. */
    public static final String VM_UNIT = "1 Hour";
    /** The {@code meterRegion} of a price that applies in every region without an override. */
    public static final String ALL_REGIONS = "Global";

    /** @param sizes VM size name (case-insensitive) to its price */
    public record VirtualMachines(Map<String, VmSizePrice> sizes) {
    }

    /**
     * @param perHour the price in every region without an override
     * @param regions overrides by normalised location ({@code westeurope}); may be absent
     */
    public record VmSizePrice(BigDecimal perHour, Map<String, BigDecimal> regions) {
    }

    /** Container groups: per second of requested vCPU and of requested memory (GB). */
    public record ContainerInstances(BigDecimal perVcpuSecond, BigDecimal perGbSecond) {
    }

    /** @param tiers App Service plan SKU name ({@code B1}, {@code P1v3}) to its price */
    public record AppService(Map<String, TierPrice> tiers) {
    }

    /** @param perInstanceHour the price of one plan instance for one hour */
    public record TierPrice(BigDecimal perInstanceHour) {
    }

    /** Functions on the Consumption plan, with the monthly free grant per subscription. */
    public record Functions(BigDecimal perMillionExecutions, BigDecimal perGbSecond, BigDecimal freeExecutionsPerMonth,
                            BigDecimal freeGbSecondsPerMonth) {
    }

    /** Logic Apps Consumption: per trigger or action execution, by connector class. */
    public record LogicApps(BigDecimal perBuiltInAction, BigDecimal perStandardConnectorAction,
                            BigDecimal perEnterpriseConnectorAction) {
    }

    /**
     * AKS: the cluster-management tier per cluster-hour while the cluster runs (its nodes are billed as VMs of their
     * size).
     *
     * @param tiers {@code sku.tier} (Free, Standard, Premium; case-insensitive) to its price
     */
    public record KubernetesService(Map<String, ClusterTierPrice> tiers) {
    }

    /** @param perClusterHour the price of one running cluster of the tier for one hour */
    public record ClusterTierPrice(BigDecimal perClusterHour) {
    }

    /** The hourly price of a VM size in a location, with the size named as the sheet names it. */
    public record VmRate(String size, BigDecimal perHour) {
    }

    /**
     * One priced meter, as the price-sheet API lists it.
     *
     * @param includedQuantity free quantity per month, in {@code unitOfMeasure}
     */
    public record Meter(String meterId, String meterCategory, String meterName, String meterRegion,
                        String unitOfMeasure, BigDecimal unitPrice, BigDecimal includedQuantity) {
    }

    /**
     * The hourly price of {@code size} in {@code location}: the location's override if the sheet has one, else the
     * size's default. Sizes match case-insensitively; locations are normalised ("West Europe" = "westeurope").
     */
    public Optional<VmRate> vmRate(String size, String location) {
        if (size == null) {
            return Optional.empty();
        }
        String region = normaliseLocation(location);
        for (Map.Entry<String, VmSizePrice> e : virtualMachines.sizes().entrySet()) {
            if (e.getKey().equalsIgnoreCase(size)) {
                VmSizePrice price = e.getValue();
                if (price.regions() != null && region != null) {
                    for (Map.Entry<String, BigDecimal> r : price.regions().entrySet()) {
                        if (normaliseLocation(r.getKey()).equals(region)) {
                            return Optional.of(new VmRate(e.getKey(), r.getValue()));
                        }
                    }
                }
                return Optional.of(new VmRate(e.getKey(), price.perHour()));
            }
        }
        return Optional.empty();
    }

    /** ARM's normal form of a location: lower case without spaces ("West Europe" becomes "westeurope"). */
    public static String normaliseLocation(String location) {
        return ArmLocations.normalise(location);
    }

    /** Whether some VM size has a price override for the location (given either way). */
    public boolean pricesRegion(String location) {
        String region = normaliseLocation(location);
        return virtualMachines.sizes().values().stream().anyMatch(p -> p.regions() != null
                && p.regions().keySet().stream().anyMatch(r -> normaliseLocation(r).equals(region)));
    }

    /** Every priced meter of the sheet, in the order of the file: VMs, containers, App Service, Functions, Logic Apps, AKS. */
    public List<Meter> meters() {
        List<Meter> meters = new ArrayList<>();
        virtualMachines.sizes().forEach((size, price) -> {
            meters.add(meter(VM_METER_CATEGORY, size, ALL_REGIONS, VM_UNIT, price.perHour(), BigDecimal.ZERO));
            if (price.regions() != null) {
                price.regions().forEach((region, perHour) -> meters.add(meter(VM_METER_CATEGORY, size,
                        normaliseLocation(region), VM_UNIT, perHour, BigDecimal.ZERO)));
            }
        });
        meters.add(meter("Container Instances", "vCPU Duration", ALL_REGIONS, "1 vCPU Second",
                containerInstances.perVcpuSecond(), BigDecimal.ZERO));
        meters.add(meter("Container Instances", "Memory Duration", ALL_REGIONS, "1 GB Second",
                containerInstances.perGbSecond(), BigDecimal.ZERO));
        appService.tiers().forEach((tier, price) -> meters.add(
                meter("Azure App Service", tier, ALL_REGIONS, "1 Hour", price.perInstanceHour(), BigDecimal.ZERO)));
        meters.add(meter("Functions", "Total Executions", ALL_REGIONS, "1M", functions.perMillionExecutions(),
                functions.freeExecutionsPerMonth().movePointLeft(6).stripTrailingZeros()));
        meters.add(meter("Functions", "Execution Time", ALL_REGIONS, "1 GB Second", functions.perGbSecond(),
                functions.freeGbSecondsPerMonth()));
        meters.add(meter("Logic Apps", "Consumption Built-in Actions", ALL_REGIONS, "1 Execution",
                logicApps.perBuiltInAction(), BigDecimal.ZERO));
        meters.add(meter("Logic Apps", "Consumption Standard Connector Actions", ALL_REGIONS, "1 Execution",
                logicApps.perStandardConnectorAction(), BigDecimal.ZERO));
        meters.add(meter("Logic Apps", "Consumption Enterprise Connector Actions", ALL_REGIONS, "1 Execution",
                logicApps.perEnterpriseConnectorAction(), BigDecimal.ZERO));
        kubernetesService.tiers().forEach((tier, price) -> meters.add(meter(KUBERNETES_METER_CATEGORY,
                tier + " Cluster Management", ALL_REGIONS, "1 Hour", price.perClusterHour(), BigDecimal.ZERO)));
        return meters;
    }

    /** The hourly management price of an AKS tier, with the tier named as the sheet names it. */
    public Optional<Map.Entry<String, BigDecimal>> clusterTier(String tier) {
        if (tier == null) {
            return Optional.empty();
        }
        return kubernetesService.tiers().entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(tier))
                .map(e -> Map.entry(e.getKey(), e.getValue().perClusterHour())).findFirst();
    }

    /** A meter's id: stable for the same category, name and region, so clients can keep it. */
    public static String meterId(String category, String name, String region) {
        return UUID.nameUUIDFromBytes(("cirrus-meter:" + category + "/" + name + "/" + region).toLowerCase(Locale.ROOT)
                .getBytes(StandardCharsets.UTF_8)).toString();
    }

    private static Meter meter(String category, String name, String region, String unit, BigDecimal price,
                               BigDecimal included) {
        return new Meter(meterId(category, name, region), category, name, region, unit, price, included);
    }

    /**
     * Everything wrong with this sheet, each naming the field ({@code virtualMachines.sizes.Standard_B1s.perHour is
     * negative: -1}); empty when the sheet can be billed from.
     */
    public List<String> problems() {
        List<String> problems = new ArrayList<>();
        if (version == null || version.isBlank()) {
            problems.add("version is missing");
        }
        if (!"USD".equals(currency)) {
            problems.add("currency must be USD (the only billing currency Cirrus supports), not " + currency);
        }
        if (virtualMachines == null || virtualMachines.sizes() == null || virtualMachines.sizes().isEmpty()) {
            problems.add("virtualMachines.sizes is missing or empty");
        } else {
            Map<String, String> seen = new HashMap<>();
            virtualMachines.sizes().forEach((size, price) -> {
                String where = "virtualMachines.sizes." + size;
                String earlier = seen.put(size.toLowerCase(Locale.ROOT), size);
                if (earlier != null) {
                    problems.add(where + " repeats " + earlier + " (sizes are case-insensitive)");
                }
                if (price == null) {
                    problems.add(where + " has no price");
                    return;
                }
                amount(problems, where + ".perHour", price.perHour());
                if (price.regions() != null) {
                    price.regions().forEach((region, perHour) -> {
                        if (region == null || region.isBlank()) {
                            problems.add(where + ".regions has a blank region");
                        }
                        amount(problems, where + ".regions." + region, perHour);
                    });
                }
            });
        }
        if (containerInstances == null) {
            problems.add("containerInstances is missing");
        } else {
            amount(problems, "containerInstances.perVcpuSecond", containerInstances.perVcpuSecond());
            amount(problems, "containerInstances.perGbSecond", containerInstances.perGbSecond());
        }
        if (appService == null || appService.tiers() == null || appService.tiers().isEmpty()) {
            problems.add("appService.tiers is missing or empty");
        } else {
            appService.tiers().forEach((tier, price) -> amount(problems, "appService.tiers." + tier + ".perInstanceHour",
                    price == null ? null : price.perInstanceHour()));
        }
        if (functions == null) {
            problems.add("functions is missing");
        } else {
            amount(problems, "functions.perMillionExecutions", functions.perMillionExecutions());
            amount(problems, "functions.perGbSecond", functions.perGbSecond());
            amount(problems, "functions.freeExecutionsPerMonth", functions.freeExecutionsPerMonth());
            amount(problems, "functions.freeGbSecondsPerMonth", functions.freeGbSecondsPerMonth());
        }
        if (logicApps == null) {
            problems.add("logicApps is missing");
        } else {
            amount(problems, "logicApps.perBuiltInAction", logicApps.perBuiltInAction());
            amount(problems, "logicApps.perStandardConnectorAction", logicApps.perStandardConnectorAction());
            amount(problems, "logicApps.perEnterpriseConnectorAction", logicApps.perEnterpriseConnectorAction());
        }
        if (kubernetesService == null || kubernetesService.tiers() == null || kubernetesService.tiers().isEmpty()) {
            problems.add("kubernetesService.tiers is missing or empty");
        } else {
            kubernetesService.tiers().forEach((tier, price) -> amount(problems,
                    "kubernetesService.tiers." + tier + ".perClusterHour", price == null ? null : price.perClusterHour()));
        }
        return problems;
    }

    private static void amount(List<String> problems, String where, BigDecimal value) {
        if (value == null) {
            problems.add(where + " is missing");
        } else if (value.signum() < 0) {
            problems.add(where + " is negative: " + value.toPlainString());
        }
    }
}
