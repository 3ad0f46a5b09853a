package dev.cirrus.billing;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;

import dev.cirrus.testkit.RawHttp;
import dev.cirrus.testkit.SpringInfrastructure;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Bad input generated from billing's own request shapes — a budget PUT, a workload cost comparison, a usage list:
 * every member given a value of the wrong JSON type, numbers that overflow ({@code 1e400},
 * {@code 99999999999999999999999}), nesting deeper than any parser allows, strings far too long and strings with
 * control characters, and malformed percent-encodings in the query, the {@code $skiptoken} and the path. Every case
 * is answered with a 4xx and an ARM error body, and no budget is stored.
 */
// one meter at a time in the shared consumer group: the context (and its consumer) closes after the class
@DirtiesContext
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class GeneratedBadInputTest {

    static final String API = "api-version=2024-08-01";
    static final String SUB = UUID.randomUUID().toString();
    static final String BUDGETS = "/subscriptions/" + SUB + "/providers/Microsoft.Consumption/budgets";
    static final String COMPARE = "/subscriptions/" + SUB + "/providers/Microsoft.CostManagement/workloadCostComparison";
    static final String USAGE = "/subscriptions/" + SUB + "/providers/Microsoft.Consumption/usageDetails";
    static final ObjectMapper JSON = JsonMapper.builder().build();

    static final String BUDGET = """
            {"properties": {"category": "Cost", "amount": 100, "timeGrain": "Monthly",
              "timePeriod": {"startDate": "2026-11-01T00:00:00Z", "endDate": "2027-11-01T00:00:00Z"},
              "notifications": {"n1": {"enabled": true, "operator": "GreaterThan", "threshold": 80,
                                       "thresholdType": "Actual", "contactEmails": ["ops@example.com"]}}}}
            """;
    static final String WORKLOAD = """
            {"requestsPerDay": 1000, "averageDurationMs": 200, "memoryMb": 512, "vcpus": 2, "memoryGb": 4,
             "location": "eastus", "businessHoursPerDay": 12, "scaleSet": {"minInstances": 1, "maxInstances": 5}}
            """;

    @DynamicPropertySource
    static void infrastructure(DynamicPropertyRegistry registry) {
        SpringInfrastructure.register(registry, "billing");
    }

    record Case(String description, String method, String target, String body) {
        @Override
        public String toString() {
            return description;
        }
    }

    private static int counter;

    static Stream<Case> cases() {
        List<Case> cases = new ArrayList<>();
        shape(cases, "budget", BUDGET, body -> new Case("", "PUT", BUDGETS + "/gen" + (++counter) + "?" + API, body));
        shape(cases, "comparison", WORKLOAD, body -> new Case("", "POST", COMPARE + "?" + API, body));
        // numbers that overflow, or that no amount can be
        for (String n : List.of("1e400", "99999999999999999999999", "-1", "0", "1000000001")) {
            cases.add(new Case("budget amount " + n, "PUT", BUDGETS + "/amount" + (++counter) + "?" + API,
                    BUDGET.replace("\"amount\": 100", "\"amount\": " + n)));
        }
        cases.add(new Case("budget threshold 1e400", "PUT", BUDGETS + "/th?" + API,
                BUDGET.replace("\"threshold\": 80", "\"threshold\": 1e400")));
        for (String field : List.of("requestsPerDay", "averageDurationMs", "memoryMb", "vcpus", "memoryGb",
                "businessHoursPerDay", "minInstances")) {
            String original = at(JSON.readTree(WORKLOAD), field).toString();
            for (String n : List.of("99999999999999999999999", "1e400")) {
                cases.add(new Case("comparison " + field + " = " + n, "POST", COMPARE + "?" + API,
                        WORKLOAD.replace("\"" + field + "\": " + original, "\"" + field + "\": " + n)));
            }
        }
        // strings far too long, and control characters
        for (String field : List.of("category", "timeGrain", "startDate", "operator", "thresholdType")) {
            String original = at(JSON.readTree(BUDGET), field).stringValue();
            cases.add(new Case("budget " + field + " of 100,000 characters", "PUT", BUDGETS + "/long" + (++counter)
                    + "?" + API, BUDGET.replace("\"" + original + "\"", "\"" + original + "x".repeat(100_000) + "\"")));
            cases.add(new Case("budget " + field + " with a control character", "PUT", BUDGETS + "/ctl" + (++counter)
                    + "?" + API, BUDGET.replace("\"" + original + "\"", "\"" + original + "\\u0007\"")));
        }
        cases.add(new Case("comparison location of 100,000 characters", "POST", COMPARE + "?" + API,
                WORKLOAD.replace("\"eastus\"", "\"" + "east".repeat(25_000) + "\"")));
        cases.add(new Case("comparison location with a control character", "POST", COMPARE + "?" + API,
                WORKLOAD.replace("\"eastus\"", "\"east\\u0001us\"")));
        cases.add(new Case("comparison in a location that is no region", "POST", COMPARE + "?" + API,
                WORKLOAD.replace("\"eastus\"", "\"marsnorth\"")));
        cases.add(new Case("a budget name of 100 characters", "PUT", BUDGETS + "/" + "b".repeat(100) + "?" + API, BUDGET));
        cases.add(new Case("a budget name with an encoded control character", "PUT", BUDGETS + "/a%01b?" + API, BUDGET));
        // nesting deeper than the parser allows
        String deep = "[".repeat(5000) + "]".repeat(5000);
        cases.add(new Case("deep nesting in a notification", "PUT", BUDGETS + "/deep1?" + API,
                BUDGET.replace("[\"ops@example.com\"]", deep)));
        cases.add(new Case("deep nesting as a budget", "PUT", BUDGETS + "/deep2?" + API, deep));
        cases.add(new Case("deep nesting as a workload", "POST", COMPARE + "?" + API, deep));
        cases.add(new Case("trailing garbage after a budget", "PUT", BUDGETS + "/trail?" + API, BUDGET + " {}"));
        // malformed encodings in the URL
        cases.add(new Case("%FF in the usage $skiptoken", "GET", USAGE + "?" + API + "&$skiptoken=%FF", null));
        cases.add(new Case("%ZZ in the usage $skiptoken", "GET", USAGE + "?" + API + "&$skiptoken=%ZZ", null));
        cases.add(new Case("a garbled usage $skiptoken", "GET", USAGE + "?" + API + "&$skiptoken=3", null));
        cases.add(new Case("a usage $skiptoken of another list", "GET", USAGE + "?" + API + "&$skiptoken=djE6cmcvdm03",
                null));
        cases.add(new Case("a usage $top that overflows", "GET", USAGE + "?" + API + "&$top=99999999999999999999", null));
        cases.add(new Case("%ZZ in a usage query value", "GET", USAGE + "?" + API + "&startDate=%ZZ", null));
        cases.add(new Case("%FF in a budget query", "PUT", BUDGETS + "/q?" + API + "&x=%FF", BUDGET));
        cases.add(new Case("an encoded slash in a budget name", "PUT", BUDGETS + "/a%2Fb?" + API, BUDGET));
        cases.add(new Case("%FF in a budget name", "PUT", BUDGETS + "/a%FFb?" + API, BUDGET));
        cases.add(new Case("an encoded NUL in a budget name", "PUT", BUDGETS + "/a%00b?" + API, BUDGET));
        return cases.stream();
    }

    /** Every member of a valid body, given a value of a JSON type its reader cannot turn into what it expects. */
    private static void shape(List<Case> cases, String what, String body,
                              java.util.function.Function<String, Case> request) {
        ObjectNode good = (ObjectNode) JSON.readTree(body);
        for (String path : paths(good, "")) {
            JsonNode value = at(good, path);
            JsonNode wrong = value.isString() ? JsonNodeFactory.instance.objectNode().put("not", "a string")
                    : value.isNumber() ? JsonNodeFactory.instance.stringNode("seven")
                    : value.isBoolean() ? JsonNodeFactory.instance.stringNode("perhaps")
                    : value.isObject() ? JsonNodeFactory.instance.arrayNode().add(1)
                    : JsonNodeFactory.instance.objectNode().put("not", "an array");
            Case c = request.apply(with(good, path, wrong));
            cases.add(new Case(what + " " + path + " of the wrong type", c.method(), c.target(), c.body()));
        }
    }

    @LocalServerPort
    int port;
    @Autowired
    JdbcTemplate jdbc;

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void generatedBadInputIsRefusedWithAnArmErrorAndStoresNothing(Case c) throws Exception {
        RawHttp.Answer answer = new RawHttp(port).send(c.method(), c.target(), c.body());

        String shown = answer.body().length() > 600 ? answer.body().substring(0, 600) + "…" : answer.body();
        assertThat(answer.status()).as(shown).isBetween(400, 499);
        assertThat(answer.contentType()).as(shown).startsWith("application/json");
        JsonNode error = JSON.readTree(answer.body()).path("error");
        assertThat(error.path("code").stringValue()).as(shown).isNotBlank()
                // refused for the input, not for missing the service credential
                .isNotEqualTo("AuthenticationFailed");
        assertThat(error.path("message").stringValue()).as(shown).isNotBlank();
        assertThat(answer.body()).doesNotContain("Exception").doesNotContain("1.79");
        assertThat(jdbc.queryForObject("select count(*) from budget where subscription_key = ?", Integer.class,
                SUB.toLowerCase())).isZero();
    }

    @Test
    void theTableHasAtLeastFiftyGeneratedCases() {
        assertThat(cases().count()).isGreaterThanOrEqualTo(50);
    }

    @Test
    void aValidBudgetAndComparisonStillPassSoTheTableTestsTheMutations() throws Exception {
        String sub = UUID.randomUUID().toString();
        RawHttp.Answer budget = new RawHttp(port).send("PUT", "/subscriptions/" + sub
                + "/providers/Microsoft.Consumption/budgets/ok?" + API, BUDGET);
        assertThat(budget.status()).as(budget.body()).isEqualTo(201);
        RawHttp.Answer comparison = new RawHttp(port).send("POST", "/subscriptions/" + sub
                + "/providers/Microsoft.CostManagement/workloadCostComparison?" + API, WORKLOAD.replace("eastus", "West Europe"));
        assertThat(comparison.status()).as(comparison.body()).isEqualTo(200);
    }

    private static List<String> paths(JsonNode node, String prefix) {
        List<String> paths = new ArrayList<>();
        if (node.isObject()) {
            for (var e : node.properties()) {
                String path = prefix.isEmpty() ? e.getKey() : prefix + "." + e.getKey();
                paths.add(path);
                paths.addAll(paths(e.getValue(), path));
            }
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                String path = prefix + "[" + i + "]";
                paths.add(path);
                paths.addAll(paths(node.get(i), path));
            }
        }
        return paths;
    }

    /** The value at a path, or for a bare member name the first member of that name anywhere. */
    private static JsonNode at(JsonNode root, String path) {
        if (!path.contains(".") && !path.contains("[") && root.get(path) == null) {
            return root.findValue(path);
        }
        JsonNode node = root;
        for (String step : path.replace("[", ".[").split("\\.")) {
            node = step.startsWith("[") ? node.get(Integer.parseInt(step.substring(1, step.length() - 1)))
                    : node.get(step);
        }
        return node;
    }

    private static String with(ObjectNode good, String path, JsonNode value) {
        ObjectNode copy = good.deepCopy();
        int cut = Math.max(path.lastIndexOf('.'), path.lastIndexOf('['));
        JsonNode parent = cut < 0 ? copy : at(copy, path.substring(0, cut));
        if (path.endsWith("]")) {
            ((ArrayNode) parent).set(Integer.parseInt(path.substring(cut + 1, path.length() - 1)), value);
        } else {
            ((ObjectNode) parent).set(path.substring(cut + 1), value);
        }
        return copy.toString();
    }
}
