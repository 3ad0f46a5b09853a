package dev.cirrus.contracts.arm;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * ARM's location names. A region has a programmatic name ({@code westeurope}) and a display name
 * ({@code West Europe}); ARM accepts either, in any casing and with or without spaces, as the same region:
 * {@code "West Europe"}, {@code "westeurope"} and {@code "WestEurope"} all {@link #normalise} to {@code westeurope}.
 * Stored and compared locations are always the programmatic name; {@link #displayName} gives the other form back.
 * Which regions exist is not decided here (the placement topology defines them); this class only knows the names
 * Azure's public regions use, to print them.
 */
public final class ArmLocations {

    private static final Pattern PROGRAMMATIC = Pattern.compile("[a-z0-9]{1,64}");
    private static final Map<String, String> DISPLAY = new LinkedHashMap<>();

    static {
        for (String display : new String[] {
                "East US", "East US 2", "South Central US", "West US 2", "West US 3", "Australia East",
                "Southeast Asia", "North Europe", "Sweden Central", "UK South", "West Europe", "Central US",
                "South Africa North", "Central India", "East Asia", "Japan East", "Korea Central", "Canada Central",
                "France Central", "Germany West Central", "Italy North", "Norway East", "Poland Central",
                "Spain Central", "Switzerland North", "Mexico Central", "UAE North", "Brazil South", "Israel Central",
                "Qatar Central", "North Central US", "West US", "West Central US", "Japan West", "Korea South",
                "Canada East", "France South", "Germany North", "Norway West", "Switzerland West", "UK West",
                "UAE Central", "Brazil Southeast", "Australia Central", "Australia Central 2", "Australia Southeast",
                "South Africa West", "South India", "West India", "Jio India West", "Jio India Central",
                "Sweden South", "New Zealand North", "Indonesia Central", "Malaysia West", "Chile Central",
                "Austria East", "Belgium Central", "Denmark East"}) {
            DISPLAY.put(programmatic(display), display);
        }
    }

    private ArmLocations() {
    }

    private static String programmatic(String name) {
        StringBuilder b = new StringBuilder(name.length());
        name.codePoints().filter(c -> !Character.isWhitespace(c)).forEach(b::appendCodePoint);
        return b.toString().toLowerCase(Locale.ROOT);
    }

    /** The programmatic name of a location given either way, or null for null. Nothing is checked. */
    public static String normalise(String location) {
        return location == null ? null : programmatic(location);
    }

    /**
     * A location from a URL or a body: its programmatic name, or 400 {@code InvalidLocation} when it cannot be a
     * region name at all (empty, punctuation, control characters, over 64 characters).
     */
    public static String require(String location, String target) {
        String normalised = normalise(location);
        if (normalised == null || !PROGRAMMATIC.matcher(normalised).matches()) {
            throw ArmErrorException.badRequest("InvalidLocation", "The location '" + ArmTags.printable(location)
                    + "' is not a valid region name.", target);
        }
        return normalised;
    }

    /** Whether the location, given either way, is one of Azure's public regions. */
    public static boolean isAzureRegion(String location) {
        return location != null && DISPLAY.containsKey(normalise(location));
    }

    /** Whether two locations name the same region, each given either way. */
    public static boolean same(String a, String b) {
        return a != null && b != null && normalise(a).equals(normalise(b));
    }

    /** {@code westeurope} → {@code West Europe}; a region Azure does not name is shown as its programmatic name. */
    public static String displayName(String location) {
        String normalised = normalise(location);
        return normalised == null ? null : DISPLAY.getOrDefault(normalised, normalised);
    }
}
