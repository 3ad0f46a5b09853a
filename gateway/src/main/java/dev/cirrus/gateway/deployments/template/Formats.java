package dev.cirrus.gateway.deployments.template;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.text.DecimalFormat;
import java.text.DecimalFormatSymbols;
import java.util.List;
import java.util.Locale;

/**
 * {@code format()}: .NET composite formatting, which ARM uses. {@code {0}} inserts an argument, {@code {{} and
 * {@code }}} are literal braces, and {@code {0:N2}}, {@code {0:D4}}, {@code {0:X}}, {@code {0:P0}} or a custom
 * pattern such as {@code {0:000}} format a number. {@code format('{0}-{1:D3}', 'vm', 7)} is {@code vm-007}.
 */
final class Formats {

    private Formats() {
    }

    static String format(String template, List<Object> arguments) {
        StringBuilder out = new StringBuilder();
        int i = 0;
        while (i < template.length()) {
            char c = template.charAt(i);
            if (c == '{' && i + 1 < template.length() && template.charAt(i + 1) == '{') {
                out.append('{');
                i += 2;
            } else if (c == '}' && i + 1 < template.length() && template.charAt(i + 1) == '}') {
                out.append('}');
                i += 2;
            } else if (c == '{') {
                int end = template.indexOf('}', i);
                if (end < 0) {
                    throw invalid(template);
                }
                String item = template.substring(i + 1, end);
                String spec = null;
                int colon = item.indexOf(':');
                if (colon >= 0) {
                    spec = item.substring(colon + 1);
                    item = item.substring(0, colon);
                }
                String alignment = null;
                int comma = item.indexOf(',');
                if (comma >= 0) {
                    alignment = item.substring(comma + 1).strip();
                    item = item.substring(0, comma);
                }
                int index;
                try {
                    index = Integer.parseInt(item.strip());
                } catch (NumberFormatException notAnIndex) {
                    throw invalid(template);
                }
                if (index < 0 || index >= arguments.size()) {
                    throw TemplateException.invalid("The template function 'format' failed: index (zero based) must "
                            + "be greater than or equal to zero and less than the size of the argument list.");
                }
                String text = spec == null ? Values.text(arguments.get(index)) : number(arguments.get(index), spec);
                if (alignment != null) {
                    int width = Integer.parseInt(alignment);
                    text = width >= 0 ? " ".repeat(Math.max(0, width - text.length())) + text
                            : text + " ".repeat(Math.max(0, -width - text.length()));
                }
                out.append(text);
                i = end + 1;
            } else if (c == '}') {
                throw invalid(template);
            } else {
                out.append(c);
                i++;
            }
        }
        return out.toString();
    }

    private static String number(Object value, String spec) {
        if (!(value instanceof Number number)) {
            return Values.text(value);
        }
        char kind = spec.isEmpty() ? 'G' : Character.toUpperCase(spec.charAt(0));
        String digits = spec.length() > 1 ? spec.substring(1) : "";
        boolean standard = digits.chars().allMatch(Character::isDigit) && "NDXFPGCE".indexOf(kind) >= 0;
        if (!standard) {
            return new DecimalFormat(spec, DecimalFormatSymbols.getInstance(Locale.ROOT)).format(number);
        }
        Integer precision = digits.isEmpty() ? null : Integer.parseInt(digits);
        BigDecimal decimal = new BigDecimal(number.toString());
        return switch (kind) {
            case 'D' -> {
                String text = Long.toString(Math.abs(number.longValue()));
                String padded = "0".repeat(Math.max(0, (precision == null ? 0 : precision) - text.length())) + text;
                yield number.longValue() < 0 ? "-" + padded : padded;
            }
            case 'X' -> {
                String hex = Long.toHexString(number.longValue());
                hex = Character.isUpperCase(spec.charAt(0)) ? hex.toUpperCase(Locale.ROOT) : hex;
                yield "0".repeat(Math.max(0, (precision == null ? 0 : precision) - hex.length())) + hex;
            }
            case 'N' -> grouped(decimal, precision == null ? 2 : precision, true);
            case 'F' -> grouped(decimal, precision == null ? 2 : precision, false);
            case 'C' -> "¤" + grouped(decimal, precision == null ? 2 : precision, true);
            case 'P' -> grouped(decimal.movePointRight(2), precision == null ? 2 : precision, true) + " %";
            default -> Values.text(value);
        };
    }

    private static String grouped(BigDecimal value, int decimals, boolean grouping) {
        DecimalFormat format = new DecimalFormat(grouping ? "#,##0" : "0", DecimalFormatSymbols.getInstance(Locale.ROOT));
        format.setMinimumFractionDigits(decimals);
        format.setMaximumFractionDigits(decimals);
        format.setRoundingMode(RoundingMode.HALF_UP);
        return format.format(value);
    }

    private static TemplateException invalid(String template) {
        return TemplateException.invalid("The template function 'format' failed: input string '" + template
                + "' was not in a correct format.");
    }
}
