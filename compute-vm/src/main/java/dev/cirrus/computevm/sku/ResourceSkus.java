package dev.cirrus.computevm.sku;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.cirrus.computevm.size.SizeCatalogue;
import dev.cirrus.computevm.size.VmSize;

/**
 * The resource SKUs of {@code Microsoft.Compute} in Azure's shape ({@code GET …/providers/Microsoft.Compute/skus}):
 * one {@code virtualMachines} SKU per size of the {@link SizeCatalogue}, offered in every region of the placement
 * topology, and the two {@code availabilitySets} SKUs ({@code Classic} and {@code Aligned}, up to 3 platform fault
 * domains: the racks of a cluster). A size with more vCPUs than the regional vCPU quota ({@code cirrus.vm.quota})
 * could never be created: it carries Azure's {@code NotAvailableForSubscription} restriction in every region.
 * Cirrus has no availability zones: {@code locationInfo.zones} is empty, as for an Azure region without zones.
 */
public final class ResourceSkus {

    /** Availability sets: Azure's maximum of platform fault domains, which Cirrus's clusters of 3 racks give. */
    static final int MAX_PLATFORM_FAULT_DOMAINS = 3;

    private static final Pattern SIZE = Pattern.compile("([A-Z]+)(\\d+)([a-z]*)(?:_v(\\d+))?");

    private final SizeCatalogue sizes;
    private final List<String> regions;
    private final int regionalVcpuQuota;

    ResourceSkus(SizeCatalogue sizes, List<String> regions, int regionalVcpuQuota) {
        if (regions.isEmpty()) {
            throw new IllegalArgumentException("the SKUs need at least one region");
        }
        this.sizes = sizes;
        this.regions = List.copyOf(regions);
        this.regionalVcpuQuota = regionalVcpuQuota;
    }

    /** Every SKU, or those offered in one location (normalised) when it is given. */
    List<Map<String, Object>> list(String locationOrNull) {
        List<String> where = locationOrNull == null ? regions
                : regions.contains(locationOrNull) ? List.of(locationOrNull) : List.of();
        List<Map<String, Object>> skus = new ArrayList<>();
        if (where.isEmpty()) {
            return skus;
        }
        for (VmSize size : sizes.all()) {
            skus.add(virtualMachine(size, where));
        }
        for (String name : List.of("Classic", "Aligned")) {
            Map<String, Object> sku = base("availabilitySets", name, where);
            sku.put("capabilities", List.of(capability("MaximumPlatformFaultDomainCount",
                    String.valueOf(MAX_PLATFORM_FAULT_DOMAINS))));
            sku.put("restrictions", List.of());
            skus.add(sku);
        }
        return skus;
    }

    private Map<String, Object> virtualMachine(VmSize size, List<String> where) {
        Map<String, Object> sku = base("virtualMachines", size.name(), where);
        String shortName = size.name().startsWith("Standard_") ? size.name().substring("Standard_".length()) : size.name();
        sku.put("tier", "Standard");
        sku.put("size", shortName);
        sku.put("family", family(size.name()));
        // keep Azure's order: tier, size and family come before locations
        Map<String, Object> ordered = new LinkedHashMap<>();
        for (String key : List.of("resourceType", "name", "tier", "size", "family", "locations", "locationInfo")) {
            ordered.put(key, sku.get(key));
        }
        Matcher parts = SIZE.matcher(shortName);
        boolean premium = parts.matches() && parts.group(3).contains("s"); // the 's' of a size: premium storage
        ordered.put("capabilities", List.of(
                capability("MaxResourceVolumeMB", String.valueOf(size.resourceDiskSizeInMB())),
                capability("OSVhdSizeMB", String.valueOf(size.osDiskSizeInMB())),
                capability("vCPUs", String.valueOf(size.numberOfCores())),
                capability("HyperVGenerations", "V1,V2"),
                capability("MemoryGB", new BigDecimal(size.memoryInMB()).divide(new BigDecimal(1024))
                        .stripTrailingZeros().toPlainString()),
                capability("MaxDataDiskCount", String.valueOf(size.maxDataDiskCount())),
                capability("CpuArchitectureType", "x64"),
                capability("LowPriorityCapable", "True"),
                capability("PremiumIO", premium ? "True" : "False"),
                capability("VMDeploymentTypes", "IaaS"),
                capability("vCPUsAvailable", String.valueOf(size.numberOfCores())),
                capability("MaxNetworkInterfaces", String.valueOf(Math.max(2, Math.min(8, size.numberOfCores()))))));
        ordered.put("restrictions", size.numberOfCores() > regionalVcpuQuota ? List.of(Map.of(
                "type", "Location",
                "values", where,
                "restrictionInfo", Map.of("locations", where),
                "reasonCode", "NotAvailableForSubscription")) : List.of());
        return ordered;
    }

    private static Map<String, Object> base(String resourceType, String name, List<String> where) {
        Map<String, Object> sku = new LinkedHashMap<>();
        sku.put("resourceType", resourceType);
        sku.put("name", name);
        sku.put("locations", where);
        sku.put("locationInfo", where.stream().map(l -> {
            Map<String, Object> info = new LinkedHashMap<>();
            info.put("location", l);
            info.put("zones", List.of());
            info.put("zoneDetails", List.of());
            return info;
        }).toList());
        return sku;
    }

    private static Map<String, String> capability(String name, String value) {
        Map<String, String> c = new LinkedHashMap<>();
        c.put("name", name);
        c.put("value", value);
        return c;
    }

    /**
     * Azure's quota family of a size: {@code Standard_D2s_v5} → {@code standardDSv5Family},
     * {@code Standard_B1ms} → {@code standardBSFamily}, {@code Standard_F4s_v2} → {@code standardFSv2Family}.
     */
    public static String family(String sizeName) {
        String shortName = sizeName.startsWith("Standard_") ? sizeName.substring("Standard_".length()) : sizeName;
        Matcher m = SIZE.matcher(shortName);
        if (!m.matches()) {
            return "standard" + shortName.replaceAll("[^A-Za-z0-9]", "") + "Family";
        }
        String features = m.group(3).contains("s") ? "S" : "";
        String version = m.group(4) == null ? "" : "v" + m.group(4);
        return "standard" + m.group(1).toUpperCase(Locale.ROOT) + features + version + "Family";
    }
}
