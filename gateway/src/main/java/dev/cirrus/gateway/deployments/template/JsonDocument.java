package dev.cirrus.gateway.deployments.template;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.ObjectReadContext;
import tools.jackson.core.TokenStreamLocation;
import tools.jackson.core.json.JsonFactory;
import tools.jackson.core.json.JsonReadFeature;

/**
 * A JSON text read into the template language's values ({@link Values}), keeping where every value starts (line
 * and column, both from 1) under its path ({@code properties.template.resources[2].name}), so that template errors
 * can say where they are, as ARM's do ("at line '12' and column '9'").
 *
 * <p>A text that is not JSON is refused with the position of the fault, in ARM's words: {@code "… Path
 * 'properties.template', line 3, position 5."}.
 */
public final class JsonDocument {

    /**
     * ARM reads a deployment's body leniently, and {@code az deployment group create --template-file} counts on it:
     * the CLI splices the template file's text in as it is, after an unquoted {@code template:}, comments included
     * (DeploymentBodiesAsTheAzureCliSendsThemTest shows the body).
     */
    private static final JsonFactory FACTORY = JsonFactory.builder()
            .enable(JsonReadFeature.ALLOW_UNQUOTED_PROPERTY_NAMES, JsonReadFeature.ALLOW_JAVA_COMMENTS).build();
    private static final Pattern COPY = Pattern.compile("\\[copy \\d+]");

    /** Where a value starts in the text. */
    public record Position(int line, int column) { }

    /** The text could not be read as JSON: the message is ARM's, with the path, line and position of the fault. */
    public static final class NotJson extends RuntimeException {
        NotJson(String message) {
            super(message);
        }
    }

    private final Object value;
    private final Map<String, Position> positions;

    private JsonDocument(Object value, Map<String, Position> positions) {
        this.value = value;
        this.positions = positions;
    }

    /** A document without positions (a template that reached the gateway as a value, not as text). */
    public static JsonDocument of(Object value) {
        return new JsonDocument(value, Map.of());
    }

    public static JsonDocument parse(byte[] text) {
        Map<String, Position> positions = new HashMap<>();
        try (JsonParser parser = FACTORY.createParser(ObjectReadContext.empty(), text)) {
            Reader reader = new Reader(parser, positions);
            if (parser.nextToken() == null) {
                return new JsonDocument(null, positions);
            }
            Object value = reader.value("");
            JsonToken trailing = parser.nextToken();
            if (trailing != null) {
                TokenStreamLocation at = parser.currentTokenLocation();
                throw new NotJson("Additional text encountered after finished reading JSON content: "
                        + parser.getString() + ". Path '', line " + at.getLineNr() + ", position "
                        + at.getColumnNr() + ".");
            }
            return new JsonDocument(value, positions);
        } catch (Reader.Failure failure) {
            throw new NotJson(failure.getMessage());
        } catch (JacksonException e) {
            TokenStreamLocation at = e.getLocation();
            String message = firstLine(e.getOriginalMessage());
            throw new NotJson(message + (message.endsWith(".") ? "" : ".") + " Path '', line "
                    + (at == null ? 1 : at.getLineNr()) + ", position " + (at == null ? 1 : at.getColumnNr()) + ".");
        }
    }

    public static JsonDocument parse(String text) {
        return parse(text.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    public Object value() {
        return value;
    }

    /** The document below {@code path} (for the template inside a request): its positions stay those of the text. */
    public JsonDocument at(String path, Object value) {
        String prefix = key(path);
        Map<String, Position> below = new HashMap<>();
        positions.forEach((p, position) -> {
            if (p.equals(prefix)) {
                below.put("", position);
            } else if (p.startsWith(prefix + ".") || p.startsWith(prefix + "[")) {
                below.put(p.substring(prefix.length() + (p.charAt(prefix.length()) == '.' ? 1 : 0)), position);
            }
        });
        return new JsonDocument(value, below);
    }

    /**
     * Where the value at {@code path} starts, or where its nearest enclosing value starts; {@code null} when the
     * document has no positions. Copies of a loop ({@code resources[2][copy 1]}) are where their resource is.
     */
    public Position position(String path) {
        if (positions.isEmpty() || path == null) {
            return null;
        }
        String p = key(COPY.matcher(path).replaceAll(""));
        while (true) {
            Position found = positions.get(p);
            if (found != null || p.isEmpty()) {
                return found;
            }
            int cut = Math.max(p.lastIndexOf('.'), p.lastIndexOf('['));
            p = cut < 0 ? "" : p.substring(0, cut);
        }
    }

    private static String key(String path) {
        return path.toLowerCase(Locale.ROOT);
    }

    private static String firstLine(String message) {
        String text = message == null ? "Invalid JSON" : message;
        int newline = text.indexOf('\n');
        text = newline < 0 ? text : text.substring(0, newline);
        // the parser's own source description says nothing to the client
        int marker = text.indexOf(" (start marker at");
        return (marker < 0 ? text : text.substring(0, marker)).strip();
    }

    /** A recursive reader that records each value's start. */
    private static final class Reader {

        private final JsonParser parser;
        private final Map<String, Position> positions;

        Reader(JsonParser parser, Map<String, Position> positions) {
            this.parser = parser;
            this.positions = positions;
        }

        static final class Failure extends RuntimeException {
            Failure(String message) {
                super(message);
            }
        }

        Object value(String path) {
            TokenStreamLocation at = parser.currentTokenLocation();
            positions.putIfAbsent(key(path), new Position(at.getLineNr(), at.getColumnNr()));
            JsonToken token = parser.currentToken();
            try {
                return switch (token) {
                    case START_OBJECT -> object(path);
                    case START_ARRAY -> array(path);
                    case VALUE_STRING -> parser.getString();
                    case VALUE_NUMBER_INT -> integer();
                    case VALUE_NUMBER_FLOAT -> parser.getDoubleValue();
                    case VALUE_TRUE -> Boolean.TRUE;
                    case VALUE_FALSE -> Boolean.FALSE;
                    case VALUE_NULL -> null;
                    default -> throw new Failure("Unexpected token " + token + ". Path '" + path + "', line "
                            + at.getLineNr() + ", position " + at.getColumnNr() + ".");
                };
            } catch (JacksonException e) {
                TokenStreamLocation where = e.getLocation() == null ? at : e.getLocation();
                String message = firstLine(e.getOriginalMessage());
                throw new Failure(message + (message.endsWith(".") ? "" : ".") + " Path '" + path + "', line "
                        + where.getLineNr() + ", position " + where.getColumnNr() + ".");
            }
        }

        private Object integer() {
            return switch (parser.getNumberType()) {
                case INT, LONG -> parser.getLongValue();
                default -> {
                    BigInteger big = parser.getBigIntegerValue();
                    yield big.bitLength() < 64 ? (Object) big.longValue() : (Object) big.doubleValue();
                }
            };
        }

        private Map<String, Object> object(String path) {
            Map<String, Object> out = new LinkedHashMap<>();
            while (true) {
                JsonToken token = next(path, true);
                if (token == JsonToken.END_OBJECT) {
                    return out;
                }
                String name = parser.currentName();
                String child = path.isEmpty() ? name : path + "." + name;
                next(child, false);
                out.put(name, value(child));
            }
        }

        private List<Object> array(String path) {
            List<Object> out = new ArrayList<>();
            while (true) {
                JsonToken token = next(path, false);
                if (token == JsonToken.END_ARRAY) {
                    return out;
                }
                out.add(value(path + "[" + out.size() + "]"));
            }
        }

        /**
         * The next token; a fault names the path it is at. The parser reads a member's value with its name, so a
         * fault while reading a name may be in the value of the member it has just named.
         */
        private JsonToken next(String path, boolean inObject) {
            try {
                JsonToken token = parser.nextToken();
                if (token == null) {
                    TokenStreamLocation at = parser.currentLocation();
                    throw new Failure("Unexpected end when reading JSON. Path '" + path + "', line "
                            + at.getLineNr() + ", position " + at.getColumnNr() + ".");
                }
                return token;
            } catch (JacksonException e) {
                TokenStreamLocation at = e.getLocation() == null ? parser.currentLocation() : e.getLocation();
                String message = firstLine(e.getOriginalMessage());
                String name = inObject ? parser.streamReadContext().currentName() : null;
                String where = name == null ? path : path.isEmpty() ? name : path + "." + name;
                throw new Failure(message + (message.endsWith(".") ? "" : ".") + " Path '" + where + "', line "
                        + at.getLineNr() + ", position " + at.getColumnNr() + ".");
            }
        }
    }
}
