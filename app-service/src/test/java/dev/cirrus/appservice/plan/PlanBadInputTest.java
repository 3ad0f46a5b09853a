package dev.cirrus.appservice.plan;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;

import dev.cirrus.appservice.support.EndToEndTest;
import dev.cirrus.testkit.RawHttp;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import tools.jackson.databind.JsonNode;

/**
 * Bad input to the plan API, one row each: tiers, instances over a tier's maximum, names, locations, wrong JSON types,
 * overflowing numbers, and changes to an existing plan its tier does not allow. Every row is answered with its status
 * and an ARM error body (its code where Azure's is known), and nothing is stored, changed or published.
 */
class PlanBadInputTest extends EndToEndTest {

    static final String V = "?api-version=2024-04-01";
    static final String SUB = UUID.randomUUID().toString();
    static final String PLANS = "/subscriptions/" + SUB + "/resourceGroups/rg1/providers/Microsoft.Web/serverfarms";
    /** the one plan that exists: S1 with 3 instances, Windows, in westeurope; the change cases address it */
    static final String EXISTING = PLANS + "/existing";
    static final String EXISTING_BODY = "{\"location\":\"westeurope\",\"sku\":{\"name\":\"S1\",\"capacity\":3}}";
    static final String ASE = "/subscriptions/" + SUB + "/resourceGroups/rg1/providers/Microsoft.Web/hostingEnvironments/ase1";

    record Case(String description, String method, String target, String body, int status, String code) {
        @Override
        public String toString() {
            return description;
        }
    }

    private static int counter;

    static String fresh() {
        return PLANS + "/new" + (++counter) + V;
    }

    static String withSku(String sku) {
        return "{\"location\":\"westeurope\",\"sku\":" + sku + "}";
    }

    static Stream<Case> cases() {
        List<Case> c = new ArrayList<>();
        // tiers and SKUs
        c.add(new Case("an unknown SKU", "PUT", fresh(), withSku("{\"name\":\"Z9\"}"), 400, "InvalidSku"));
        c.add(new Case("a retired SKU name", "PUT", fresh(), withSku("{\"name\":\"P4v3\"}"), 400, "InvalidSku"));
        c.add(new Case("a tier that is not the SKU's", "PUT", fresh(), withSku("{\"name\":\"S1\",\"tier\":\"Basic\"}"), 400, "InvalidSku"));
        c.add(new Case("an unknown size without a name", "PUT", fresh(), withSku("{\"size\":\"S9\"}"), 400, "InvalidSku"));
        c.add(new Case("a family as a number", "PUT", fresh(), withSku("{\"name\":\"S1\",\"family\":7}"), 400, "InvalidRequestContent"));
        c.add(new Case("a SKU without a name", "PUT", fresh(), withSku("{\"capacity\":1}"), 400, "InvalidParameter"));
        c.add(new Case("no SKU", "PUT", fresh(), "{\"location\":\"westeurope\"}", 400, "InvalidParameter"));
        // instances over (or under) the tier's range
        c.add(new Case("11 instances of S1", "PUT", fresh(), withSku("{\"name\":\"S1\",\"capacity\":11}"), 400, "BadRequest"));
        c.add(new Case("4 instances of B3", "PUT", fresh(), withSku("{\"name\":\"B3\",\"capacity\":4}"), 400, "BadRequest"));
        c.add(new Case("2 instances of F1", "PUT", fresh(), withSku("{\"name\":\"F1\",\"capacity\":2}"), 400, "BadRequest"));
        c.add(new Case("2 instances of D1", "PUT", fresh(), withSku("{\"name\":\"D1\",\"capacity\":2}"), 400, "BadRequest"));
        c.add(new Case("31 instances of P1v3", "PUT", fresh(), withSku("{\"name\":\"P1v3\",\"capacity\":31}"), 400, "BadRequest"));
        c.add(new Case("31 instances of P2mv3", "PUT", fresh(), withSku("{\"name\":\"P2mv3\",\"capacity\":31}"), 400, "BadRequest"));
        c.add(new Case("21 instances of EP1", "PUT", fresh(), withSku("{\"name\":\"EP1\",\"capacity\":21}"), 400, "BadRequest"));
        c.add(new Case("101 instances of I1v2", "PUT", fresh(), "{\"location\":\"westeurope\",\"sku\":{\"name\":\"I1v2\","
                + "\"capacity\":101},\"properties\":{\"hostingEnvironmentProfile\":{\"id\":\"" + ASE + "\"}}}", 400, "BadRequest"));
        c.add(new Case("0 instances of S1", "PUT", fresh(), withSku("{\"name\":\"S1\",\"capacity\":0}"), 400, "BadRequest"));
        c.add(new Case("-1 instances", "PUT", fresh(), withSku("{\"name\":\"S1\",\"capacity\":-1}"), 400, "InvalidParameter"));
        c.add(new Case("instances that overflow", "PUT", fresh(), withSku("{\"name\":\"S1\",\"capacity\":99999999999999999999}"), 400, "InvalidParameter"));
        c.add(new Case("instances of 1e400", "PUT", fresh(), withSku("{\"name\":\"S1\",\"capacity\":1e400}"), 400, "InvalidParameter"));
        c.add(new Case("1.5 instances", "PUT", fresh(), withSku("{\"name\":\"S1\",\"capacity\":1.5}"), 400, "InvalidRequestContent"));
        c.add(new Case("instances as text", "PUT", fresh(), withSku("{\"name\":\"S1\",\"capacity\":\"two\"}"), 400, "InvalidRequestContent"));
        // tier rules
        c.add(new Case("Linux on Shared", "PUT", fresh(), "{\"location\":\"westeurope\",\"sku\":{\"name\":\"D1\"},"
                + "\"properties\":{\"reserved\":true}}", 400, "BadRequest"));
        c.add(new Case("IsolatedV2 outside an App Service Environment", "PUT", fresh(), withSku("{\"name\":\"I1v2\"}"), 400, "BadRequest"));
        c.add(new Case("Standard inside an App Service Environment", "PUT", fresh(), "{\"location\":\"westeurope\","
                + "\"sku\":{\"name\":\"S1\"},\"properties\":{\"hostingEnvironmentProfile\":{\"id\":\"" + ASE + "\"}}}", 400, "BadRequest"));
        c.add(new Case("an App Service Environment id of another type", "PUT", fresh(), "{\"location\":\"westeurope\","
                + "\"sku\":{\"name\":\"I1v2\"},\"properties\":{\"hostingEnvironmentProfile\":{\"id\":\"/x/y\"}}}", 400, "InvalidParameter"));
        c.add(new Case("an elastic maximum under the instances", "PUT", fresh(), "{\"location\":\"westeurope\","
                + "\"sku\":{\"name\":\"EP1\",\"capacity\":5},\"properties\":{\"maximumElasticWorkerCount\":4}}", 400, "BadRequest"));
        c.add(new Case("an elastic maximum over 100", "PUT", fresh(), "{\"location\":\"westeurope\","
                + "\"sku\":{\"name\":\"EP1\"},\"properties\":{\"maximumElasticWorkerCount\":101}}", 400, "BadRequest"));
        // names
        c.add(new Case("a name of 61 characters", "PUT", PLANS + "/" + "a".repeat(61) + V, EXISTING_BODY, 400, "InvalidResourceName"));
        c.add(new Case("a name with an underscore", "PUT", PLANS + "/a_b" + V, EXISTING_BODY, 400, "InvalidResourceName"));
        c.add(new Case("a name with a dot", "PUT", PLANS + "/a.b" + V, EXISTING_BODY, 400, "InvalidResourceName"));
        c.add(new Case("a name with an encoded space", "PUT", PLANS + "/a%20b" + V, EXISTING_BODY, 400, "InvalidResourceName"));
        // locations
        c.add(new Case("a location outside the topology", "PUT", fresh(), EXISTING_BODY.replace("westeurope", "marsnorth"), 400, "LocationNotAvailableForResourceType"));
        c.add(new Case("a location that cannot be a region", "PUT", fresh(), EXISTING_BODY.replace("westeurope", "west europe!"), 400, "InvalidLocation"));
        c.add(new Case("no location", "PUT", fresh(), withSku("{\"name\":\"S1\"}").replace("\"location\":\"westeurope\",", ""), 400, "LocationRequired"));
        c.add(new Case("a location as a number", "PUT", fresh(), EXISTING_BODY.replace("\"westeurope\"", "7"), 400, "InvalidRequestContent"));
        // JSON types and shapes
        c.add(new Case("reserved as text", "PUT", fresh(), "{\"location\":\"westeurope\",\"sku\":{\"name\":\"B1\"},"
                + "\"properties\":{\"reserved\":\"yes\"}}", 400, "InvalidRequestContent"));
        c.add(new Case("properties as an array", "PUT", fresh(), "{\"location\":\"westeurope\",\"sku\":{\"name\":\"B1\"},"
                + "\"properties\":[]}", 400, "InvalidRequestContent"));
        c.add(new Case("sku as text", "PUT", fresh(), withSku("\"S1\""), 400, "InvalidRequestContent"));
        c.add(new Case("tags as an array", "PUT", fresh(), "{\"location\":\"westeurope\",\"sku\":{\"name\":\"B1\"},\"tags\":[]}", 400, "InvalidRequestContent"));
        c.add(new Case("a tag value as a number", "PUT", fresh(), "{\"location\":\"westeurope\",\"sku\":{\"name\":\"B1\"},"
                + "\"tags\":{\"a\":1}}", 400, "InvalidRequestContent"));
        c.add(new Case("a kind with a control character", "PUT", fresh(), "{\"location\":\"westeurope\",\"sku\":{\"name\":\"B1\"},"
                + "\"kind\":\"app\\u0007\"}", 400, "InvalidParameter"));
        c.add(new Case("an array as a plan", "PUT", fresh(), "[]", 400, "InvalidRequestContent"));
        c.add(new Case("malformed JSON", "PUT", fresh(), "{\"location\":", 400, "InvalidRequestContent"));
        c.add(new Case("no body", "PUT", fresh(), null, 400, "InvalidRequestContent"));
        // changes to the existing plan that its tier does not allow
        c.add(new Case("scaling the existing S1 to 11", "PATCH", EXISTING + V, "{\"sku\":{\"name\":\"S1\",\"capacity\":11}}", 400, "BadRequest"));
        c.add(new Case("moving the existing 3 instances to Free", "PATCH", EXISTING + V, "{\"sku\":{\"name\":\"F1\"}}", 400, "BadRequest"));
        c.add(new Case("moving the existing plan to B1 with 4 instances", "PUT", EXISTING + V,
                "{\"location\":\"westeurope\",\"sku\":{\"name\":\"B1\",\"capacity\":4}}", 400, "BadRequest"));
        c.add(new Case("moving the existing plan to Consumption", "PATCH", EXISTING + V, "{\"sku\":{\"name\":\"Y1\"}}", 400, "BadRequest"));
        c.add(new Case("making the existing plan Linux", "PATCH", EXISTING + V, "{\"properties\":{\"reserved\":true}}", 409, "PropertyChangeNotAllowed"));
        c.add(new Case("moving the existing plan to another region", "PUT", EXISTING + V, EXISTING_BODY.replace("westeurope", "eastus"), 409, "InvalidResourceLocation"));
        c.add(new Case("a PATCH with a stale If-Match", "PATCH", EXISTING + V, "{\"tags\":{}}", 412, "PreconditionFailed"));
        c.add(new Case("a PATCH of a plan that does not exist", "PATCH", PLANS + "/absent" + V, "{\"tags\":{}}", 404, "ResourceNotFound"));
        // lists
        c.add(new Case("a list $top of 0", "GET", PLANS + V + "&$top=0", null, 400, "InvalidParameter"));
        c.add(new Case("a list $top that overflows", "GET", PLANS + V + "&$top=99999999999999999999", null, 400, "InvalidParameter"));
        c.add(new Case("a garbled list $skiptoken", "GET", PLANS + V + "&$skiptoken=3", null, 400, null));
        c.add(new Case("no api-version", "PUT", PLANS + "/nover", EXISTING_BODY, 400, null));
        return c.stream();
    }

    @Autowired
    JdbcTemplate jdbc;

    String existingRow() {
        List<String> rows = jdbc.query("select row_to_json(p)::text from app_service_plans p where resource_key = ?",
                (rs, i) -> rs.getString(1), EXISTING.toLowerCase());
        return rows.isEmpty() ? null : rows.getFirst();
    }

    void ensureExisting() throws Exception {
        if (existingRow() == null) {
            RawHttp.Answer put = new RawHttp(port).send("PUT", EXISTING + V, EXISTING_BODY);
            assertThat(put.status()).as(put.body()).isEqualTo(200);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void badInputIsRefusedWithItsArmErrorAndChangesNothing(Case c) throws Exception {
        ensureExisting();
        String before = existingRow();

        RawHttp raw = new RawHttp(port);
        RawHttp.Answer answer = c.description().contains("If-Match")
                ? stale(c) : raw.send(c.method(), c.target(), c.body());

        String shown = answer.body().length() > 600 ? answer.body().substring(0, 600) + "…" : answer.body();
        assertThat(answer.status()).as(shown).isEqualTo(c.status());
        assertThat(answer.contentType()).as(shown).startsWith("application/json");
        JsonNode error = JSON.readTree(answer.body()).path("error");
        assertThat(error.path("code").stringValue()).as(shown).isNotBlank();
        if (c.code() != null) {
            assertThat(error.path("code").stringValue()).as(shown).isEqualTo(c.code());
        }
        assertThat(error.path("message").stringValue()).as(shown).isNotBlank();
        assertThat(answer.body()).doesNotContain("Exception");
        assertThat(jdbc.queryForObject("select count(*) from app_service_plans where subscription_id = ?",
                Integer.class, SUB)).as("only the existing plan").isEqualTo(1);
        assertThat(existingRow()).isEqualTo(before);
        assertThat(jdbc.queryForObject("select count(*) from outbox where payload like ?", Integer.class,
                "%" + SUB + "%")).as("no event but the existing plan's creation").isEqualTo(1);
    }

    private RawHttp.Answer stale(Case c) throws Exception {
        var response = send(c.method(), c.target(), c.body(), "If-Match", "\"stale\"");
        return new RawHttp.Answer(response.statusCode(), response.headers().firstValue("Content-Type").orElse(""),
                response.body());
    }

    @Test
    void theTableHasAtLeastTwentyFiveCases() {
        assertThat(cases().count()).isGreaterThanOrEqualTo(25);
    }

    @Test
    void validPlansOfEveryKindStillPassSoTheTableTestsItsMutations() throws Exception {
        String sub = UUID.randomUUID().toString();
        String plans = "/subscriptions/" + sub + "/resourceGroups/rg1/providers/Microsoft.Web/serverfarms/";
        for (String body : List.of(EXISTING_BODY, withSku("{\"name\":\"I1v2\",\"capacity\":100}").replace("}}",
                        "},\"properties\":{\"hostingEnvironmentProfile\":{\"id\":\"" + ASE + "\"}}}"),
                withSku("{\"name\":\"EP1\",\"capacity\":20}"), withSku("{\"name\":\"B3\",\"capacity\":3}"),
                "{\"location\":\"westeurope\",\"sku\":{\"name\":\"F1\"},\"properties\":{\"reserved\":true}}")) {
            RawHttp.Answer put = new RawHttp(port).send("PUT", plans + "ok" + (++counter) + V, body);
            assertThat(put.status()).as(body + " → " + put.body()).isEqualTo(200);
        }
    }
}
