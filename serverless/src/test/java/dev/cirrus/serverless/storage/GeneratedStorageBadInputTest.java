package dev.cirrus.serverless.storage;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;

import dev.cirrus.serverless.support.EndToEndTest;
import dev.cirrus.testkit.RawHttp;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Bad input generated from the storage account request shapes — a PUT, a PATCH, a name check, a key regeneration, a
 * list: every member given a value of the wrong JSON type, values outside the allowed sets, names that break the
 * rules, strings far too long and with control characters, deep nesting, and malformed percent-encodings in the
 * query, the {@code $skiptoken} and the path. Every case is answered with a 4xx and an ARM error body, and no account
 * of the subscription is stored or changed.
 */
class GeneratedStorageBadInputTest extends EndToEndTest {

    static final String V = "api-version=2025-01-01";
    static final String SUB = UUID.randomUUID().toString();
    static final String ACCOUNTS = "/subscriptions/" + SUB + "/resourceGroups/rg1/providers/Microsoft.Storage/storageAccounts";
    /** the one account that exists: the PATCH and key cases address it, and it must stay as it was */
    static final String EXISTING = ACCOUNTS + "/existing" + SUB.substring(0, 8);
    static final String ACCOUNT = """
            {"location": "westeurope", "kind": "StorageV2", "sku": {"name": "Standard_LRS"},
             "tags": {"env": "test"},
             "properties": {"accessTier": "Hot", "supportsHttpsTrafficOnly": true, "minimumTlsVersion": "TLS1_2",
                            "allowBlobPublicAccess": false}}
            """;
    static final String CHECK = "{\"name\": \"somefreename\", \"type\": \"Microsoft.Storage/storageAccounts\"}";

    record Case(String description, String method, String target, String body) {
        @Override
        public String toString() {
            return description;
        }
    }

    private static int counter;

    static String fresh() {
        return ACCOUNTS + "/gen" + (++counter) + "x" + SUB.substring(0, 4) + "?" + V;
    }

    static Stream<Case> cases() {
        List<Case> cases = new ArrayList<>();
        shape(cases, "account PUT", ACCOUNT, body -> new Case("", "PUT", fresh(), body));
        shape(cases, "account PATCH", ACCOUNT, body -> new Case("", "PATCH", EXISTING + "?" + V, body));
        shape(cases, "name check", CHECK, body -> new Case("", "POST", "/subscriptions/" + SUB
                + "/providers/Microsoft.Storage/checkNameAvailability?" + V, body));
        shape(cases, "key regeneration", "{\"keyName\": \"key1\"}",
                body -> new Case("", "POST", EXISTING + "/regenerateKey?" + V, body));
        // values outside the allowed sets
        for (String[] swap : new String[][] {{"Standard_LRS", "Standard_XYZ"}, {"StorageV2", "StorageV9"},
                {"\"Hot\"", "\"Lukewarm\""}, {"TLS1_2", "SSL3"}, {"westeurope", "marsnorth"},
                {"westeurope", "westus2"}, {"westeurope", "west europe!"}, {"westeurope", ""},
                {"\"StorageV2\"", "\"FileStorage\""}, {"\"StorageV2\"", "\"BlockBlobStorage\""}}) {
            cases.add(new Case("account PUT with " + swap[1], "PUT", fresh(), ACCOUNT.replace(swap[0], swap[1])));
        }
        cases.add(new Case("account PUT of kind Storage with an access tier", "PUT", fresh(),
                ACCOUNT.replace("StorageV2", "Storage")));
        cases.add(new Case("account PUT without sku", "PUT", fresh(), "{\"location\":\"westeurope\",\"kind\":\"StorageV2\"}"));
        cases.add(new Case("account PUT without kind", "PUT", fresh(), "{\"location\":\"westeurope\",\"sku\":{\"name\":\"Standard_LRS\"}}"));
        cases.add(new Case("account PUT without location", "PUT", fresh(), "{\"kind\":\"StorageV2\",\"sku\":{\"name\":\"Standard_LRS\"}}"));
        cases.add(new Case("account PATCH moving it", "PATCH", EXISTING + "?" + V, "{\"location\":\"eastus\"}"));
        cases.add(new Case("account PATCH to a Premium-only kind", "PATCH", EXISTING + "?" + V, "{\"kind\":\"FileStorage\"}"));
        cases.add(new Case("key regeneration of key3", "POST", EXISTING + "/regenerateKey?" + V, "{\"keyName\":\"key3\"}"));
        cases.add(new Case("key regeneration without a key name", "POST", EXISTING + "/regenerateKey?" + V, "{}"));
        cases.add(new Case("name check of another type", "POST", "/subscriptions/" + SUB
                + "/providers/Microsoft.Storage/checkNameAvailability?" + V, "{\"name\":\"abc\",\"type\":\"Microsoft.Web/sites\"}"));
        cases.add(new Case("name check without a name", "POST", "/subscriptions/" + SUB
                + "/providers/Microsoft.Storage/checkNameAvailability?" + V, "{}"));
        // names that break the rules
        for (String name : List.of("ab", "a".repeat(25), "Upper1", "with-hyphen", "under_score", "dot.ted", "%C3%A9t%C3%A9")) {
            cases.add(new Case("account name " + name, "PUT", ACCOUNTS + "/" + name + "?" + V, ACCOUNT));
        }
        // strings far too long, and control characters
        for (String value : List.of("westeurope", "StorageV2", "Standard_LRS", "TLS1_2", "test")) {
            cases.add(new Case(value + " of 100,000 characters", "PUT", fresh(),
                    ACCOUNT.replace("\"" + value + "\"", "\"" + value + "x".repeat(100_000) + "\"")));
            if (!value.equals("test")) { // a tag value is free text
                cases.add(new Case(value + " with a control character", "PUT", fresh(),
                        ACCOUNT.replace("\"" + value + "\"", "\"" + value + "\\u0007\"")));
            }
        }
        cases.add(new Case("a tag name with reserved characters", "PUT", fresh(), ACCOUNT.replace("\"env\"", "\"a/b\"")));
        // nesting deeper than the parser allows, and broken JSON
        String deep = "[".repeat(5000) + "]".repeat(5000);
        cases.add(new Case("deep nesting in the tags", "PUT", fresh(), ACCOUNT.replace("{\"env\": \"test\"}", deep)));
        cases.add(new Case("deep nesting as an account", "PUT", fresh(), deep));
        cases.add(new Case("trailing garbage after an account", "PUT", fresh(), ACCOUNT + " {}"));
        cases.add(new Case("a cut-off account", "PUT", fresh(), ACCOUNT.substring(0, 40)));
        cases.add(new Case("an array as an account", "PUT", fresh(), "[]"));
        cases.add(new Case("no body for a name check", "POST", "/subscriptions/" + SUB
                + "/providers/Microsoft.Storage/checkNameAvailability?" + V, null));
        // malformed encodings in the URL, and paging parameters
        cases.add(new Case("%FF in the list $skiptoken", "GET", ACCOUNTS + "?" + V + "&$skiptoken=%FF", null));
        cases.add(new Case("%ZZ in the list $skiptoken", "GET", ACCOUNTS + "?" + V + "&$skiptoken=%ZZ", null));
        cases.add(new Case("a garbled list $skiptoken", "GET", ACCOUNTS + "?" + V + "&$skiptoken=3", null));
        cases.add(new Case("a list $top of 0", "GET", ACCOUNTS + "?" + V + "&$top=0", null));
        cases.add(new Case("a list $top that overflows", "GET", ACCOUNTS + "?" + V + "&$top=99999999999999999999", null));
        cases.add(new Case("%FF in an account query", "PUT", fresh() + "&x=%FF", ACCOUNT));
        cases.add(new Case("an encoded slash in an account name", "PUT", ACCOUNTS + "/a%2Fb?" + V, ACCOUNT));
        cases.add(new Case("%FF in an account name", "PUT", ACCOUNTS + "/a%FFb?" + V, ACCOUNT));
        cases.add(new Case("an encoded NUL in an account name", "PUT", ACCOUNTS + "/a%00b?" + V, ACCOUNT));
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

    @Autowired
    JdbcTemplate jdbc;

    /** The existing account as stored (every column), or null before it is created. */
    String existingRow() {
        List<String> rows = jdbc.query("select row_to_json(s)::text from storage_accounts s where id = ?",
                (rs, i) -> rs.getString(1), EXISTING.toLowerCase());
        return rows.isEmpty() ? null : rows.getFirst();
    }

    void ensureExisting() throws Exception {
        if (existingRow() == null) {
            RawHttp.Answer put = new RawHttp(port).send("PUT", EXISTING + "?" + V, ACCOUNT);
            assertThat(put.status()).as(put.body()).isEqualTo(200);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void generatedBadInputIsRefusedWithAnArmErrorAndChangesNothing(Case c) throws Exception {
        ensureExisting();
        String before = existingRow();

        RawHttp.Answer answer = new RawHttp(port).send(c.method(), c.target(), c.body());

        String shown = answer.body().length() > 600 ? answer.body().substring(0, 600) + "…" : answer.body();
        assertThat(answer.status()).as(shown).isBetween(400, 499);
        assertThat(answer.contentType()).as(shown).startsWith("application/json");
        JsonNode error = JSON.readTree(answer.body()).path("error");
        assertThat(error.path("code").stringValue()).as(shown).isNotBlank().isNotEqualTo("AuthenticationFailed");
        assertThat(error.path("message").stringValue()).as(shown).isNotBlank();
        assertThat(answer.body()).doesNotContain("Exception");
        assertThat(jdbc.queryForObject("select count(*) from storage_accounts where lower(subscription_id) = ?",
                Integer.class, SUB.toLowerCase())).as("only the existing account").isEqualTo(1);
        assertThat(existingRow()).isEqualTo(before);
        assertThat(jdbc.queryForObject("select count(*) from outbox where payload like ?", Integer.class,
                "%" + SUB + "%")).as("no event but the existing account's creation").isEqualTo(1);
    }

    @Test
    void theTableHasAtLeastFiftyGeneratedCases() {
        assertThat(cases().count()).isGreaterThanOrEqualTo(50);
    }

    @Test
    void aValidAccountStillPassesSoTheTableTestsTheMutations() throws Exception {
        String sub = UUID.randomUUID().toString();
        RawHttp.Answer put = new RawHttp(port).send("PUT", "/subscriptions/" + sub
                + "/resourceGroups/rg1/providers/Microsoft.Storage/storageAccounts/ok" + sub.substring(0, 8) + "?" + V, ACCOUNT);
        assertThat(put.status()).as(put.body()).isEqualTo(200);
        RawHttp.Answer check = new RawHttp(port).send("POST", "/subscriptions/" + sub
                + "/providers/Microsoft.Storage/checkNameAvailability?" + V, CHECK);
        assertThat(check.status()).as(check.body()).isEqualTo(200);
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

    private static JsonNode at(JsonNode root, String path) {
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
