package dev.cirrus.appservice.webjob;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.BitSet;
import java.util.List;
import java.util.Locale;

/**
 * A WebJob's {@code schedule}: an NCRONTAB expression of six fields, seconds first —
 * {@code {second} {minute} {hour} {day} {month} {day-of-week}} — evaluated in UTC. Each field is {@code *}, a number,
 * a range {@code a-b}, any of them with a step {@code /n}, or a list of those separated by commas; months may be named
 * ({@code JAN}…{@code DEC}) and days of the week too ({@code SUN}…{@code SAT}, 0 = Sunday, 7 = Sunday as well). A
 * time matches when every field does (the day of the month and the day of the week both). For example
 * {@code 0 *}{@code /5 * * * *} is every five minutes, {@code 0 30 9 * * MON-FRI} half past nine on weekdays.
 */
public final class Ncrontab {

    private static final List<String> MONTHS = List.of("JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP",
            "OCT", "NOV", "DEC");
    private static final List<String> DAYS = List.of("SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT");
    /** The longest a search for the next time goes on: a schedule with no time in it (30 February) has none. */
    private static final int MAX_YEARS = 5;

    private final String expression;
    private final BitSet seconds;
    private final BitSet minutes;
    private final BitSet hours;
    private final BitSet days;
    private final BitSet months;
    private final BitSet daysOfWeek;

    private Ncrontab(String expression, BitSet[] fields) {
        this.expression = expression;
        this.seconds = fields[0];
        this.minutes = fields[1];
        this.hours = fields[2];
        this.days = fields[3];
        this.months = fields[4];
        this.daysOfWeek = fields[5];
    }

    /** The schedule; {@link IllegalArgumentException} with the reason when it is not a six-field NCRONTAB. */
    public static Ncrontab parse(String expression) {
        if (expression == null || expression.isBlank()) {
            throw new IllegalArgumentException("the schedule is empty");
        }
        String[] parts = expression.trim().split("\\s+");
        if (parts.length != 6) {
            throw new IllegalArgumentException("it has " + parts.length + " fields; NCRONTAB has 6: {second} {minute} "
                    + "{hour} {day} {month} {day-of-week}");
        }
        BitSet[] fields = {
            field(parts[0], "second", 0, 59, null),
            field(parts[1], "minute", 0, 59, null),
            field(parts[2], "hour", 0, 23, null),
            field(parts[3], "day", 1, 31, null),
            field(parts[4], "month", 1, 12, MONTHS),
            field(parts[5], "day-of-week", 0, 7, DAYS),
        };
        if (fields[5].get(7)) {
            fields[5].set(0);
            fields[5].clear(7);
        }
        return new Ncrontab(expression.trim(), fields);
    }

    private static BitSet field(String text, String name, int min, int max, List<String> names) {
        BitSet set = new BitSet(max + 1);
        for (String item : text.split(",", -1)) {
            if (item.isEmpty()) {
                throw new IllegalArgumentException("the " + name + " field '" + text + "' has an empty item");
            }
            int step = 1;
            String range = item;
            int slash = item.indexOf('/');
            if (slash >= 0) {
                step = number(item.substring(slash + 1), name, 1, max, null);
                range = item.substring(0, slash);
            }
            int from;
            int to;
            if (range.equals("*")) {
                from = min;
                to = max == 7 ? 6 : max;
            } else if (range.indexOf('-') > 0) {
                from = number(range.substring(0, range.indexOf('-')), name, min, max, names);
                to = number(range.substring(range.indexOf('-') + 1), name, min, max, names);
                if (to < from) {
                    throw new IllegalArgumentException("the " + name + " range '" + range + "' goes backwards");
                }
            } else {
                from = number(range, name, min, max, names);
                to = slash >= 0 ? (max == 7 ? 6 : max) : from;
            }
            for (int v = from; v <= to; v += step) {
                set.set(v);
            }
        }
        return set;
    }

    private static int number(String text, String name, int min, int max, List<String> names) {
        if (names != null) {
            int at = names.indexOf(text.toUpperCase(Locale.ROOT));
            if (at >= 0) {
                return names == MONTHS ? at + 1 : at;
            }
        }
        int value;
        try {
            value = Integer.parseInt(text);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + text + "' is not a value of the " + name + " field");
        }
        if (value < min || value > max) {
            throw new IllegalArgumentException("the " + name + " " + value + " is outside " + min + "-" + max);
        }
        return value;
    }

    /** The first time of the schedule strictly after {@code after} (whole seconds, UTC), or null when there is none. */
    public Instant next(Instant after) {
        LocalDateTime t = LocalDateTime.ofInstant(after, ZoneOffset.UTC).truncatedTo(ChronoUnit.SECONDS)
                .plusSeconds(1);
        LocalDateTime limit = t.plusYears(MAX_YEARS);
        while (t.isBefore(limit)) {
            if (!months.get(t.getMonthValue())) {
                t = t.withDayOfMonth(1).truncatedTo(ChronoUnit.DAYS).plusMonths(1);
            } else if (!days.get(t.getDayOfMonth()) || !daysOfWeek.get(sundayZero(t.getDayOfWeek()))) {
                t = t.truncatedTo(ChronoUnit.DAYS).plusDays(1);
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
        return null;
    }

    private static int sundayZero(DayOfWeek day) {
        return day.getValue() % 7;
    }

    @Override
    public String toString() {
        return expression;
    }
}
