package dev.cirrus.computevm.vm;

import java.util.List;
import java.util.Set;

import dev.cirrus.plumbing.arm.ArmException;
import tools.jackson.databind.JsonNode;

/**
 * Compares the {@code properties} of a PUT on an existing VM with what is stored, the way Azure's compute provider
 * treats a PUT on an existing VM: what the request leaves out stays as it is; what it states must either equal the
 * stored value or be a change the service can make. Clients usually send back the resource they read, so every
 * value this service returns compares equal to itself (strings case-insensitively, as Azure compares them).
 *
 * <p>Refusals, both 409: {@code PropertyChangeNotAllowed} for what Azure never lets change on an existing VM (and,
 * for now, the size), naming the property; {@code OperationNotAllowed} for changes Azure allows but this service does
 * not make yet (network interfaces, disks, OS configuration): only tags can change today.
 */
final class PropertyChanges {

    /** Read-only or write-only: never compared. */
    private static final Set<String> IGNORED = Set.of("vmId", "provisioningState", "timeCreated", "instanceView",
            "osProfile.adminPassword", "osProfile.customData");

    /** Properties whose change Azure refuses with PropertyChangeNotAllowed (vmSize: resizing is not built yet). */
    private static final List<String> IMMUTABLE = List.of("hardwareProfile.vmSize", "storageProfile.imageReference",
            "storageProfile.osDisk.name", "storageProfile.osDisk.createOption", "storageProfile.osDisk.osType",
            "osProfile.computerName", "osProfile.adminUsername", "availabilitySet");

    private PropertyChanges() {
    }

    /** Throws 409 at the first requested property that differs from {@code current}. */
    static void refuseChanges(JsonNode requested, JsonNode current) {
        compareObject(requested, current, "");
    }

    private static void compareObject(JsonNode requested, JsonNode current, String prefix) {
        for (var entry : requested.properties()) {
            String path = prefix.isEmpty() ? entry.getKey() : prefix + "." + entry.getKey();
            if (IGNORED.contains(path) || entry.getValue().isNull()) {
                continue;
            }
            JsonNode stored = current == null ? null : current.get(entry.getKey());
            if (!sameValue(entry.getValue(), stored, path)) {
                throw changed(path);
            }
        }
    }

    private static boolean sameValue(JsonNode requested, JsonNode stored, String path) {
        if (requested.isObject()) {
            if (stored == null || !stored.isObject()) {
                return requested.isEmpty() && stored == null;
            }
            compareObject(requested, stored, path);
            return true;
        }
        if (requested.isArray()) {
            if (stored == null || stored.isNull()) {
                return requested.isEmpty();
            }
            if (!stored.isArray() || stored.size() != requested.size()) {
                return false;
            }
            for (int i = 0; i < requested.size(); i++) {
                if (!sameValue(requested.get(i), stored.get(i), path)) {
                    return false;
                }
            }
            return true;
        }
        if (stored == null || stored.isNull()) {
            return false;
        }
        if (requested.isString() && stored.isString()) {
            return requested.stringValue().equalsIgnoreCase(stored.stringValue());
        }
        if (requested.isNumber() && stored.isNumber()) {
            return requested.decimalValue().compareTo(stored.decimalValue()) == 0;
        }
        return requested.equals(stored);
    }

    private static ArmException changed(String path) {
        for (String immutable : IMMUTABLE) {
            if (path.equals(immutable) || path.startsWith(immutable + ".")) {
                return new ArmException(409, "PropertyChangeNotAllowed",
                        "Changing property '" + immutable.substring(immutable.lastIndexOf('.') + 1) + "' is not allowed.",
                        "properties." + immutable);
            }
        }
        return new ArmException(409, "OperationNotAllowed", "Changing 'properties." + path + "' of an existing virtual "
                + "machine is not supported by Cirrus yet: a PUT on an existing virtual machine can change its tags only.",
                "properties." + path);
    }
}
