package dev.cirrus.computevm.monitor;

import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;

import dev.cirrus.contracts.arm.ArmJson;
import dev.cirrus.plumbing.arm.ArmException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * A load profile's {@code properties} as the API reads and writes them (compute-vm/README.md, "Metrics and the load
 * model"): {@code kind} Constant ({@code percentCpu}), Step ({@code from}, {@code to}, {@code at}), Ramp
 * ({@code from}, {@code to}, {@code start}, {@code duration}) or Sine ({@code mean}, {@code amplitude},
 * {@code period}, {@code start}); and for every kind {@code networkInBytesPerSecond},
 * {@code networkOutBytesPerSecond} and {@code memoryPercent} (default 0). Percentages are 0–100, durations ISO 8601
 * and positive, instants ISO 8601 with an offset. A missing {@code start} is the time of the PUT.
 */
final class LoadProfileJson {

    private LoadProfileJson() {
    }

    static LoadProfile parse(JsonNode body, Instant now) {
        ObjectNode root = ArmJson.requireObject(body);
        ObjectNode p = ArmJson.object(root, "properties", "properties");
        if (p == null) {
            throw ArmJson.missing("properties", "properties");
        }
        String kind = ArmJson.oneOf(p, "kind", "properties.kind", "Constant", "Step", "Ramp", "Sine");
        if (kind == null) {
            throw ArmJson.missing("kind", "properties.kind");
        }
        LoadProfile.Traffic traffic = new LoadProfile.Traffic(
                number(p, "networkInBytesPerSecond", 0, 1e12, 0),
                number(p, "networkOutBytesPerSecond", 0, 1e12, 0),
                number(p, "memoryPercent", 0, 100, 0));
        return switch (kind) {
            case "Constant" -> new LoadProfile.Constant(required(p, "percentCpu", 0, 100), traffic);
            case "Step" -> new LoadProfile.Step(required(p, "from", 0, 100), required(p, "to", 0, 100),
                    instant(p, "at", null), traffic);
            case "Ramp" -> new LoadProfile.Ramp(required(p, "from", 0, 100), required(p, "to", 0, 100),
                    instant(p, "start", now), duration(p, "duration"), traffic);
            default -> new LoadProfile.Sine(required(p, "mean", 0, 100), required(p, "amplitude", 0, 100),
                    duration(p, "period"), instant(p, "start", now), traffic);
        };
    }

    static ObjectNode properties(LoadProfile profile, ObjectMapper json) {
        ObjectNode p = json.createObjectNode();
        p.put("kind", profile.kind());
        switch (profile) {
            case LoadProfile.Constant c -> p.put("percentCpu", c.percentCpu());
            case LoadProfile.Step s -> {
                p.put("from", s.from());
                p.put("to", s.to());
                p.put("at", s.at().toString());
            }
            case LoadProfile.Ramp r -> {
                p.put("from", r.from());
                p.put("to", r.to());
                p.put("start", r.start().toString());
                p.put("duration", r.duration().toString());
            }
            case LoadProfile.Sine s -> {
                p.put("mean", s.mean());
                p.put("amplitude", s.amplitude());
                p.put("period", s.period().toString());
                p.put("start", s.start().toString());
            }
        }
        p.put("networkInBytesPerSecond", profile.traffic().networkInBytesPerSecond());
        p.put("networkOutBytesPerSecond", profile.traffic().networkOutBytesPerSecond());
        p.put("memoryPercent", profile.traffic().memoryPercent());
        return p;
    }

    private static double required(ObjectNode p, String name, double min, double max) {
        if (p.path(name).isMissingNode() || p.path(name).isNull()) {
            throw ArmJson.missing(name, "properties." + name);
        }
        return number(p, name, min, max, 0);
    }

    private static double number(ObjectNode p, String name, double min, double max, double absent) {
        JsonNode v = p.path(name);
        if (v.isMissingNode() || v.isNull()) {
            return absent;
        }
        if (!v.isNumber()) {
            throw ArmJson.wrongType("properties." + name, "a number");
        }
        double d = v.doubleValue();
        if (Double.isNaN(d) || d < min || d > max) {
            throw ArmException.invalidParameter("The value of properties." + name + " must be between " + fmt(min)
                    + " and " + fmt(max) + "; it is " + v + ".", "properties." + name);
        }
        return d;
    }

    private static String fmt(double d) {
        return d == Math.rint(d) && Math.abs(d) < 1e15 ? Long.toString((long) d) : Double.toString(d);
    }

    private static Instant instant(ObjectNode p, String name, Instant absent) {
        String text = ArmJson.string(p, name, "properties." + name);
        if (text == null) {
            if (absent == null) {
                throw ArmJson.missing(name, "properties." + name);
            }
            return absent;
        }
        try {
            return java.time.OffsetDateTime.parse(text).toInstant();
        } catch (DateTimeParseException e) {
            throw ArmException.invalidParameter("properties." + name + " '" + text
                    + "' is not an ISO 8601 date and time with an offset, e.g. 2026-12-07T12:00:00Z.",
                    "properties." + name);
        }
    }

    private static Duration duration(ObjectNode p, String name) {
        String text = ArmJson.string(p, name, "properties." + name);
        if (text == null) {
            throw ArmJson.missing(name, "properties." + name);
        }
        Duration d;
        try {
            d = Duration.parse(text);
        } catch (DateTimeParseException e) {
            throw ArmException.invalidParameter("properties." + name + " '" + text
                    + "' is not an ISO 8601 duration, e.g. PT10M.", "properties." + name);
        }
        if (d.isNegative() || d.isZero()) {
            throw ArmException.invalidParameter("properties." + name + " must be a positive duration; it is '" + text
                    + "'.", "properties." + name);
        }
        return d;
    }
}
