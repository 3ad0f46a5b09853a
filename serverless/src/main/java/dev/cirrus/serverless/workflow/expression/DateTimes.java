package dev.cirrus.serverless.workflow.expression;

import java.time.DateTimeException;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.Map;

/**
 * Timestamps as the language handles them: ISO 8601 text in, .NET format strings out (the default {@code o}, the
 * round-trip form with seven fractional digits), Windows time-zone names. A timestamp with an offset is taken to UTC;
 * one without keeps no zone ({@code utc} false) and is written without one.
 */
public final class DateTimes {

    /** A point read from text: the local date-time and whether it is UTC (it had a zone). */
    record Stamp(LocalDateTime time, boolean utc) {
    }

    /** The Windows time-zone names the conversion functions and Recurrence triggers accept, to IANA zones. */
    static final Map<String, String> WINDOWS_ZONES = Map.ofEntries(
            Map.entry("UTC", "UTC"),
            Map.entry("Coordinated Universal Time", "UTC"),
            Map.entry("GMT Standard Time", "Europe/London"),
            Map.entry("W. Europe Standard Time", "Europe/Berlin"),
            Map.entry("Romance Standard Time", "Europe/Paris"),
            Map.entry("Central European Standard Time", "Europe/Warsaw"),
            Map.entry("Central Europe Standard Time", "Europe/Budapest"),
            Map.entry("E. Europe Standard Time", "Europe/Chisinau"),
            Map.entry("FLE Standard Time", "Europe/Kiev"),
            Map.entry("GTB Standard Time", "Europe/Bucharest"),
            Map.entry("Russian Standard Time", "Europe/Moscow"),
            Map.entry("Eastern Standard Time", "America/New_York"),
            Map.entry("Central Standard Time", "America/Chicago"),
            Map.entry("Mountain Standard Time", "America/Denver"),
            Map.entry("US Mountain Standard Time", "America/Phoenix"),
            Map.entry("Pacific Standard Time", "America/Los_Angeles"),
            Map.entry("Alaskan Standard Time", "America/Anchorage"),
            Map.entry("Hawaiian Standard Time", "Pacific/Honolulu"),
            Map.entry("E. South America Standard Time", "America/Sao_Paulo"),
            Map.entry("India Standard Time", "Asia/Kolkata"),
            Map.entry("China Standard Time", "Asia/Shanghai"),
            Map.entry("Tokyo Standard Time", "Asia/Tokyo"),
            Map.entry("Korea Standard Time", "Asia/Seoul"),
            Map.entry("Singapore Standard Time", "Asia/Singapore"),
            Map.entry("AUS Eastern Standard Time", "Australia/Sydney"),
            Map.entry("New Zealand Standard Time", "Pacific/Auckland"),
            Map.entry("Arabian Standard Time", "Asia/Dubai"),
            Map.entry("South Africa Standard Time", "Africa/Johannesburg"));

    private static final DateTimeFormatter ROUND_TRIP = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSSS",
            Locale.ROOT);

    /** The general date-time form of en-US ({@code 01/31/2018 13:00:00}), which the functions also read. */
    private static final DateTimeFormatter US_GENERAL = DateTimeFormatter.ofPattern("MM/dd/uuuu HH:mm:ss", Locale.ROOT)
            .withResolverStyle(java.time.format.ResolverStyle.STRICT);

    private DateTimes() {
    }

    /** The IANA zone of a Windows time-zone name, or null when it is not one Cirrus knows. */
    public static ZoneId zone(String windowsName) {
        String iana = WINDOWS_ZONES.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(windowsName))
                .map(Map.Entry::getValue).findFirst().orElse(null);
        return iana == null ? null : ZoneId.of(iana);
    }

    static ZoneId requireZone(String function, String name) {
        ZoneId zone = zone(name);
        if (zone == null) {
            throw Values.invalid(function, "was invoked with a time zone '" + name + "' that is not valid: use a "
                    + "Windows time-zone name such as 'Pacific Standard Time'.");
        }
        return zone;
    }

    static Stamp parse(String function, String text) {
        try {
            OffsetDateTime odt = OffsetDateTime.parse(text);
            return new Stamp(odt.withOffsetSameInstant(ZoneOffset.UTC).toLocalDateTime(), true);
        } catch (DateTimeParseException e) {
            // no offset: a local time
        }
        try {
            return new Stamp(LocalDateTime.parse(text), false);
        } catch (DateTimeParseException e) {
            // a date alone
        }
        try {
            return new Stamp(LocalDateTime.parse(text, US_GENERAL), false);
        } catch (DateTimeParseException e) {
            // not the US general form either
        }
        try {
            return new Stamp(java.time.LocalDate.parse(text).atStartOfDay(), false);
        } catch (DateTimeParseException e) {
            throw Values.invalid(function, "was invoked with a parameter that is not valid. The value '" + text
                    + "' cannot be converted to a date time.");
        }
    }

    /** The stamp in the given .NET format (null or empty: {@code o}). */
    static String format(String function, Stamp stamp, String format) {
        if (format == null || format.isEmpty() || format.equals("o") || format.equals("O")) {
            return ROUND_TRIP.format(stamp.time()) + (stamp.utc() ? "Z" : "");
        }
        String pattern = switch (format) {
            case "s" -> "yyyy-MM-dd'T'HH:mm:ss";
            case "u" -> "yyyy-MM-dd HH:mm:ss'Z'";
            case "r", "R" -> "EEE, dd MMM yyyy HH:mm:ss 'GMT'";
            case "d" -> "M/d/yyyy";
            case "D" -> "EEEE, MMMM d, yyyy";
            case "t" -> "h:mm a";
            case "T" -> "h:mm:ss a";
            case "f" -> "EEEE, MMMM d, yyyy h:mm a";
            case "F" -> "EEEE, MMMM d, yyyy h:mm:ss a";
            case "g" -> "M/d/yyyy h:mm a";
            case "G" -> "M/d/yyyy h:mm:ss a";
            case "m", "M" -> "MMMM d";
            case "y", "Y" -> "MMMM yyyy";
            default -> {
                if (format.length() == 1) {
                    throw Values.invalid(function, "was invoked with a format '" + format + "' that is not valid.");
                }
                yield javaPattern(stamp, format);
            }
        };
        try {
            return DateTimeFormatter.ofPattern(pattern, Locale.US).format(stamp.time().atOffset(ZoneOffset.UTC));
        } catch (IllegalArgumentException | DateTimeException e) {
            throw Values.invalid(function, "was invoked with a format '" + format + "' that is not valid.");
        }
    }

    /** A .NET custom date-time format as a java.time pattern. */
    private static String javaPattern(Stamp stamp, String format) {
        StringBuilder out = new StringBuilder();
        int i = 0;
        while (i < format.length()) {
            char c = format.charAt(i);
            int run = 1;
            while (i + run < format.length() && format.charAt(i + run) == c) {
                run++;
            }
            switch (c) {
                case 'y', 'M', 'd', 'H', 'h', 'm', 's' -> {
                    String letters = String.valueOf(c).repeat(run);
                    if (c == 'd' && run == 3) {
                        letters = "EEE";
                    } else if (c == 'd' && run >= 4) {
                        letters = "EEEE";
                    } else if (c == 'y' && run == 1) {
                        letters = "y";
                    }
                    out.append(letters);
                }
                case 'f', 'F' -> out.append("S".repeat(run));
                case 't' -> out.append("a");
                case 'K' -> out.append(stamp.utc() ? "'Z'" : "");
                case 'z' -> out.append(run >= 3 ? "xxx" : "x");
                case '\'', '"' -> {
                    int end = format.indexOf(c, i + 1);
                    String literal = format.substring(i + 1, end < 0 ? format.length() : end);
                    out.append('\'').append(literal.replace("'", "''")).append('\'');
                    i = end < 0 ? format.length() : end + 1;
                    continue;
                }
                case '\\' -> {
                    if (i + 1 < format.length()) {
                        out.append('\'').append(format.charAt(i + 1) == '\'' ? "''" : format.charAt(i + 1)).append('\'');
                    }
                    i += 2;
                    continue;
                }
                default -> {
                    String literal = String.valueOf(c).repeat(run);
                    out.append(Character.isLetter(c) ? "'" + literal + "'" : literal.replace("'", "''"));
                }
            }
            i += run;
        }
        return out.toString();
    }
}
