package dev.cirrus.serverless.workflow;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.time.temporal.IsoFields;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.TreeSet;

import dev.cirrus.serverless.workflow.expression.DateTimes;
import tools.jackson.databind.JsonNode;

/**
 * The {@code recurrence} of a Recurrence or polling trigger: {@code frequency} (Second … Month), {@code interval},
 * an optional {@code startTime} (in {@code timeZone} when it has no offset), and for Day and Week an optional
 * {@code schedule} of {@code hours}, {@code minutes} and {@code weekDays}. {@link #next} gives the first due time
 * after a given instant, so the scheduler persists one due time and never misses or doubles a run.
 *
 * @param anchorStart the start time, or null: then the anchor is the time the schedule was first armed
 */
public record Recurrence(ChronoUnit unit, int interval, LocalDateTime anchorStart, ZoneId zone, List<Integer> hours,
                         List<Integer> minutes, List<DayOfWeek> weekDays) {

    public static Recurrence read(JsonNode node, String path) {
        if (node == null || !node.isObject()) {
            throw Definitions.invalid("The template validation failed: the trigger must have a 'recurrence' object "
                    + "with a 'frequency' and an 'interval'.", path);
        }
        String frequency = node.path("frequency").asString("");
        ChronoUnit unit = switch (frequency.toLowerCase(Locale.ROOT)) {
            case "second" -> ChronoUnit.SECONDS;
            case "minute" -> ChronoUnit.MINUTES;
            case "hour" -> ChronoUnit.HOURS;
            case "day" -> ChronoUnit.DAYS;
            case "week" -> ChronoUnit.WEEKS;
            case "month" -> ChronoUnit.MONTHS;
            default -> throw Definitions.invalid("The template validation failed: the recurrence frequency '"
                    + frequency + "' is not valid: use Second, Minute, Hour, Day, Week or Month.", path + ".frequency");
        };
        JsonNode intervalNode = node.get("interval");
        if (intervalNode == null || !intervalNode.isIntegralNumber() || intervalNode.intValue() < 1
                || intervalNode.longValue() > maxInterval(unit)) {
            throw Definitions.invalid("The template validation failed: the recurrence interval must be an integer from "
                    + "1 to " + maxInterval(unit) + " for the frequency '" + frequency + "'.", path + ".interval");
        }
        ZoneId zone = ZoneOffset.UTC;
        JsonNode tz = node.get("timeZone");
        if (tz != null) {
            zone = tz.isString() ? DateTimes.zone(tz.stringValue()) : null;
            if (zone == null) {
                throw Definitions.invalid("The template validation failed: the recurrence time zone '" + tz.asString()
                        + "' is not valid: use a Windows time-zone name such as 'W. Europe Standard Time'.",
                        path + ".timeZone");
            }
        }
        LocalDateTime start = null;
        JsonNode startNode = node.get("startTime");
        if (startNode != null) {
            String text = startNode.asString("");
            try {
                OffsetDateTime odt = OffsetDateTime.parse(text);
                start = odt.atZoneSameInstant(zone).toLocalDateTime();
            } catch (DateTimeParseException e) {
                try {
                    start = LocalDateTime.parse(text);
                } catch (DateTimeParseException e2) {
                    throw Definitions.invalid("The template validation failed: the recurrence start time '" + text
                            + "' is not a valid ISO 8601 date and time.", path + ".startTime");
                }
            }
        }
        List<Integer> hours = List.of();
        List<Integer> minutes = List.of();
        List<DayOfWeek> weekDays = List.of();
        JsonNode schedule = node.get("schedule");
        if (schedule != null) {
            if (unit != ChronoUnit.DAYS && unit != ChronoUnit.WEEKS) {
                throw Definitions.invalid("The template validation failed: a recurrence 'schedule' is only allowed "
                        + "with the frequency Day or Week.", path + ".schedule");
            }
            hours = numbers(schedule.get("hours"), 0, 23, path + ".schedule.hours");
            minutes = numbers(schedule.get("minutes"), 0, 59, path + ".schedule.minutes");
            JsonNode days = schedule.get("weekDays");
            if (days != null) {
                if (unit != ChronoUnit.WEEKS || !days.isArray()) {
                    throw Definitions.invalid("The template validation failed: 'weekDays' must be an array and needs "
                            + "the frequency Week.", path + ".schedule.weekDays");
                }
                List<DayOfWeek> list = new ArrayList<>();
                for (JsonNode d : days) {
                    try {
                        list.add(DayOfWeek.valueOf(d.asString("").toUpperCase(Locale.ROOT)));
                    } catch (IllegalArgumentException e) {
                        throw Definitions.invalid("The template validation failed: the week day '" + d.asString()
                                + "' is not valid: use Monday … Sunday.", path + ".schedule.weekDays");
                    }
                }
                weekDays = list;
            }
        }
        return new Recurrence(unit, intervalNode.intValue(), start, zone, hours, minutes, weekDays);
    }

    private static long maxInterval(ChronoUnit unit) {
        return switch (unit) {
            case SECONDS -> 9_999_999;
            case MINUTES -> 72_000;
            case HOURS -> 12_000;
            case DAYS -> 500;
            case WEEKS -> 71;
            default -> 16;
        };
    }

    private static List<Integer> numbers(JsonNode node, int min, int max, String path) {
        if (node == null) {
            return List.of();
        }
        if (!node.isArray()) {
            throw Definitions.invalid("The template validation failed: the schedule's values must be an array.", path);
        }
        TreeSet<Integer> out = new TreeSet<>();
        for (JsonNode n : node) {
            if (!n.isIntegralNumber() || n.intValue() < min || n.intValue() > max) {
                throw Definitions.invalid("The template validation failed: the schedule value '" + n.asString()
                        + "' is not valid: use integers from " + min + " to " + max + ".", path);
            }
            out.add(n.intValue());
        }
        return List.copyOf(out);
    }

    /** The first due time strictly after {@code after}; {@code armed} anchors a recurrence without a start time. */
    public Instant next(Instant after, Instant armed) {
        LocalDateTime anchor = anchorStart != null ? anchorStart
                : LocalDateTime.ofInstant(armed, zone).truncatedTo(ChronoUnit.SECONDS);
        LocalDateTime now = LocalDateTime.ofInstant(after, zone);
        boolean scheduled = !hours.isEmpty() || !minutes.isEmpty() || !weekDays.isEmpty();
        if (!scheduled) {
            if (now.isBefore(anchor)) {
                return anchor.atZone(zone).toInstant();
            }
            long step = unit.between(anchor, now) / interval * interval;
            LocalDateTime candidate = anchor.plus(step, unit);
            while (!candidate.atZone(zone).toInstant().isAfter(after)) {
                candidate = candidate.plus(interval, unit);
            }
            return candidate.atZone(zone).toInstant();
        }
        List<Integer> hs = hours.isEmpty() ? List.of(anchor.getHour()) : hours;
        List<Integer> ms = minutes.isEmpty() ? List.of(anchor.getMinute()) : minutes;
        LocalDate day = now.toLocalDate().isBefore(anchor.toLocalDate()) ? anchor.toLocalDate() : now.toLocalDate();
        for (int i = 0; i < 366 * 8 * interval; i++, day = day.plusDays(1)) {
            if (!dayMatches(day, anchor.toLocalDate())) {
                continue;
            }
            for (int h : hs) {
                for (int m : ms) {
                    LocalDateTime t = day.atTime(h, m);
                    if (t.isBefore(anchor)) {
                        continue;
                    }
                    ZonedDateTime zoned = t.atZone(zone);
                    if (zoned.toInstant().isAfter(after)) {
                        return zoned.toInstant();
                    }
                }
            }
        }
        throw new IllegalStateException("no due time within eight years: " + this);
    }

    private boolean dayMatches(LocalDate day, LocalDate anchor) {
        if (unit == ChronoUnit.DAYS) {
            return ChronoUnit.DAYS.between(anchor, day) % interval == 0;
        }
        DayOfWeek dow = day.getDayOfWeek();
        if (!(weekDays.isEmpty() ? dow == anchor.getDayOfWeek() : weekDays.contains(dow))) {
            return false;
        }
        LocalDate anchorWeek = anchor.with(DayOfWeek.MONDAY);
        LocalDate week = day.with(DayOfWeek.MONDAY);
        return ChronoUnit.WEEKS.between(anchorWeek, week) % interval == 0 || week.get(IsoFields.WEEK_BASED_YEAR) < 0;
    }
}
