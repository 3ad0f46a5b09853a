package dev.cirrus.gateway.routing;

import static dev.cirrus.gateway.support.Gateway.errorCode;
import static dev.cirrus.gateway.support.Gateway.json;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import com.azure.resourcemanager.AzureResourceManager;
import com.azure.resourcemanager.appservice.models.FunctionAppBasic;
import com.azure.resourcemanager.appservice.models.WebAppBasic;
import dev.cirrus.gateway.identity.GatewayData;
import dev.cirrus.gateway.support.AzureSdk;
import dev.cirrus.gateway.support.ChildService;
import dev.cirrus.gateway.support.FakeService;
import dev.cirrus.gateway.support.Gateway;
import dev.cirrus.gateway.support.TestDatabase;
import dev.cirrus.gateway.tls.HttpsListener;
import dev.cirrus.testkit.TestInfrastructure;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;

/**
 * {@code Microsoft.Web/sites} lists through the gateway: one list with the sites of both owners, function apps from
 * the real serverless service (its executable jar as a child process) and web apps from a stand-in for app-service
 * that pages its own list, merged in id order and paged with the shared {@code $skiptoken} conventions; an owner that
 * cannot answer makes the list 503, never a part of it. The official Java SDK reads both kinds from it.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class MergedSitesListTest {

    static final String WEB = "api-version=2024-11-01";
    static final String RG_V = "?api-version=2021-04-01";
    static final int serverlessPort = FakeService.freePort();
    /** app-service's web apps: its list pages two at a time */
    static final FakeService appService = FakeService.start();
    static final FakeService otherServices = FakeService.start();
    static ChildService serverless;
    static final List<String> webApps = new ArrayList<>();

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        TestDatabase.withoutKafka(registry, "gateway_sites");
        registry.add("cirrus.gateway.services.serverless", () -> "http://127.0.0.1:" + serverlessPort);
        registry.add("cirrus.gateway.services.app-service", () -> appService.url().toString());
        for (String module : new String[] {"compute-vm", "compute-container", "billing"}) {
            registry.add("cirrus.gateway.services." + module, () -> otherServices.url().toString());
        }
    }

    @BeforeAll
    static void startServerless() {
        TestInfrastructure.PostgresEndpoint pg = TestInfrastructure.postgres();
        serverless = ChildService.start("serverless", serverlessPort,
                "--spring.datasource.url=" + pg.newDatabase("gw_sites_serverless"),
                "--spring.datasource.username=" + pg.username(), "--spring.datasource.password=" + pg.password(),
                "--cirrus.kafka.bootstrap-servers=");
    }

    @AfterAll
    static void stop() {
        appService.close();
        otherServices.close();
        if (serverless != null) {
            serverless.close();
        }
    }

    @LocalServerPort
    int port;

    @Autowired
    GatewayData data;

    @Autowired
    HttpsListener https;

    Gateway arm;
    String sub;

    @BeforeEach
    void signIn() {
        arm = Gateway.admin(port, data);
        sub = AzureSdk.subscription(data);
        appService.reset();
        answerWithWebApps();
    }

    /** app-service's answer: the web apps of the list's scope, in its own order, two a page. */
    static void answerWithWebApps() {
        Pattern list = Pattern.compile("/subscriptions/([^/]+)(?:/resourceGroups/([^/]+))?/providers/Microsoft\\.Web/sites"
                + "\\?([^#]*)", Pattern.CASE_INSENSITIVE);
        appService.answer(r -> {
            Matcher m = list.matcher(r.rawPathAndQuery());
            if (!r.method().equals("GET") || !m.matches()) {
                return FakeService.Reply.json(404, "{\"error\":{\"code\":\"NotFound\",\"message\":\"no\"}}");
            }
            String group = m.group(2);
            List<String> scoped = webApps.stream().filter(id -> id.startsWith("/subscriptions/" + m.group(1) + "/"))
                    .filter(id -> group == null || id.toLowerCase(Locale.ROOT).contains("/resourcegroups/"
                            + group.toLowerCase(Locale.ROOT) + "/")).toList();
            Matcher pageNumber = Pattern.compile("page=(\\d+)").matcher(m.group(3));
            int number = pageNumber.find() ? Integer.parseInt(pageNumber.group(1)) : 0;
            int from = number * 2;
            List<String> page = scoped.subList(Math.min(from, scoped.size()), Math.min(from + 2, scoped.size()));
            String items = page.stream().map(MergedSitesListTest::webApp).collect(Collectors.joining(","));
            String next = from + 2 < scoped.size()
                    ? ",\"nextLink\":\"http://app-service.internal" + r.rawPathAndQuery().replaceAll("\\?.*", "")
                    + "?" + WEB + "&page=" + (number + 1) + "\"" : "";
            return FakeService.Reply.json(200, "{\"value\":[" + items + "]" + next + "}");
        });
    }

    static String webApp(String id) {
        String name = id.substring(id.lastIndexOf('/') + 1);
        return "{\"id\":\"" + id + "\",\"name\":\"" + name + "\",\"type\":\"Microsoft.Web/sites\",\"kind\":\"app\","
                + "\"location\":\"West Europe\",\"tags\":{},\"properties\":{\"state\":\"Running\",\"enabled\":true,"
                + "\"defaultHostName\":\"" + name + ".azurewebsites.net\",\"hostNames\":[\"" + name
                + ".azurewebsites.net\"],\"resourceGroup\":\"" + id.split("/")[4] + "\"}}";
    }

    String functionApp(String group, String name) {
        assertThat(arm.put("/subscriptions/" + sub + "/resourcegroups/" + group + RG_V, "{\"location\":\"westeurope\"}")
                .statusCode()).isIn(200, 201);
        String id = "/subscriptions/" + sub + "/resourceGroups/" + group + "/providers/Microsoft.Web/sites/" + name;
        HttpResponse<String> created = arm.put(id + "?" + WEB, "{\"kind\":\"functionapp\",\"location\":\"westeurope\"}");
        assertThat(created.statusCode()).as(created.body()).isEqualTo(200);
        return id;
    }

    String webAppIn(String group, String name) {
        assertThat(arm.put("/subscriptions/" + sub + "/resourcegroups/" + group + RG_V, "{\"location\":\"westeurope\"}")
                .statusCode()).isIn(200, 201);
        String id = "/subscriptions/" + sub + "/resourceGroups/" + group + "/providers/Microsoft.Web/sites/" + name;
        webApps.add(id);
        return id;
    }

    /** Every item of a list, following nextLink; the pages' sizes into {@code sizes}. */
    List<JsonNode> all(String path, List<Integer> sizes) {
        List<JsonNode> items = new ArrayList<>();
        String next = path;
        while (next != null) {
            HttpResponse<String> page = arm.get(next);
            assertThat(page.statusCode()).as(page.body()).isEqualTo(200);
            JsonNode body = json(page);
            body.path("value").forEach(items::add);
            sizes.add(body.path("value").size());
            String link = body.path("nextLink").isString() ? body.path("nextLink").asString() : null;
            if (link != null) {
                assertThat(link).contains("$skiptoken=").contains(WEB);
                URI uri = URI.create(link);
                next = uri.getRawPath() + "?" + uri.getRawQuery();
            } else {
                next = null;
            }
        }
        return items;
    }

    @Test
    void theSitesOfASubscriptionAreOneListOfBothOwnersInIdOrderPagedBySkipToken() {
        List<String> expected = new ArrayList<>(List.of(
                functionApp("merge-a", "fn-orders-" + suffix()), functionApp("merge-b", "fn-billing-" + suffix()),
                functionApp("merge-b", "fn-audit-" + suffix()),
                webAppIn("merge-a", "web-shop-" + suffix()), webAppIn("merge-b", "web-admin-" + suffix()),
                webAppIn("merge-a", "web-blog-" + suffix())));
        expected.sort(Comparator.comparing(id -> id.toLowerCase(Locale.ROOT)));

        List<Integer> sizes = new ArrayList<>();
        List<JsonNode> listed = all("/subscriptions/" + sub + "/providers/Microsoft.Web/sites?" + WEB + "&$top=4", sizes);

        List<String> ids = listed.stream().map(i -> i.path("id").asString()).toList();
        assertThat(ids.stream().filter(expected::contains).toList()).containsExactlyElementsOf(expected);
        assertThat(ids).isSortedAccordingTo(Comparator.comparing(id -> id.toLowerCase(Locale.ROOT)));
        assertThat(ids).doesNotHaveDuplicates();
        assertThat(sizes).allMatch(n -> n <= 4);
        assertThat(sizes.size()).isGreaterThan(1);
        assertThat(listed).extracting(i -> i.path("kind").asString()).contains("app", "functionapp");
    }

    @Test
    void theSitesOfAGroupAreBothOwnersSitesInThatGroupOnly() {
        String group = "merge-only-" + suffix();
        String fn = functionApp(group, "fn-" + suffix());
        String web = webAppIn(group, "web-" + suffix());
        webAppIn("merge-elsewhere", "web-elsewhere-" + suffix());

        List<JsonNode> listed = all("/subscriptions/" + sub + "/resourceGroups/" + group
                + "/providers/Microsoft.Web/sites?" + WEB, new ArrayList<>());

        assertThat(listed).extracting(i -> i.path("id").asString()).containsExactlyElementsOf(
                List.of(fn, web).stream().sorted(Comparator.comparing(id -> id.toLowerCase(Locale.ROOT))).toList());
    }

    @Test
    void anOwnerThatCannotAnswerMakesTheList503NotAPartOfIt() {
        functionApp("merge-down", "fn-" + suffix());
        appService.answer(r -> FakeService.Reply.json(500, "{\"error\":{\"code\":\"InternalServerError\"}}"));

        HttpResponse<String> listed = arm.get("/subscriptions/" + sub + "/providers/Microsoft.Web/sites?" + WEB);

        assertThat(listed.statusCode()).isEqualTo(503);
        assertThat(errorCode(listed)).isEqualTo("ServiceUnavailable");
        assertThat(Gateway.errorMessage(listed)).contains("'app-service'");
    }

    @Test
    void aGarbledSkipTokenIs400() {
        HttpResponse<String> listed = arm.get("/subscriptions/" + sub + "/providers/Microsoft.Web/sites?" + WEB
                + "&$skiptoken=%25%25not-a-token");

        assertThat(listed.statusCode()).isEqualTo(400);
        assertThat(json(listed).path("error").path("target").asString()).isEqualTo("$skiptoken");
    }

    @Test
    void theJavaSdkListsWebAppsAndFunctionAppsFromTheOneList() {
        String group = "merge-sdk-" + suffix();
        String fn = "fn-sdk-" + suffix();
        String web = "web-sdk-" + suffix();
        functionApp(group, fn);
        webAppIn(group, web);
        AzureResourceManager azure = AzureSdk.signedIn(data, https.port());

        assertThat(azure.webApps().list().stream().map(WebAppBasic::name)).contains(web).doesNotContain(fn);
        assertThat(azure.functionApps().listByResourceGroup(group).stream().map(FunctionAppBasic::name))
                .containsExactly(fn);
        assertThat(azure.webApps().listByResourceGroup(group).stream().map(WebAppBasic::name)).containsExactly(web);
    }

    static String suffix() {
        return Long.toString(System.nanoTime() % 1_000_000_000L, 36);
    }
}
