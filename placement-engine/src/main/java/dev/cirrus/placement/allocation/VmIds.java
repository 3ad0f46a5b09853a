package dev.cirrus.placement.allocation;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/** A VM's vmId: the GUID the platform assigned it, the key of its allocation. Compared in lower case. */
final class VmIds {

    private static final Pattern GUID =
            Pattern.compile("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");

    private VmIds() {
    }

    /** The normalized vmId, or a refusal saying what is wrong with it. */
    static String require(String vmId) {
        List<String> problems = new ArrayList<>();
        String id = check(vmId, problems);
        if (!problems.isEmpty()) {
            throw PlacementRefusal.invalidRequest(problems);
        }
        return id;
    }

    /** The normalized vmId, or null after adding what is wrong with it to {@code problems}. */
    static String check(String vmId, List<String> problems) {
        if (vmId == null || vmId.isBlank()) {
            problems.add("vm_id is required");
            return null;
        }
        if (!GUID.matcher(vmId.strip()).matches()) {
            problems.add("vm_id '" + vmId + "' is not a GUID");
            return null;
        }
        return vmId.strip().toLowerCase(Locale.ROOT);
    }
}
