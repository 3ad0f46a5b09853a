package dev.cirrus.computevm.vm;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import dev.cirrus.computevm.ComputeVmTestSupport;
import dev.cirrus.testkit.RawHttp;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Bad input generated from the VM PUT body's own shape: every member of a valid body given the wrong JSON type,
 * numbers that overflow, nesting deeper than any parser allows, strings far too long and strings with control
 * characters in every identifier, plus malformed percent-encodings in the query, the {@code $skiptoken} and the
 * path. Every case must be answered with a 4xx and an ARM error body, and must leave nothing behind: no VM row, no
 * operation, no event. Requests are sent byte for byte ({@link RawHttp}), as a careless client would send them.
 */
class GeneratedBadInputTest extends ComputeVmTestSupport {

    private static final String SUB = newSubscription();
    private static final String GOOD = vmBody("Standard_B1s");

    /** One request: the path under the VM collection (name and query) and the body. */
    record Case(String description, String method, String pathAfterCollection, String body) {
        @Override
        public String toString() {
            return description;
        }
    }

    static Stream<Case> cases() {
        List<Case> cases = new ArrayList<>();
        ObjectNode good = (ObjectNode) JSON.readTree(GOOD);
        // every member of the body, given a value of the wrong JSON type
        for (String path : paths(good, "")) {
            JsonNode value = at(good, path);
            JsonNode wrong = value.isString() ? JsonNodeFactory.instance.numberNode(7)
                    : value.isObject() ? JsonNodeFactory.instance.stringNode("an object was expected")
                    : value.isArray() ? JsonNodeFactory.instance.objectNode()
                    : JsonNodeFactory.instance.stringNode("yes");
            cases.add(put(path + " of the wrong type", with(good, path, wrong)));
        }
        // numbers that do not fit, where the shape takes numbers
        String disks = "properties.storageProfile.";
        for (String number : List.of("99999999999999999999999", "1e400", "-99999999999999999999999", "1.5")) {
            cases.add(put("osDisk.diskSizeGB = " + number, GOOD.replace("\"storageProfile\": {",
                    "\"storageProfile\": {\"osDisk\": {\"diskSizeGB\": " + number + "},")));
            cases.add(put("dataDisks[0].lun = " + number, GOOD.replace("\"storageProfile\": {",
                    "\"storageProfile\": {\"dataDisks\": [{\"lun\": " + number
                            + ", \"createOption\": \"Empty\", \"diskSizeGB\": 8}],")));
        }
        // nesting deeper than the parser allows, at three places of the shape
        String deep = "[".repeat(5000) + "]".repeat(5000);
        cases.add(put("deep nesting in a tag value", GOOD.replace("\"test\"", deep)));
        cases.add(put("deep nesting in linuxConfiguration", GOOD.replace("\"computerName\"",
                "\"linuxConfiguration\": " + deep.replace("[", "{\"a\":").replace("]", "}").replace("{\"a\":}", "{}")
                        + ", \"computerName\"")));
        cases.add(put("deep nesting as the body", deep));
        // far too long, and control characters, in every identifier the shape carries
        List<String> identifiers = List.of("location", "properties.hardwareProfile.vmSize",
                "properties.storageProfile.imageReference.publisher", "properties.storageProfile.imageReference.offer",
                "properties.storageProfile.imageReference.sku", "properties.storageProfile.imageReference.version",
                "properties.osProfile.computerName", "properties.osProfile.adminUsername",
                "properties.networkProfile.networkInterfaces[0].id");
        for (String path : identifiers) {
            String original = at(good, path).stringValue();
            cases.add(put(path + " of 100,000 characters", with(good, path,
                    JsonNodeFactory.instance.stringNode(original + "x".repeat(100_000)))));
            cases.add(put(path + " with a control character", with(good, path,
                    JsonNodeFactory.instance.stringNode(original.substring(0, 1) + "\u0007" + original.substring(1)))));
        }
        cases.add(put("a tag name of 513 characters", GOOD.replace("\"owner\"", "\"" + "o".repeat(513) + "\"")));
        cases.add(put("a tag value of 257 characters", GOOD.replace("\"cirrus\"", "\"" + "c".repeat(257) + "\"")));
        cases.add(put("a tag name with a control character", GOOD.replace("\"owner\"", "\"ow\\u0001ner\"")));
        cases.add(put("a reserved admin user name", GOOD.replace("\"azureuser\"", "\"root\"")));
        cases.add(put("trailing garbage after the body", GOOD + " {}"));
        // malformed encodings in the URL
        cases.add(new Case("%FF in a query value", "PUT", "/ok1?" + API + "&x=%FF", GOOD));
        cases.add(new Case("%ZZ in a query value", "PUT", "/ok2?" + API + "&x=%ZZ", GOOD));
        cases.add(new Case("%FF in the api-version", "PUT", "/ok3?api-version=%FF", GOOD));
        cases.add(new Case("an encoded slash in the name", "PUT", "/a%2Fb?" + API, GOOD));
        cases.add(new Case("%FF in the name", "PUT", "/a%FFb?" + API, GOOD));
        cases.add(new Case("an encoded NUL in the name", "PUT", "/a%00b?" + API, GOOD));
        cases.add(new Case("%FF in the $skiptoken", "GET", "?" + API + "&$skiptoken=%FF", null));
        cases.add(new Case("%ZZ in the $skiptoken", "GET", "?" + API + "&$skipToken=%ZZ", null));
        cases.add(new Case("a garbled $skiptoken", "GET", "?" + API + "&$skiptoken=djE6%00", null));
        cases.add(new Case("a $top that overflows", "GET", "?" + API + "&$top=99999999999999999999", null));
        return cases.stream();
    }

    private static int counter;

    private static Case put(String description, String body) {
        return new Case(description, "PUT", "/gen" + (++counter) + "?" + API, body);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void generatedBadInputIsRefusedWithAnArmErrorAndChangesNothing(Case c) throws Exception {
        String collection = "/subscriptions/" + SUB + "/resourceGroups/rg/providers/Microsoft.Compute/virtualMachines";

        RawHttp.Answer answer = new RawHttp(port).send(c.method(), collection + c.pathAfterCollection(), c.body());

        assertThat(answer.status()).as(shortened(answer.body())).isBetween(400, 499);
        assertThat(answer.contentType()).as(shortened(answer.body())).startsWith("application/json");
        JsonNode error = JSON.readTree(answer.body()).path("error");
        assertThat(error.path("code").stringValue()).as(shortened(answer.body())).isNotBlank()
                // refused for the input, not for missing the service credential
                .isNotEqualTo("AuthenticationFailed");
        assertThat(error.path("message").stringValue()).as(shortened(answer.body())).isNotBlank();
        assertThat(answer.body()).doesNotContain("Exception").doesNotContain(PASSWORD);
        assertThat(count("select count(*) from virtual_machines where subscription_key = ?", SUB)).isZero();
        assertThat(count("select count(*) from operations where subscription_key = ?", SUB)).isZero();
        assertThat(count("select count(*) from outbox where record_key like ?", "/subscriptions/" + SUB + "/%")).isZero();
    }

    private static String shortened(String body) {
        return body.length() > 600 ? body.substring(0, 600) + "…" : body;
    }

    @org.junit.jupiter.api.Test
    void theTableHasAtLeastFiftyGeneratedCases() {
        assertThat(cases().count()).isGreaterThanOrEqualTo(50);
    }

    /** Every member path of a JSON value: {@code properties.osProfile.computerName}, {@code …networkInterfaces[0]}. */
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
