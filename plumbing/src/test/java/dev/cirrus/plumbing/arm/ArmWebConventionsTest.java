package dev.cirrus.plumbing.arm;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.stream.Stream;

import dev.cirrus.contracts.arm.ArmJson;
import dev.cirrus.contracts.arm.ArmTags;
import dev.cirrus.contracts.arm.PageRequest;
import dev.cirrus.contracts.arm.SkipToken;
import dev.cirrus.testkit.RawHttp;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * The shared ARM conventions on a real Tomcat with a tiny servlet app: whatever a client sends — malformed
 * percent-encoding in a query or a path, an encoded slash in a name, JSON of the wrong type, numbers out of range,
 * deep nesting, garbage after the JSON — the answer is a 4xx with an ARM error body, and nothing is stored.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, classes = ArmWebConventionsTest.App.class,
        properties = "spring.autoconfigure.exclude="
                + "org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration,"
                + "org.springframework.boot.flyway.autoconfigure.FlywayAutoConfiguration")
class ArmWebConventionsTest {

    static final String SUB = "00000000-0000-0000-0000-000000000001";
    static final String THINGS = "/subscriptions/" + SUB + "/resourceGroups/rg/providers/Test.Things/things";
    static final String API = "?api-version=2024-01-01";

    @SpringBootConfiguration
    @EnableAutoConfiguration
    @Import(ArmWebConfiguration.class)
    static class App {
        @Bean
        ThingController thingController() {
            return new ThingController();
        }
    }

    /** A record-bound body (the binder's errors) and a tree-read one (ArmJson's errors). */
    record Thing(Integer count, Long size, BigDecimal amount, Boolean enabled, Map<String, String> tags, Thing child) {
    }

    @RestController
    static class ThingController {
        final Map<String, JsonNode> stored = new ConcurrentSkipListMap<>();

        @PutMapping(THINGS + "/{name}")
        ResponseEntity<JsonNode> put(@PathVariable String name, @RequestBody Thing thing, ObjectMapper json) {
            if (name.contains("/") || name.chars().anyMatch(Character::isISOControl)) {
                throw ArmException.invalidParameter("The name '" + name + "' is not valid.", "name");
            }
            ArmTags.check(thing.tags());
            ArmJson.checkRange(thing.amount(), "amount", BigDecimal.ZERO, new BigDecimal("1000000000"));
            JsonNode body = json.valueToTree(thing);
            stored.put(name, body);
            return ResponseEntity.ok(body);
        }

        @PutMapping(THINGS + "/{name}/tree")
        JsonNode putTree(@PathVariable String name, @RequestBody JsonNode body) {
            ArmJson.requireObject(body);
            ArmJson.integer(body, "count", "count", 1, 100);
            ArmJson.decimal(body, "amount", "amount", BigDecimal.ONE, new BigDecimal("1e9"));
            ArmTags.read(body);
            stored.put(name, body);
            return body;
        }

        @GetMapping(THINGS)
        Map<String, Object> list() {
            PageRequest page = ArmPaging.request(2);
            List<String> names = stored.keySet().stream().filter(n -> page.after() == null || n.compareTo(page.after()) > 0)
                    .limit(page.size() + 1L).toList();
            List<String> shown = names.stream().limit(page.size()).toList();
            return names.size() > page.size() ? Map.of("value", shown, "nextLink", ArmPaging.nextLink(shown.getLast()))
                    : Map.of("value", shown);
        }
    }

    @LocalServerPort
    int port;
    @Autowired
    ThingController things;
    @Autowired
    ObjectMapper json;

    static Stream<Arguments> badRequests() {
        String deep = "{\"child\":".repeat(1200) + "{}" + "}".repeat(1200);
        return Stream.of(
                Arguments.of("?x=%ZZ in a query", "GET", THINGS + API + "&x=%ZZ", null, "InvalidParameter", "x"),
                Arguments.of("%FF in a query value", "GET", THINGS + API + "&x=%FF", null, "InvalidParameter", "x"),
                Arguments.of("a cut-short escape in a query", "GET", THINGS + API + "&x=%4", null, "InvalidParameter", "x"),
                Arguments.of("%FF in the skiptoken", "GET", THINGS + API + "&$skiptoken=%FF", null, "InvalidParameter",
                        "$skiptoken"),
                Arguments.of("a garbled skiptoken", "GET", THINGS + API + "&$skiptoken=@@@", null, "InvalidParameter",
                        "$skiptoken"),
                Arguments.of("a base64 skiptoken of another scheme", "GET", THINGS + API + "&$skipToken=aGVsbG8",
                        null, "InvalidParameter", "$skiptoken"),
                Arguments.of("a negative $top", "GET", THINGS + API + "&$top=-1", null, "InvalidParameter", "$top"),
                Arguments.of("an encoded slash in a name", "PUT", THINGS + "/a%2Fb" + API, "{}", "InvalidParameter", "name"),
                Arguments.of("%FF in a path", "PUT", THINGS + "/a%FFb" + API, "{}", "BadRequest", null),
                Arguments.of("an encoded NUL in a path", "PUT", THINGS + "/a%00b" + API, "{}", "BadRequest", null),
                Arguments.of("a string for an int", "PUT", THINGS + "/t" + API, "{\"count\":\"three\"}",
                        "InvalidRequestContent", "count"),
                Arguments.of("an int overflowing", "PUT", THINGS + "/t" + API, "{\"count\":99999999999999999999999}",
                        "InvalidParameter", "count"),
                Arguments.of("a long overflowing", "PUT", THINGS + "/t" + API, "{\"size\":99999999999999999999999}",
                        "InvalidParameter", "size"),
                Arguments.of("an amount of 1e400", "PUT", THINGS + "/t" + API, "{\"amount\":1e400}",
                        "InvalidParameter", "amount"),
                Arguments.of("a negative amount", "PUT", THINGS + "/t" + API, "{\"amount\":-1}", "InvalidParameter",
                        "amount"),
                Arguments.of("a nested wrong type", "PUT", THINGS + "/t" + API, "{\"child\":{\"enabled\":[1]}}",
                        "InvalidRequestContent", "child.enabled"),
                Arguments.of("a tag value that is an object", "PUT", THINGS + "/t" + API, "{\"tags\":{\"a\":{}}}",
                        "InvalidRequestContent", "tags.a"),
                Arguments.of("a tag name with a control character", "PUT", THINGS + "/t" + API,
                        "{\"tags\":{\"a\\u0001\":\"v\"}}", "InvalidTagNameCharacters", "tags"),
                Arguments.of("a tag value too long", "PUT", THINGS + "/t" + API,
                        "{\"tags\":{\"a\":\"" + "v".repeat(257) + "\"}}", "InvalidTag", "tags.a"),
                Arguments.of("deep nesting", "PUT", THINGS + "/t" + API, deep, "InvalidRequestContent", null),
                Arguments.of("garbage after the JSON", "PUT", THINGS + "/t" + API, "{\"count\":1} x",
                        "InvalidRequestContent", null),
                Arguments.of("malformed JSON", "PUT", THINGS + "/t" + API, "{\"count\":", "InvalidRequestContent", null),
                Arguments.of("a tree: count overflowing", "PUT", THINGS + "/t/tree" + API,
                        "{\"count\":99999999999999999999999}", "InvalidParameter", "count"),
                Arguments.of("a tree: amount 1e400", "PUT", THINGS + "/t/tree" + API, "{\"amount\":1e400}",
                        "InvalidParameter", "amount"),
                Arguments.of("a tree: count as a string", "PUT", THINGS + "/t/tree" + API, "{\"count\":\"1\"}",
                        "InvalidRequestContent", "count"),
                Arguments.of("a tree: an array body", "PUT", THINGS + "/t/tree" + API, "[]", "InvalidRequestContent", null),
                Arguments.of("a tree: 51 tags", "PUT", THINGS + "/t/tree" + API, fiftyOneTags(), "InvalidTag", "tags"));
    }

    private static String fiftyOneTags() {
        StringBuilder b = new StringBuilder("{\"tags\":{");
        for (int i = 0; i < 51; i++) {
            b.append(i == 0 ? "" : ",").append("\"t").append(i).append("\":\"v\"");
        }
        return b.append("}}").toString();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badRequests")
    void badInputIsA400WithAnArmBodyAndStoresNothing(String description, String method, String target, String body,
                                                     String code, String errorTarget) throws Exception {
        RawHttp.Answer answer = new RawHttp(port).send(method, target, body);

        assertThat(answer.status()).as(answer.body()).isEqualTo(400);
        assertThat(answer.contentType()).startsWith("application/json");
        JsonNode error = json.readTree(answer.body()).path("error");
        assertThat(error.path("code").stringValue()).as(answer.body()).isEqualTo(code);
        assertThat(error.path("message").stringValue()).isNotBlank();
        if (errorTarget != null) {
            assertThat(error.path("target").stringValue()).as(answer.body()).isEqualTo(errorTarget);
        }
        if (code.equals("InvalidParameter") && errorTarget != null && List.of("count", "size", "amount").contains(errorTarget)) {
            assertThat(error.path("message").stringValue()).contains("out of range").doesNotContain("malformed");
        }
        assertThat(things.stored).doesNotContainKeys("t", "a/b", "a");
    }

    @Test
    void listsArePagedThroughNextLinksCarryingAnOpaqueSkiptoken() throws Exception {
        for (String name : List.of("p1", "p2", "p3")) {
            assertThat(new RawHttp(port).send("PUT", THINGS + "/" + name + API, "{\"count\":1}").status()).isEqualTo(200);
        }
        JsonNode first = json.readTree(new RawHttp(port).send("GET", THINGS + API + "&%24top=2", null).body());
        assertThat(first.path("value").values()).extracting(JsonNode::stringValue).containsExactly("p1", "p2");
        String next = first.path("nextLink").stringValue();
        assertThat(next).startsWith("http://127.0.0.1:" + port + THINGS + "?api-version=2024-01-01&$top=2&$skiptoken=");
        assertThat(SkipToken.decode(next.substring(next.indexOf("$skiptoken=") + 11))).isEqualTo("p2");

        JsonNode second = json.readTree(new RawHttp(port).send("GET", next.substring(next.indexOf("/subscriptions")),
                null).body());
        assertThat(second.path("value").values()).extracting(JsonNode::stringValue).containsExactly("p3");
        assertThat(second.has("nextLink")).isFalse();
        things.stored.clear();
    }

    @Test
    void aWellFormedRequestStillPasses() throws Exception {
        RawHttp.Answer answer = new RawHttp(port).send("PUT", THINGS + "/ok" + API + "&note=caf%C3%A9",
                "{\"count\":3,\"amount\":12.5,\"tags\":{\"env\":\"dev\"}}");
        assertThat(answer.status()).as(answer.body()).isEqualTo(200);
        assertThat(things.stored).containsKey("ok");
        things.stored.remove("ok");
    }
}
