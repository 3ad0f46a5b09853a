package dev.cirrus.serverless.function;

import java.util.regex.Pattern;

import dev.cirrus.plumbing.arm.ArmException;

/**
 * The names of a function's files ({@code properties.files}, a zip package's entries, function.json's
 * {@code scriptFile}): relative paths inside the function's folder. Refused with 400: absolute paths ({@code /x},
 * {@code \x}, {@code C:x}), {@code .} and {@code ..} segments, empty segments, backslashes, control characters,
 * and the characters a Windows file name cannot hold; a leading {@code ./} is dropped.
 */
public final class FilePaths {

    /** Any character but controls and those Windows file names cannot hold ({@code \\ / : * ? " < > |}). */
    private static final Pattern SEGMENT = Pattern.compile("[^\\p{Cntrl}\\\\/:*?\"<>|]{1,255}");
    private static final int MAX_LENGTH = 1024;

    private FilePaths() {
    }

    /**
     * The path as stored (without a leading {@code ./}), or a 400 naming {@code target}.
     *
     * @param code the ARM error code (InvalidParameter for the ARM call, InvalidZip for a package)
     */
    public static String check(String name, String code, String target) {
        String path = name == null ? "" : name.replaceFirst("^(\\./)+", "");
        String problem = problem(path);
        if (problem != null) {
            throw ArmException.badRequest(code, "The file name '" + printable(name) + "' is not allowed: " + problem
                    + ". File names are paths relative to the function's folder, e.g. 'index.js' or 'lib/util.js'.",
                    target);
        }
        return path;
    }

    private static String problem(String path) {
        if (path.isEmpty()) {
            return "it is empty";
        }
        if (path.length() > MAX_LENGTH) {
            return "it is longer than " + MAX_LENGTH + " characters";
        }
        if (path.startsWith("/") || path.startsWith("\\") || path.matches("^[A-Za-z]:.*")) {
            return "it is an absolute path";
        }
        if (path.indexOf('\\') >= 0) {
            return "it contains a backslash";
        }
        for (String segment : path.split("/", -1)) {
            if (segment.isEmpty()) {
                return "it has an empty path segment";
            }
            if (segment.equals(".") || segment.equals("..")) {
                return "it has a '" + segment + "' segment, which would leave the function's folder";
            }
            if (!SEGMENT.matcher(segment).matches()) {
                return "'" + printable(segment) + "' holds a control character or one of \\ : * ? \" < > | (or is over 255 characters)";
            }
        }
        return null;
    }

    private static String printable(String text) {
        if (text == null) {
            return "";
        }
        StringBuilder out = new StringBuilder();
        text.codePoints().limit(200).forEach(c -> {
            if (Character.isISOControl(c)) {
                out.append(String.format("\\u%04x", c));
            } else {
                out.appendCodePoint(c);
            }
        });
        return out.toString();
    }
}
