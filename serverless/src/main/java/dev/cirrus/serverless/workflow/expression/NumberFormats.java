package dev.cirrus.serverless.workflow.expression;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.text.DecimalFormat;
import java.text.DecimalFormatSymbols;
import java.util.Locale;

import tools.jackson.databind.JsonNode;

/** {@code formatNumber}: .NET's standard numeric formats (C, D, F, N, P with a precision) and custom ones (en-US). */
final class NumberFormats {

    private NumberFormats() {
    }

    static String format(JsonNode number, String format) {
        BigDecimal value = number.decimalValue();
        DecimalFormatSymbols symbols = DecimalFormatSymbols.getInstance(Locale.US);
        if (format.matches("[CcDdFfNnPp]\\d{0,2}")) {
            char kind = Character.toUpperCase(format.charAt(0));
            int digits = format.length() > 1 ? Integer.parseInt(format.substring(1)) : kind == 'D' ? 0 : 2;
            return switch (kind) {
                case 'C' -> (value.signum() < 0 ? "-$" : "$") + grouped(value.abs(), digits, symbols);
                case 'D' -> {
                    if (!number.isIntegralNumber()) {
                        throw Values.invalid("formatNumber", "was invoked with the format 'D', which needs an integer.");
                    }
                    String text = value.abs().toBigInteger().toString();
                    yield (value.signum() < 0 ? "-" : "") + "0".repeat(Math.max(0, digits - text.length())) + text;
                }
                case 'F' -> value.setScale(digits, RoundingMode.HALF_EVEN).toPlainString();
                case 'N' -> grouped(value, digits, symbols);
                default -> grouped(value.movePointRight(2), digits, symbols) + " %";
            };
        }
        String pattern = format;
        int dot = pattern.indexOf('.');
        String integral = dot < 0 ? pattern : pattern.substring(0, dot);
        if (integral.contains(",")) {
            String fraction = dot < 0 ? "" : pattern.substring(dot);
            pattern = "#,##0" + fraction;
        }
        try {
            return new DecimalFormat(pattern, symbols).format(value);
        } catch (IllegalArgumentException e) {
            throw Values.invalid("formatNumber", "was invoked with a format '" + format + "' that is not valid.");
        }
    }

    private static String grouped(BigDecimal value, int digits, DecimalFormatSymbols symbols) {
        DecimalFormat f = new DecimalFormat("#,##0" + (digits > 0 ? "." + "0".repeat(digits) : ""), symbols);
        f.setRoundingMode(RoundingMode.HALF_EVEN);
        return f.format(value);
    }
}
