package dev.cirrus.billing.usage;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Turns billed intervals into usage lines: one line per resource, per UTC calendar day, per meter and unit price.
 *
 * <p>Each interval is first clipped to the period asked for; an open interval ends at {@code now} (and not before it
 * started, should the VM's clock run ahead of billing's). The rest is cut at every UTC midnight, so a line never
 * spans two days, and therefore never two calendar months. Pieces of the same VM, day, size and price add up into
 * one line (a VM stopped and started again the same day is one line); a resize makes a second line that day.
 *
 * <p>Worked example, period October-November, now = 1 Nov 01:30 UTC: a Standard_D2s_v5 (0.096/h) running since
 * 31 Oct 23:00 gives two lines: 31 Oct [23:00, 24:00) 1 h 0.096000, and 1 Nov [00:00, 01:30) 1.5 h 0.144000 with
 * isRunning true. Asked again at 02:00, the second line is 2 h 0.192000.
 *
 * <p>A line is running when it holds the open interval's end (now). An interval that has just opened at now is shown
 * as a running line of 0 hours; a closed interval of zero length is not shown.
 */
final class UsageCalculator {

    private UsageCalculator() {
    }

    static List<UsageLine> lines(List<BilledInterval> intervals, Instant from, Instant to, Instant now) {
        Map<LineKey, Accumulator> lines = new LinkedHashMap<>();
        for (BilledInterval interval : intervals) {
            Instant end = interval.open() ? max(interval.startedAt(), now) : interval.endedAt();
            Instant start = max(interval.startedAt(), from);
            Instant stop = min(end, to);
            if (start.isAfter(stop)) {
                continue;
            }
            if (start.equals(stop) && !(interval.open() && stop.equals(end) && !start.isBefore(from) && start.isBefore(to))) {
                continue;
            }
            Instant pieceStart = start;
            do {
                LocalDate day = LocalDate.ofInstant(pieceStart, ZoneOffset.UTC);
                Instant midnight = day.plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant();
                Instant pieceEnd = min(stop, midnight);
                boolean running = interval.open() && pieceEnd.equals(end);
                lines.computeIfAbsent(new LineKey(interval.resourceKey(), day, interval.meterName().toLowerCase(Locale.ROOT),
                                interval.unitPrice().stripTrailingZeros().toPlainString()), k -> new Accumulator())
                        .add(interval, pieceStart, pieceEnd, running);
                pieceStart = pieceEnd;
            } while (pieceStart.isBefore(stop));
        }
        return lines.entrySet().stream()
                .map(e -> e.getValue().line(e.getKey().day()))
                .sorted(Comparator.comparing(UsageLine::date)
                        .thenComparing(UsageLine::resourceKey)
                        .thenComparing(UsageLine::meterName)
                        .thenComparing(UsageLine::usageStart))
                .toList();
    }

    private record LineKey(String resourceKey, LocalDate day, String size, String price) {
    }

    /**
     * Adds up the pieces of one line, exactly (scaled: quantity x ms, see {@link Money}); the resource's names come
     * from its latest interval (the casing last used).
     */
    private static final class Accumulator {
        private BilledInterval latest;
        private Instant usageStart;
        private Instant usageEnd;
        private long milliseconds;
        private BigDecimal quantityScaled = BigDecimal.ZERO;
        private BigDecimal costScaled = BigDecimal.ZERO;
        private boolean running;

        void add(BilledInterval interval, Instant start, Instant end, boolean runningPiece) {
            if (latest == null || !interval.startedAt().isBefore(latest.startedAt())) {
                latest = interval;
            }
            usageStart = usageStart == null ? start : min(usageStart, start);
            usageEnd = usageEnd == null ? end : max(usageEnd, end);
            long ms = end.toEpochMilli() - start.toEpochMilli();
            milliseconds += ms;
            BigDecimal quantity = interval.quantityPerHour().multiply(BigDecimal.valueOf(ms));
            quantityScaled = quantityScaled.add(quantity);
            costScaled = costScaled.add(quantity.multiply(interval.unitPrice()));
            running |= runningPiece;
        }

        UsageLine line(LocalDate day) {
            return new UsageLine(latest.resourceKey(), latest.resourceId(), latest.resourceType(),
                    latest.subscriptionId(), latest.resourceGroup(), latest.resourceName(), latest.location(),
                    latest.meterCategory(), latest.meterName(), latest.unitOfMeasure(), latest.unitPrice(),
                    latest.currency(), day, usageStart, usageEnd, milliseconds, quantityScaled, costScaled, running);
        }
    }

    private static Instant max(Instant a, Instant b) {
        return a.isAfter(b) ? a : b;
    }

    private static Instant min(Instant a, Instant b) {
        return a.isBefore(b) ? a : b;
    }
}
