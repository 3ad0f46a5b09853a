package dev.cirrus.billing.price;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;

import tools.jackson.core.JacksonException;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.dataformat.yaml.YAMLMapper;

/**
 * Reads a price sheet from YAML and checks it: unknown fields, wrong types, missing or negative prices all fail with
 * an {@link InvalidPriceSheetException} that says where the sheet is and what is wrong with it.
 */
public final class PriceSheetLoader {

    /** The sheet shipped in the jar, used when {@code cirrus.billing.price-sheet} is not set. */
    public static final String SHIPPED = "classpath:prices/price-sheet-2026-11.yaml";

    private static final String CLASSPATH = "classpath:";

    // strict: a misspelt field in a price sheet is a price silently missing, so it must fail
    private static final ObjectMapper YAML = YAMLMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .build();

    private PriceSheetLoader() {
    }

    /**
     * @param location a file path, {@code classpath:...}, or null for {@link #SHIPPED}
     */
    public static PriceSheet load(String location) {
        String where = location == null ? SHIPPED : location;
        PriceSheet sheet;
        try (InputStream in = open(where)) {
            sheet = YAML.readValue(in, PriceSheet.class);
        } catch (NoSuchFileException e) {
            throw new InvalidPriceSheetException("Price sheet " + where + " does not exist", e);
        } catch (IOException e) {
            throw new InvalidPriceSheetException("Price sheet " + where + " cannot be read: " + e.getMessage(), e);
        } catch (JacksonException e) {
            throw new InvalidPriceSheetException("Price sheet " + where + " is not valid: " + e.getOriginalMessage()
                    + (e.getLocation() != null ? " (line " + e.getLocation().getLineNr() + ")" : ""), e);
        }
        if (sheet == null) {
            throw new InvalidPriceSheetException("Price sheet " + where + " is empty", null);
        }
        List<String> problems = sheet.problems();
        if (!problems.isEmpty()) {
            throw new InvalidPriceSheetException("Price sheet " + where + " is not valid: " + String.join("; ", problems),
                    null);
        }
        return sheet;
    }

    private static InputStream open(String where) throws IOException {
        if (where.startsWith(CLASSPATH)) {
            String resource = where.substring(CLASSPATH.length()).replaceFirst("^/", "");
            InputStream in = PriceSheetLoader.class.getClassLoader().getResourceAsStream(resource);
            if (in == null) {
                throw new NoSuchFileException(where);
            }
            return in;
        }
        return Files.newInputStream(Path.of(where));
    }
}
