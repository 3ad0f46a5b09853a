package dev.cirrus.serverless.trigger.timer;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.BitSet;
import java.util.List;
import java.util.Locale;

/**
 * A 6-field NCRONTAB schedule as Azure Functions timers use it, in UTC:
 * {@code {second} {minute} {hour} {day} {month} {day-of-week}}. Each field is {@code *}, a value, a range
 * {@code 1-5}, a list {@code 1,3}, or a step {@code *}{@code /5} / {@code 10-30/5}; months and days of week also by
 * three-letter name; day of week 0 (or 7) is Sunday. When both day and day of week are restricted, a time must
 * match both.
 *
 * <p>{@link #next(Instant)} walks forward field by field, largest first: e.g. {@code 0 30 9 * * 1-5} after Friday
 * 10:00 skips the rest of Friday, then Saturday and Sunday whole days at a time, and lands on Monday 09:30:00.
 */
public final class NCrontab {

    private static final List<String> MONTHS = List.of("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec");
    private static final List<String> DAYS = List.of("sun", "mon", "tue", "wed", "thu", "fri", "sat");

    private final String expression;
    private final BitSet seconds;
    private final BitSet minutes;
    private final BitSet hours;
    private final BitSet days;
    private final BitSet months;
    private final BitSet daysOfWeek;

    private NCrontab(String expression, BitSet[] fields) {
        this.expression = expression;
        this.seconds = fields[0];
        this.minutes = fields[1];
        this.hours = fields[2];
        this.days = fields[3];
        this.months = fields[4];
        this.daysOfWeek = fields[5];
    }

    public static NCrontab parse(String expression) {
        if (expression == null || expression.isBlank()) {
            throw new IllegalArgumentException("a timer needs a 'schedule' (6-field NCRONTAB, e.g. '0 */5 * * * *')");
        }
        String[] parts = expression.trim().split("\\s+");
        if (parts.length != 6) {
            throw new IllegalArgumentException("the schedule '" + expression
                    + "' must have 6 fields: second minute hour day month day-of-week");
        }
        BitSet[] fields = {
                field(parts[0], 0, 59, null, expression),
                field(parts[1], 0, 59, null, expression),
                field(parts[2], 0, 23, null, expression),
                field(parts[3], 1, 31, null, expression),
                field(parts[4], 1, 12, MONTHS, expression),
                field(parts[5], 0, 7, DAYS, expression)};
        if (fields[5].get(7)) {
            fields[5].set(0);
        }
        NCrontab crontab = new NCrontab(expression.trim(), fields);
        crontab.next(Instant.EPOCH); // refuses a schedule that never fires, such as 30 February
        return crontab;
    }

    private static BitSet field(String text, int min, int max, List<String> names, String expression) {
        BitSet bits = new BitSet(max + 1);
        for (String item : text.split(",")) {
            String range = item;
            int step = 1;
            int slash = item.indexOf('/');
            if (slash >= 0) {
                range = item.substring(0, slash);
                step = number(item.substring(slash + 1), null, 1, max, expression);
            }
            int from;
            int to;
            if (range.equals("*")) {
                from = min;
                to = max;
            } else if (range.contains("-")) {
                String[] ends = range.split("-", 2);
                from = number(ends[0], names, min, max, expression);
                to = number(ends[1], names, min, max, expression);
                if (to < from) {
                    throw new IllegalArgumentException("the range '" + range + "' in schedule '" + expression + "' runs backwards");
                }
            } else {
                from = number(range, names, min, max, expression);
                to = slash >= 0 ? max : from;
            }
            for (int value = from; value <= to; value += step) {
                bits.set(value);
            }
        }
        return bits;
    }

    private static int number(String text, List<String> names, int min, int max, String expression) {
        if (names != null) {
            int index = names.indexOf(text.toLowerCase(Locale.ROOT));
            if (index >= 0) {
                return names == MONTHS ? index + 1 : index;
            }
        }
        try {
            int value = Integer.parseInt(text);
            if (value < min || value > max) {
                throw new IllegalArgumentException("the value " + value + " in schedule '" + expression
                        + "' is outside " + min + "-" + max);
            }
            return value;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + text + "' in schedule '" + expression + "' is not a number");
        }
    }

    /** The first firing time strictly after {@code after} (whole seconds, UTC). */
    public Instant next(Instant after) {
        LocalDateTime t = LocalDateTime.ofInstant(after, ZoneOffset.UTC).truncatedTo(ChronoUnit.SECONDS).plusSeconds(1);
        LocalDateTime limit = t.plusYears(5);
        while (t.isBefore(limit)) {
            if (!months.get(t.getMonthValue())) {
                t = t.toLocalDate().withDayOfMonth(1).plusMonths(1).atStartOfDay();
            } else if (!days.get(t.getDayOfMonth()) || !daysOfWeek.get(t.getDayOfWeek().getValue() % 7)) {
                t = t.toLocalDate().plusDays(1).atStartOfDay();
            } else if (!hours.get(t.getHour())) {
                t = t.truncatedTo(ChronoUnit.HOURS).plusHours(1);
            } else if (!minutes.get(t.getMinute())) {
                t = t.truncatedTo(ChronoUnit.MINUTES).plusMinutes(1);
            } else if (!seconds.get(t.getSecond())) {
                t = t.plusSeconds(1);
            } else {
                return t.toInstant(ZoneOffset.UTC);
            }
        }
        throw new IllegalArgumentException("the schedule '" + expression + "' never fires");
    }

    @Override
    public String toString() {
        return expression;
    }
}
