package dev.cirrus.serverless.workflow.expression;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The expression language against its table (src/test/resources/workflow/expressions.tsv): every row a definition
 * string value and the JSON it evaluates to, or the kind of error it raises (always Azure's code
 * {@code InvalidTemplate}).
 */
class ExpressionTableTest {

    static final JsonMapper JSON = JsonMapper.builder().build();

    record Row(int line, String expression, String expected) {
        @Override
        public String toString() {
            return line + ": " + expression + " → " + expected;
        }
    }

    static List<Row> rows() throws IOException {
        List<Row> rows = new ArrayList<>();
        try (InputStream in = ExpressionTableTest.class.getResourceAsStream("/workflow/expressions.tsv")) {
            String[] lines = new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n");
            for (int i = 0; i < lines.length; i++) {
                String line = lines[i];
                if (line.isBlank() || line.startsWith("#")) {
                    continue;
                }
                int tab = line.lastIndexOf('\t');
                rows.add(new Row(i + 1, line.substring(0, tab), line.substring(tab + 1)));
            }
        }
        return rows;
    }

    static Stream<Row> table() throws IOException {
        return rows().stream();
    }

    /** The fixed scope the workflow-function rows read. */
    static final class TableScope implements Scope {
        private final Map<String, JsonNode> actions = Map.of(
                "Http", read("{\"status\":\"Succeeded\",\"outputs\":{\"statusCode\":200,\"body\":{\"id\":42,\"tags\":[\"a\",\"b\"]}}}"),
                "Compose", read("{\"status\":\"Succeeded\",\"outputs\":\"composed\"}"));
        private final Map<String, JsonNode> variables = Map.of("counter", read("5"), "list", read("[1,2]"),
                "text", read("\"abc\""));
        private final Map<String, JsonNode> parameters = Map.of("env", read("\"prod\""), "limits", read("{\"max\":10}"));

        @Override
        public Clock clock() {
            return Clock.fixed(Instant.parse("2026-01-02T03:04:05Z"), ZoneOffset.UTC);
        }

        @Override
        public JsonNode trigger() {
            return read("{\"status\":\"Succeeded\",\"outputs\":{\"headers\":{\"Content-Type\":\"application/json\"},"
                    + "\"body\":{\"name\":\"Sophie\",\"items\":[1,2,3],\"nested\":{\"a\":null}}}}");
        }

        @Override
        public JsonNode action(String name) {
            return actions.get(name);
        }

        @Override
        public JsonNode variable(String name) {
            return variables.get(name);
        }

        @Override
        public JsonNode parameter(String name) {
            return parameters.get(name);
        }

        @Override
        public JsonNode item(String loop) {
            return loop.equals("Loop") ? read("{\"id\":7}") : null;
        }

        @Override
        public JsonNode currentItem() {
            return read("{\"id\":7}");
        }

        @Override
        public JsonNode iterationIndex(String loop) {
            return loop.equals("Until") ? read("3") : null;
        }

        @Override
        public JsonNode result(String scope) {
            return scope.equals("Scope") ? read("[{\"name\":\"A\",\"status\":\"Failed\"}]") : null;
        }

        @Override
        public JsonNode workflow() {
            return read("{\"name\":\"wf1\",\"run\":{\"name\":\"run1\"}}");
        }
    }

    static JsonNode read(String json) {
        return JSON.readTree(json);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("table")
    void everyRowOfTheTableEvaluatesAsExpected(Row row) {
        JsonNode value = JSON.getNodeFactory().stringNode(row.expression());
        if (row.expected().startsWith("!")) {
            ExpressionException.Kind kind = ExpressionException.Kind.valueOf(row.expected().substring(1));
            assertThatThrownBy(() -> Evaluator.resolve(value, new TableScope()))
                    .isInstanceOfSatisfying(ExpressionException.class, e -> {
                        assertThat(e.kind()).as(e.getMessage()).isEqualTo(kind);
                        assertThat(e.code()).isEqualTo("InvalidTemplate");
                    });
            return;
        }
        JsonNode expected = read(row.expected());
        JsonNode actual = Evaluator.resolve(value, new TableScope());
        assertThat(Evaluator.same(actual, expected)).as("%s gave %s", row.expression(), actual).isTrue();
    }

    @Test
    void theTableHasAtLeastTwoHundredRows() throws IOException {
        assertThat(rows()).hasSizeGreaterThanOrEqualTo(200);
    }

    @Test
    void parseErrorsAreFoundWithoutEvaluating() {
        assertThatThrownBy(() -> Evaluator.check(read("{\"a\":[\"@concat('x'\"]}")))
                .isInstanceOfSatisfying(ExpressionException.class,
                        e -> assertThat(e.kind()).isEqualTo(ExpressionException.Kind.PARSE));
        assertThat(Evaluator.check(read("{\"a\":\"@body('A')\",\"b\":\"x @{outputs('B')}\"}")))
                .extracting(Expr.Call::name).containsExactly("body", "outputs");
    }
}
