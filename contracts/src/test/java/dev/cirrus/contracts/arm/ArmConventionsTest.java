package dev.cirrus.contracts.arm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;

/** Tags, locations, paging and JSON reading: the conventions every service shares. */
class ArmConventionsTest {

    static final ObjectMapper json = JsonMapper.builder().build();

    private static ArmErrorException refusal(Runnable r) {
        return catchThrowableOfType(ArmErrorException.class, r::run);
    }

    @Test
    void fiftyTagsAreAcceptedAndFiftyOneAreNot() {
        Map<String, String> tags = new LinkedHashMap<>();
        for (int i = 0; i < 50; i++) {
            tags.put("t" + i, "v");
        }
        assertThat(ArmTags.check(tags)).hasSize(50);
        tags.put("one-more", "v");
        ArmErrorException e = refusal(() -> ArmTags.check(tags));
        assertThat(e.error().code()).isEqualTo("InvalidTag");
        assertThat(e.status()).isEqualTo(400);
    }

    @ParameterizedTest(name = "tag name [{0}] -> {1}")
    @CsvSource({"a<b, InvalidTagNameCharacters", "a%b, InvalidTagNameCharacters", "a/b, InvalidTagNameCharacters",
            "a?b, InvalidTagNameCharacters", "a\\b, InvalidTagNameCharacters", "a&b, InvalidTagNameCharacters",
            "' ', InvalidTag"})
    void tagNamesWithReservedCharactersAreRefused(String name, String code) {
        assertThat(refusal(() -> ArmTags.check(Map.of(name, "v"))).error().code()).isEqualTo(code);
    }

    @Test
    void tagLimitsAreArmsOwn() {
        assertThat(ArmTags.check(Map.of("n".repeat(512), "v".repeat(256)))).hasSize(1);
        assertThat(refusal(() -> ArmTags.check(Map.of("n".repeat(513), "v"))).error().code()).isEqualTo("InvalidTag");
        assertThat(refusal(() -> ArmTags.check(Map.of("n", "v".repeat(257)))).error().target()).isEqualTo("tags.n");
        assertThat(refusal(() -> ArmTags.check(Map.of("a\tb", "v"))).error().code())
                .isEqualTo("InvalidTagNameCharacters");
    }

    @Test
    void tagsReadFromABodyNameTheTagOfTheWrongType() throws Exception {
        JsonNode body = json.readTree("{\"tags\":{\"env\":\"dev\",\"n\":5}}");
        ArmErrorException e = refusal(() -> ArmTags.read(body));
        assertThat(e.error().code()).isEqualTo("InvalidRequestContent");
        assertThat(e.error().target()).isEqualTo("tags.n");
        assertThat(ArmTags.read(json.readTree("{\"tags\":null}"))).isEmpty();
    }

    @ParameterizedTest(name = "[{0}] is westeurope")
    @ValueSource(strings = {"West Europe", "westeurope", "WestEurope", "WEST EUROPE", " west europe "})
    void everySpellingOfARegionNormalisesToItsProgrammaticName(String given) {
        assertThat(ArmLocations.normalise(given)).isEqualTo("westeurope");
        assertThat(ArmLocations.require(given, "location")).isEqualTo("westeurope");
        assertThat(ArmLocations.same(given, "westeurope")).isTrue();
    }

    @Test
    void theDisplayNameComesBack() {
        assertThat(ArmLocations.displayName("westeurope")).isEqualTo("West Europe");
        assertThat(ArmLocations.displayName("eastus2")).isEqualTo("East US 2");
        assertThat(ArmLocations.displayName("East US")).isEqualTo("East US");
        assertThat(ArmLocations.displayName("cirrusnorth")).isEqualTo("cirrusnorth");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "west-europe", "west\u0000europe", "a.b"})
    void aLocationThatCannotBeARegionIsRefused(String given) {
        ArmErrorException e = refusal(() -> ArmLocations.require(given, "location"));
        assertThat(e.error().code()).isEqualTo("InvalidLocation");
        assertThat(e.error().target()).isEqualTo("location");
    }

    @Test
    void aSkipTokenRoundTripsAnyPosition() {
        for (String position : List.of("rg/vm7", "", "ünïcode/名前", "12345")) {
            assertThat(SkipToken.decode(SkipToken.encode(position))).isEqualTo(position);
        }
        assertThat(SkipToken.decode(null)).isNull();
        assertThat(SkipToken.decodeOffset(SkipToken.encode("40"))).isEqualTo(40);
    }

    @ParameterizedTest
    @ValueSource(strings = {"forged", "@@@", "aGVsbG8", "%FF", "////", "djE", "djE6\u0000", " djE6"})
    void aGarbledSkipTokenIsA400NamingTheParameter(String token) {
        ArmErrorException e = refusal(() -> SkipToken.decode(token));
        assertThat(e.status()).isEqualTo(400);
        assertThat(e.error().code()).isEqualTo("InvalidParameter");
        assertThat(e.error().target()).isEqualTo("$skiptoken");
    }

    @Test
    void anOffsetTokenMustCarryAnOffset() {
        assertThat(refusal(() -> SkipToken.decodeOffset(SkipToken.encode("rg/vm"))).status()).isEqualTo(400);
        assertThat(refusal(() -> SkipToken.decodeOffset(SkipToken.encode("-5"))).status()).isEqualTo(400);
    }

    @Test
    void topCapsThePageAndMustBePositive() {
        assertThat(PageRequest.of("5", null, 100).size()).isEqualTo(5);
        assertThat(PageRequest.of("500", null, 100).size()).isEqualTo(100);
        assertThat(PageRequest.of(null, null, 100).size()).isEqualTo(100);
        for (String bad : List.of("0", "-1", "x", "99999999999999999999")) {
            assertThat(refusal(() -> PageRequest.of(bad, null, 100)).error().target()).isEqualTo("$top");
        }
    }

    @Test
    void aNextLinkCarriesTheQueryAndReplacesTheOldToken() {
        Map<String, List<String>> query = new LinkedHashMap<>();
        query.put("api-version", List.of("2024-01-01"));
        query.put("$filter", List.of("name eq 'a b&c'"));
        query.put("$skipToken", List.of("old"));
        String link = NextLink.of("https://h/subscriptions/s/things", query, "tok");
        assertThat(link).isEqualTo("https://h/subscriptions/s/things?api-version=2024-01-01"
                + "&$filter=name%20eq%20'a%20b%26c'&$skiptoken=tok");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "{\"n\":99999999999999999999999} | InvalidParameter      | out of range",
            "{\"n\":101}                     | InvalidParameter      | out of range",
            "{\"n\":-1}                      | InvalidParameter      | out of range",
            "{\"n\":1.5}                     | InvalidRequestContent | whole number",
            "{\"n\":\"5\"}                   | InvalidRequestContent | whole number",
            "{\"n\":true}                    | InvalidRequestContent | whole number"})
    void aWholeNumberOutsideItsRangeIsOutOfRangeAndAWrongTypeIsNot(String body, String code, String says)
            throws Exception {
        JsonNode node = json.readTree(body);
        ArmErrorException e = refusal(() -> ArmJson.integer(node, "n", "properties.n", 0, 100));
        assertThat(e.error().code()).isEqualTo(code);
        assertThat(e.error().target()).isEqualTo("properties.n");
        assertThat(e.error().message()).contains(says);
    }

    @Test
    void decimalsAreExactAndInfinityIsOutOfRange() throws Exception {
        assertThat(ArmJson.decimal(json.readTree("{\"a\":0.1}"), "a", "a", BigDecimal.ZERO, BigDecimal.TEN))
                .isEqualByComparingTo("0.1");
        ArmErrorException e = refusal(() -> ArmJson.decimal(readTree("{\"a\":1e400}"), "a", "amount",
                BigDecimal.ZERO, BigDecimal.TEN));
        assertThat(e.error().code()).isEqualTo("InvalidParameter");
        assertThat(e.error().message()).contains("out of range");
    }

    private static JsonNode readTree(String s) {
        return json.readTree(s);
    }

    record Shape(Integer count, List<Inner> items) {
    }

    record Inner(Long size) {
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "{\"count\":99999999999999999999999}          | InvalidParameter      | count         | out of range",
            "{\"items\":[{\"size\":1},{\"size\":1e30}]}   | InvalidParameter      | items[1].size | out of range",
            "{\"items\":[{\"size\":\"big\"}]}             | InvalidRequestContent | items[0].size | wrong type",
            "{\"count\":[1]}                              | InvalidRequestContent | count         | wrong type",
            "{\"count\":1} {}                             | InvalidRequestContent | -             | after the JSON",
            "{\"count\":                                  | InvalidRequestContent | -             | malformed JSON"})
    void bindingErrorsAreDescribedWithTheirPath(String body, String code, String target, String says) {
        var e = catchThrowableOfType(tools.jackson.core.JacksonException.class, () -> json.readValue(body, Shape.class));
        ArmError error = ArmJson.describe(e);
        assertThat(error.code()).as(error.message()).isEqualTo(code);
        assertThat(error.target()).isEqualTo(target.equals("-") ? null : target);
        assertThat(error.message()).contains(says);
    }

    @Test
    void nestingDeeperThanTheParserAllowsIsSaidSo() {
        String deep = "[".repeat(2000) + "]".repeat(2000);
        var e = catchThrowableOfType(tools.jackson.core.JacksonException.class, () -> json.readTree(deep));
        assertThat(ArmJson.describe(e).message()).contains("nested too deeply");
    }

    @Test
    void anErrorExceptionSaysWhoseFaultItIs() {
        assertThat(ArmErrorException.invalidParameter("m", "t").isRefusal()).isTrue();
        ArmErrorException down = ArmErrorException.unavailable("db down", null);
        assertThat(down.isDependencyFailure()).isTrue();
        assertThat(down.status()).isEqualTo(503);
        assertThat(down.error().code()).isEqualTo("ServiceUnavailable");
    }
}
