package dev.cirrus.computevm.scaleset;

import static dev.cirrus.contracts.arm.ArmJson.array;
import static dev.cirrus.contracts.arm.ArmJson.bool;
import static dev.cirrus.contracts.arm.ArmJson.integer;
import static dev.cirrus.contracts.arm.ArmJson.longValue;
import static dev.cirrus.contracts.arm.ArmJson.missing;
import static dev.cirrus.contracts.arm.ArmJson.object;
import static dev.cirrus.contracts.arm.ArmJson.oneOf;
import static dev.cirrus.contracts.arm.ArmJson.string;
import static dev.cirrus.contracts.arm.ArmJson.wrongType;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

import dev.cirrus.computevm.size.VmSize;
import dev.cirrus.computevm.vm.VmRequest;
import dev.cirrus.computevm.vm.VmRequestParser;
import dev.cirrus.contracts.arm.ArmJson;
import dev.cirrus.contracts.arm.ArmLocations;
import dev.cirrus.contracts.arm.ArmTags;
import dev.cirrus.plumbing.arm.ArmException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Reads a scale set PUT body field by field; every refusal names its property ({@code target}). Nothing here
 * touches state. The {@code virtualMachineProfile} is read by the VM's own rules ({@link VmRequestParser}).
 *
 * <p>Fault domains (compute-vm/README.md, "Scale sets"): Uniform allows 1..5 (zonal: 1 or 5), Flexible 1..3
 * (zonal: 1). Azure's regional Uniform default is 5; Cirrus clusters have 3 racks, so the default here is 1 (max
 * spreading: as many fault domains as the cluster has racks).
 */
final class ScaleSetRequestParser {

    /** Azure's rule for scale set names: 1 to 64 letters, digits, '-', '_' or '.', not ending with '.' or '-'. */
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_.-]{1,64}");
    private static final Pattern PREFIX = Pattern.compile("[A-Za-z0-9-]+");
    private static final Set<String> ZONES = Set.of("1", "2", "3");
    /** Azure's limits: 1,000 instances; 100 in a single placement group. */
    static final int MAX_CAPACITY = 1000;
    static final int MAX_SINGLE_PLACEMENT_GROUP = 100;

    private final VmRequestParser vmParser;

    ScaleSetRequestParser(VmRequestParser vmParser) {
        this.vmParser = vmParser;
    }

    static void checkName(String name) {
        if (name == null || !NAME.matcher(name).matches() || name.endsWith(".") || name.endsWith("-")) {
            throw new ArmException(400, "InvalidResourceName", "The name '" + name + "' is not a valid scale set "
                    + "name. Use 1 to 64 letters, digits, '-', '_' or '.', and do not end the name with '.' or '-'.",
                    "name");
        }
    }

    ScaleSetRequest parse(JsonNode body) {
        ArmJson.requireObject(body);
        String rawLocation = string(body, "location", "location");
        if (rawLocation == null || rawLocation.isBlank()) {
            throw ArmException.badRequest("LocationRequired", "The location property is required for this definition.",
                    "location");
        }
        String location = ArmLocations.require(rawLocation, "location");
        Map<String, String> tags = ArmTags.read(body);
        List<String> zones = zones(body);
        ObjectNode given = object(body, "properties", "properties");
        ObjectNode props = given == null ? JsonNodeFactory.instance.objectNode() : given;

        OrchestrationMode mode = OrchestrationMode.valueOf(orElse(oneOf(props, "orchestrationMode",
                "properties.orchestrationMode", "Uniform", "Flexible"), "Uniform"));
        boolean uniform = mode == OrchestrationMode.Uniform;

        ObjectNode sku = object(body, "sku", "sku");
        String skuName = sku == null ? null : string(sku, "name", "sku.name");
        String skuTier = sku == null ? null : oneOf(sku, "tier", "sku.tier", "Standard", "Basic");
        Long capacity = sku == null ? null : longValue(sku, "capacity", "sku.capacity", 0, MAX_CAPACITY);
        if (uniform && skuName == null) {
            throw missing("sku.name", "sku.name");
        }
        VmSize size = skuName == null ? null : vmParser.size(skuName, "sku.name");
        long instances = capacity == null ? 0 : capacity;

        boolean zonal = zones != null && !zones.isEmpty();
        Integer fd = integer(props, "platformFaultDomainCount", "properties.platformFaultDomainCount", -1000, 1000);
        int faultDomains = fd == null ? 1 : fd;
        boolean fdAllowed = uniform ? (zonal ? faultDomains == 1 || faultDomains == 5 : faultDomains >= 1 && faultDomains <= 5)
                : (zonal ? faultDomains == 1 : faultDomains >= 1 && faultDomains <= 3);
        if (!fdAllowed) {
            throw ArmException.invalidParameter("The value " + faultDomains + " of platformFaultDomainCount is not "
                    + "allowed for a " + (zonal ? "zonal " : "regional ") + mode + " scale set. Allowed values: "
                    + (uniform ? (zonal ? "1, 5" : "1 to 5") : (zonal ? "1" : "1 to 3")) + ".",
                    "properties.platformFaultDomainCount");
        }

        Boolean spg = bool(props, "singlePlacementGroup", "properties.singlePlacementGroup");
        if (!uniform && Boolean.TRUE.equals(spg)) {
            throw ArmException.invalidParameter("singlePlacementGroup must be false for a scale set in Flexible "
                    + "orchestration mode.", "properties.singlePlacementGroup");
        }
        boolean singlePlacementGroup = uniform && (spg == null || spg);
        if (singlePlacementGroup && instances > MAX_SINGLE_PLACEMENT_GROUP) {
            throw ArmException.invalidParameter("A scale set with singlePlacementGroup true holds at most "
                    + MAX_SINGLE_PLACEMENT_GROUP + " instances; set singlePlacementGroup to false for up to "
                    + MAX_CAPACITY + ".", "sku.capacity");
        }
        Boolean over = bool(props, "overprovision", "properties.overprovision");
        if (!uniform && Boolean.TRUE.equals(over)) {
            throw ArmException.invalidParameter("overprovision is not supported for a scale set in Flexible "
                    + "orchestration mode.", "properties.overprovision");
        }
        // Azure's default since api-version 2016-03-30, for Uniform sets
        boolean overprovision = uniform && (over == null || over);
        ScaleSetSettings.UpgradePolicy upgrade = upgradePolicy(props);
        ScaleSetSettings.ScaleInPolicy scaleIn = scaleInPolicy(props);

        ObjectNode profile = object(props, "virtualMachineProfile", "properties.virtualMachineProfile");
        VmRequest model = null;
        ObjectNode stored = null;
        String prefix = null;
        if (profile == null && (uniform || instances > 0)) {
            throw missing("virtualMachineProfile", "properties.virtualMachineProfile");
        }
        if (profile != null) {
            if (size == null) {
                throw missing("sku.name", "sku.name");
            }
            model = vmParser.parseScaleSetProfile(location, tags, size, profile, !uniform);
            if (model.imageReference() == null) {
                throw missing("storageProfile.imageReference",
                        "properties.virtualMachineProfile.storageProfile.imageReference");
            }
            if (model.osProfile() == null) {
                throw missing("osProfile", "properties.virtualMachineProfile.osProfile");
            }
            if (model.nicConfigurations().isEmpty()) {
                throw missing("networkProfile.networkInterfaceConfigurations",
                        "properties.virtualMachineProfile.networkProfile.networkInterfaceConfigurations");
            }
            prefix = computerNamePrefix(profile, model);
            stored = model.properties();
        }
        return new ScaleSetRequest(location, tags, zones, mode, size, skuTier, instances, faultDomains,
                new ScaleSetSettings(singlePlacementGroup, overprovision, upgrade, scaleIn), model, stored, prefix);
    }

    /** Linux: 1 to 58 characters (6 more name each instance), Windows 1 to 9; letters, digits and '-'. */
    private static String computerNamePrefix(ObjectNode profile, VmRequest model) {
        String path = "properties.virtualMachineProfile.osProfile.computerNamePrefix";
        String prefix = string(profile.path("osProfile"), "computerNamePrefix", path);
        if (prefix == null) {
            throw missing("osProfile.computerNamePrefix", path);
        }
        boolean windows = model.osProfile().windowsConfiguration() != null;
        int max = windows ? 9 : 58;
        if (prefix.isEmpty() || prefix.length() > max || !PREFIX.matcher(prefix).matches()) {
            throw ArmException.invalidParameter("The computer name prefix must have 1 to " + max + " letters, digits "
                    + "or '-' on " + (windows ? "Windows" : "Linux") + ".", path);
        }
        return prefix;
    }

    private static ScaleSetSettings.UpgradePolicy upgradePolicy(ObjectNode props) {
        String path = "properties.upgradePolicy";
        ObjectNode policy = object(props, "upgradePolicy", path);
        if (policy == null) {
            return new ScaleSetSettings.UpgradePolicy(ScaleSetSettings.UpgradeMode.Manual, null);
        }
        ScaleSetSettings.UpgradeMode mode = ScaleSetSettings.UpgradeMode.valueOf(orElse(oneOf(policy, "mode",
                path + ".mode", "Manual", "Automatic", "Rolling"), "Manual"));
        ObjectNode rolling = object(policy, "rollingUpgradePolicy", path + ".rollingUpgradePolicy");
        if (rolling == null) {
            return new ScaleSetSettings.UpgradePolicy(mode, mode == ScaleSetSettings.UpgradeMode.Rolling
                    ? new ScaleSetSettings.RollingUpgradePolicy(20, 20, 20, "PT0S") : null);
        }
        String r = path + ".rollingUpgradePolicy";
        Integer batch = integer(rolling, "maxBatchInstancePercent", r + ".maxBatchInstancePercent", 5, 100);
        Integer unhealthy = integer(rolling, "maxUnhealthyInstancePercent", r + ".maxUnhealthyInstancePercent", 5, 100);
        Integer upgraded = integer(rolling, "maxUnhealthyUpgradedInstancePercent",
                r + ".maxUnhealthyUpgradedInstancePercent", 0, 100);
        String pause = string(rolling, "pauseTimeBetweenBatches", r + ".pauseTimeBetweenBatches");
        if (pause != null) {
            Duration d;
            try {
                d = Duration.parse(pause);
            } catch (DateTimeParseException e) {
                throw ArmException.invalidParameter("pauseTimeBetweenBatches must be an ISO 8601 duration from PT0S "
                        + "to PT1H, e.g. PT5M.", r + ".pauseTimeBetweenBatches");
            }
            if (d.isNegative() || d.compareTo(Duration.ofHours(1)) > 0) {
                throw ArmException.invalidParameter("pauseTimeBetweenBatches must be from PT0S to PT1H.",
                        r + ".pauseTimeBetweenBatches");
            }
        }
        if (mode != ScaleSetSettings.UpgradeMode.Rolling) {
            throw ArmException.invalidParameter("rollingUpgradePolicy applies to the Rolling upgrade mode only.",
                    r);
        }
        return new ScaleSetSettings.UpgradePolicy(mode, new ScaleSetSettings.RollingUpgradePolicy(
                batch == null ? 20 : batch, unhealthy == null ? 20 : unhealthy, upgraded == null ? 20 : upgraded,
                pause == null ? "PT0S" : pause));
    }

    private static ScaleSetSettings.ScaleInPolicy scaleInPolicy(ObjectNode props) {
        String path = "properties.scaleInPolicy";
        ObjectNode policy = object(props, "scaleInPolicy", path);
        if (policy == null) {
            return new ScaleSetSettings.ScaleInPolicy(List.of("Default"), false);
        }
        JsonNode rules = array(policy, "rules", path + ".rules");
        List<String> list = new ArrayList<>();
        if (rules != null) {
            for (int i = 0; i < rules.size(); i++) {
                if (!rules.get(i).isString()) {
                    throw wrongType(path + ".rules[" + i + "]", "a string");
                }
                String rule = rules.get(i).stringValue();
                String canonical = switch (rule.toLowerCase(java.util.Locale.ROOT)) {
                    case "default" -> "Default";
                    case "newestvm" -> "NewestVM";
                    case "oldestvm" -> "OldestVM";
                    default -> throw ArmException.invalidParameter("The scale-in rule '" + rule + "' is not valid. "
                            + "Allowed values: Default, NewestVM, OldestVM.", path + ".rules[" + i + "]");
                };
                list.add(canonical);
            }
        }
        if (list.size() > 1) {
            throw ArmException.invalidParameter("A scale-in policy names one rule: Default, NewestVM or OldestVM.",
                    path + ".rules");
        }
        Boolean force = bool(policy, "forceDeletion", path + ".forceDeletion");
        return new ScaleSetSettings.ScaleInPolicy(list.isEmpty() ? List.of("Default") : list,
                force != null && force);
    }

    private static List<String> zones(JsonNode body) {
        JsonNode zones = array(body, "zones", "zones");
        if (zones == null) {
            return null;
        }
        List<String> list = new ArrayList<>();
        for (int i = 0; i < zones.size(); i++) {
            JsonNode zone = zones.get(i);
            if (!zone.isString()) {
                throw wrongType("zones[" + i + "]", "a string");
            }
            if (!ZONES.contains(zone.stringValue()) || list.contains(zone.stringValue())) {
                throw ArmException.invalidParameter("The zone '" + zone.stringValue() + "' is not valid: use '1', "
                        + "'2' or '3', each at most once.", "zones");
            }
            list.add(zone.stringValue());
        }
        return list;
    }

    private static String orElse(String value, String fallback) {
        return value == null ? fallback : value;
    }
}
