package dev.cirrus.gateway.sdk;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import javax.tools.ToolProvider;

import com.azure.core.management.Region;
import com.azure.resourcemanager.AzureResourceManager;
import com.azure.resourcemanager.appservice.models.AppServicePlan;
import com.azure.resourcemanager.appservice.models.AppSetting;
import com.azure.resourcemanager.appservice.models.ConnectionStringType;
import com.azure.resourcemanager.appservice.models.DeploymentSlot;
import com.azure.resourcemanager.appservice.models.OperatingSystem;
import com.azure.resourcemanager.appservice.models.PricingTier;
import com.azure.resourcemanager.appservice.models.PublishingProfile;
import com.azure.resourcemanager.appservice.models.RuntimeStack;
import com.azure.resourcemanager.appservice.models.WebApp;
import dev.cirrus.gateway.identity.GatewayData;
import dev.cirrus.gateway.support.AzureSdk;
import dev.cirrus.gateway.support.ChildService;
import dev.cirrus.gateway.support.FakeService;
import dev.cirrus.gateway.support.Gateway;
import dev.cirrus.gateway.support.RawHttp;
import dev.cirrus.gateway.support.TestDatabase;
import dev.cirrus.gateway.tls.HttpsListener;
import dev.cirrus.testkit.TestInfrastructure;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Web apps with the official Azure SDK for Java (azure-resourcemanager-appservice, {@code webApps().define(..)})
 * through the real gateway to the real app-service (its executable jar as a child process): a Linux plan, a Java app
 * on it with app settings and a connection string, the settings read back and changed, deletion; and deployed code
 * answering on the apps' host names through the gateway's front door: a static site, and a Java jar on both of its
 * plan's instances, whose processes end when app-service stops; a deployment slot with its own host and content,
 * swapped into production. The host traffic goes to app-service because the gateway's resource index knows the sites as web
 * apps (their kind); serverless, run beside it, keeps the function apps' hosts.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@Tag("scenario") // slow: runs in the second Maven run of ./cirrus test (root pom.xml)
class WebAppSdkTest {

    static final int appServicePort = FakeService.freePort();
    static final int serverlessPort = FakeService.freePort();
    static final FakeService otherServices = FakeService.start();
    static ChildService appService;
    static ChildService serverless;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        TestDatabase.withoutKafka(registry, "gateway_webapp_sdk");
        registry.add("cirrus.gateway.services.app-service", () -> "http://127.0.0.1:" + appServicePort);
        registry.add("cirrus.gateway.services.serverless", () -> "http://127.0.0.1:" + serverlessPort);
        for (String module : new String[] {"compute-vm", "compute-container", "billing"}) {
            registry.add("cirrus.gateway.services." + module, () -> otherServices.url().toString());
        }
    }

    @BeforeAll
    static void startServices() {
        TestInfrastructure.PostgresEndpoint pg = TestInfrastructure.postgres();
        appService = ChildService.launch("app-service", appServicePort,
                "--spring.datasource.url=" + pg.newDatabase("gw_webapp_app_service"),
                "--spring.datasource.username=" + pg.username(), "--spring.datasource.password=" + pg.password(),
                "--cirrus.kafka.bootstrap-servers=", "--cirrus.appservice.sites.content-root=target/webapp-sdk-content");
        serverless = ChildService.launch("serverless", serverlessPort,
                "--spring.datasource.url=" + pg.newDatabase("gw_webapp_serverless"),
                "--spring.datasource.username=" + pg.username(), "--spring.datasource.password=" + pg.password(),
                "--cirrus.kafka.bootstrap-servers=");
        appService.awaitReady();
        serverless.awaitReady();
    }

    /** The processes of the Java app deployed here: app-service ends them when it stops. */
    static final Set<Long> appProcesses = java.util.concurrent.ConcurrentHashMap.newKeySet();

    @AfterAll
    static void stop() {
        otherServices.close();
        if (appService != null) {
            appService.close();
        }
        assertThat(appProcesses).as("the apps' processes end with app-service").allSatisfy(pid ->
                assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)).isFalse());
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

    @Test
    void theJavaSdkCreatesAWebAppWithSettingsReadsAndChangesThemAndDeletesIt() {
        AzureResourceManager azure = AzureSdk.signedIn(data, https.port());
        String group = "webapp-sdk-rg";
        String name = "web-" + UUID.randomUUID().toString().substring(0, 8);
        azure.resourceGroups().define(group).withRegion(Region.EUROPE_WEST).create();
        AppServicePlan plan = azure.appServicePlans().define(name + "-plan").withRegion(Region.EUROPE_WEST)
                .withExistingResourceGroup(group).withPricingTier(PricingTier.STANDARD_S1)
                .withOperatingSystem(OperatingSystem.LINUX).withCapacity(2).create();

        WebApp app = azure.webApps().define(name)
                .withExistingLinuxPlan(plan)
                .withExistingResourceGroup(group)
                .withBuiltInImage(RuntimeStack.JAVA_17_JAVA17)
                .withAppSetting("GREETING", "hej")
                .withConnectionString("db", "Server=db1", ConnectionStringType.SQLAZURE)
                .create();

        assertThat(app.name()).isEqualTo(name);
        assertThat(app.regionName()).isEqualTo("westeurope");
        assertThat(app.appServicePlanId()).isEqualTo(plan.id());
        assertThat(app.operatingSystem()).isEqualTo(OperatingSystem.LINUX);
        assertThat(app.linuxFxVersion()).isEqualTo("JAVA|17-java17");
        assertThat(app.defaultHostname()).startsWith(name + ".azurewebsites.localhost");
        assertThat(app.state()).isEqualTo("Running");
        Map<String, AppSetting> settings = app.getAppSettings();
        assertThat(settings.get("GREETING").value()).isEqualTo("hej");
        assertThat(app.getConnectionStrings().get("db").value()).isEqualTo("Server=db1");

        app.update().withAppSetting("MORE", "yes").withoutAppSetting("GREETING").apply();
        WebApp read = azure.webApps().getById(app.id());
        assertThat(read.getAppSettings()).containsKey("MORE").doesNotContainKey("GREETING");
        assertThat(azure.appServicePlans().getById(plan.id()).numberOfWebApps()).isEqualTo(1);
        PublishingProfile profile = read.getPublishingProfile();
        assertThat(profile.gitUsername()).isEqualTo("$" + name);
        assertThat(profile.gitPassword()).isNotBlank();

        azure.webApps().deleteById(app.id());
        assertThat(azure.webApps().listByResourceGroup(group).stream().count()).isZero();
        azure.appServicePlans().deleteById(plan.id());
    }

    @Test
    void aStaticSiteAndAJavaJarDeployedByZipAnswerThroughTheGatewayOnTheirHosts() {
        AzureResourceManager azure = AzureSdk.signedIn(data, https.port());
        String group = "webapp-serve-rg";
        azure.resourceGroups().define(group).withRegion(Region.EUROPE_WEST).create();
        AppServicePlan plan = azure.appServicePlans().define("serve-plan").withRegion(Region.EUROPE_WEST)
                .withExistingResourceGroup(group).withPricingTier(PricingTier.STANDARD_S1)
                .withOperatingSystem(OperatingSystem.LINUX).withCapacity(2).create();
        String staticName = "static-" + UUID.randomUUID().toString().substring(0, 8);
        String javaName = "java-" + UUID.randomUUID().toString().substring(0, 8);
        WebApp staticSite = azure.webApps().define(staticName).withExistingLinuxPlan(plan)
                .withExistingResourceGroup(group).withBuiltInImage(new RuntimeStack("STATIC", "1.0")).create();
        WebApp javaSite = azure.webApps().define(javaName).withExistingLinuxPlan(plan)
                .withExistingResourceGroup(group).withBuiltInImage(RuntimeStack.JAVA_17_JAVA17)
                .withAppSetting("GREETING", "through the gateway").create();

        azure.resourceGroups().define("webapp-other-rg").withRegion(Region.EUROPE_WEST).create();
        for (String otherGroup : new String[] {"webapp-other-rg", group}) {
            java.net.http.HttpResponse<String> sameName = Gateway.admin(port, data).put("/subscriptions/"
                    + AzureSdk.subscription(data) + "/resourceGroups/" + otherGroup + "/providers/Microsoft.Web/sites/"
                    + javaName.toUpperCase() + "?api-version=2023-12-01", "{\"kind\":\"functionapp\",\"location\":"
                    + "\"westeurope\"}");
            assertThat(sameName.statusCode()).as("a function app cannot take a web app's name (%s)", otherGroup)
                    .isEqualTo(409);
            assertThat(Gateway.errorCode(sameName)).isEqualTo("Conflict");
        }

        RawHttp.Response deployedStatic = deploy(staticSite, zip(Map.of("index.html",
                "<h1>static through the gateway</h1>".getBytes(StandardCharsets.UTF_8))));
        assertThat(deployedStatic.status()).as(deployedStatic.body()).isEqualTo(200);
        RawHttp.Response page = RawHttp.send(port, "GET", "/", staticName + ".azurewebsites.localhost:" + port,
                Map.of(), null);
        assertThat(page.status()).as(page.body()).isEqualTo(200);
        assertThat(page.body()).contains("static through the gateway");

        RawHttp.Response deployedJava = deploy(javaSite, zip(Map.of("app.jar", helloJar())));
        assertThat(deployedJava.status()).as(deployedJava.body()).isEqualTo(200);
        Set<String> instances = new HashSet<>();
        for (int i = 0; i < 6; i++) {
            RawHttp.Response answer = RawHttp.send(port, "GET", "/hello", javaName + ".azurewebsites.localhost:"
                    + port, Map.of(), null);
            assertThat(answer.status()).as(answer.body()).isEqualTo(200);
            assertThat(answer.body()).contains("greeting=through the gateway");
            instances.add(answer.body().substring(answer.body().indexOf("instance=") + 9,
                    answer.body().indexOf(" greeting")));
        }
        assertThat(instances).as("both plan instances answer").hasSize(2);
        for (int i = 0; i < 4; i++) {
            appProcesses.add(Long.parseLong(RawHttp.send(port, "GET", "/pid", javaName + ".azurewebsites.localhost:"
                    + port, Map.of(), null).body()));
        }
        assertThat(appProcesses).hasSize(2);
        RawHttp.Response unknown = RawHttp.send(port, "GET", "/", "nosuchapp-" + UUID.randomUUID().toString()
                .substring(0, 6) + ".azurewebsites.localhost:" + port, Map.of(), null);
        assertThat(unknown.body()).as("a site the index does not know is serverless's, as before")
                .doesNotContain("Web app not found");

        azure.webApps().deleteById(staticSite.id());
        RawHttp.Response gone = RawHttp.send(port, "GET", "/", staticName + ".azurewebsites.localhost:" + port,
                Map.of(), null);
        assertThat(gone.status()).isEqualTo(404);
        // the Java app keeps running: its processes must end when app-service stops (checked after all tests)
    }

    @Test
    void theJavaSdkCreatesASlotDeploysToItsHostAndSwapsItIntoProductionThroughTheGateway() {
        AzureResourceManager azure = AzureSdk.signedIn(data, https.port());
        String group = "webapp-slots-rg";
        String name = "slots-" + UUID.randomUUID().toString().substring(0, 8);
        azure.resourceGroups().define(group).withRegion(Region.EUROPE_WEST).create();
        AppServicePlan plan = azure.appServicePlans().define(name + "-plan").withRegion(Region.EUROPE_WEST)
                .withExistingResourceGroup(group).withPricingTier(PricingTier.STANDARD_S1)
                .withOperatingSystem(OperatingSystem.LINUX).withCapacity(1).create();
        WebApp app = azure.webApps().define(name).withExistingLinuxPlan(plan).withExistingResourceGroup(group)
                .withBuiltInImage(new RuntimeStack("STATIC", "1.0")).withAppSetting("COLOR", "blue").create();

        DeploymentSlot slot = app.deploymentSlots().define("staging").withBrandNewConfiguration()
                .withAppSetting("COLOR", "green").create();

        assertThat(slot.name()).isEqualTo("staging");
        assertThat(slot.defaultHostname()).startsWith(name + "-staging.azurewebsites.localhost");
        assertThat(app.deploymentSlots().list().stream().map(s -> s.name())).containsExactly("staging");
        assertThat(deploy(app, zip(Map.of("index.html", "<h1>blue</h1>".getBytes(StandardCharsets.UTF_8))))
                .status()).isEqualTo(200);
        RawHttp.Response toSlot = deploy(slot.getPublishingProfile(), name + "-staging",
                zip(Map.of("index.html", "<h1>green</h1>".getBytes(StandardCharsets.UTF_8))));
        assertThat(toSlot.status()).as(toSlot.body()).isEqualTo(200);
        assertThat(page(name)).contains("blue");
        assertThat(page(name + "-staging")).as("the slot's host reaches app-service through the gateway")
                .contains("green");

        app.swap("staging");

        assertThat(page(name)).contains("green");
        assertThat(page(name + "-staging")).contains("blue");
        assertThat(azure.webApps().getById(app.id()).getAppSettings().get("COLOR").value()).isEqualTo("green");
        assertThat(app.deploymentSlots().getByName("staging").getAppSettings().get("COLOR").value())
                .isEqualTo("blue");

        azure.webApps().deleteById(app.id());
        assertThat(RawHttp.send(port, "GET", "/", name + "-staging.azurewebsites.localhost:" + port, Map.of(), null)
                .status()).as("the slot went with its app").isEqualTo(404);
        azure.appServicePlans().deleteById(plan.id());
    }

    private String page(String host) {
        RawHttp.Response answer = RawHttp.send(port, "GET", "/", host + ".azurewebsites.localhost:" + port, Map.of(),
                null);
        assertThat(answer.status()).as(answer.body()).isEqualTo(200);
        return answer.body();
    }

    /** Kudu's zip deploy through the gateway, on the app's scm host, with its publishing credentials. */
    private RawHttp.Response deploy(WebApp app, byte[] zip) {
        return deploy(app.getPublishingProfile(), app.name(), zip);
    }

    /** Kudu's zip deploy on the scm host of {@code hostLabel} ({@code {app}} or {@code {app}-{slot}}). */
    private RawHttp.Response deploy(PublishingProfile profile, String hostLabel, byte[] zip) {
        String basic = Base64.getEncoder().encodeToString((profile.gitUsername() + ":" + profile.gitPassword())
                .getBytes(StandardCharsets.UTF_8));
        String head = "POST /api/zipdeploy HTTP/1.1\r\nHost: " + hostLabel + ".scm.azurewebsites.localhost:" + port
                + "\r\nAuthorization: Basic " + basic + "\r\nContent-Type: application/zip\r\nContent-Length: "
                + zip.length + "\r\nConnection: close\r\n\r\n";
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
            socket.setSoTimeout(120_000);
            OutputStream out = socket.getOutputStream();
            out.write(head.getBytes(StandardCharsets.US_ASCII));
            out.write(zip);
            out.flush();
            String text = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            int status = Integer.parseInt(text.substring(0, text.indexOf("\r\n")).split(" ")[1]);
            return new RawHttp.Response(status, Map.of(), text.substring(text.indexOf("\r\n\r\n") + 4));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static byte[] zip(Map<String, byte[]> entries) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream out = new ZipOutputStream(bytes)) {
            for (Map.Entry<String, byte[]> e : entries.entrySet()) {
                out.putNextEntry(new ZipEntry(e.getKey()));
                out.write(e.getValue());
                out.closeEntry();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /**
     * A tiny web app compiled here: it listens on {@code PORT} and answers with its instance id
     * ({@code WEBSITE_INSTANCE_ID}) and the app setting {@code GREETING}.
     */
    private static byte[] helloJar() {
        String source = """
                import com.sun.net.httpserver.HttpServer;
                import java.net.InetSocketAddress;
                import java.nio.charset.StandardCharsets;

                public class Hello {
                    public static void main(String[] args) throws Exception {
                        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1",
                                Integer.parseInt(System.getenv("PORT"))), 0);
                        server.createContext("/pid", ex -> {
                            byte[] body = Long.toString(ProcessHandle.current().pid()).getBytes(StandardCharsets.UTF_8);
                            ex.sendResponseHeaders(200, body.length);
                            ex.getResponseBody().write(body);
                            ex.close();
                        });
                        server.createContext("/", ex -> {
                            byte[] body = ("instance=" + System.getenv("WEBSITE_INSTANCE_ID") + " greeting="
                                    + System.getenv("GREETING")).getBytes(StandardCharsets.UTF_8);
                            ex.sendResponseHeaders(200, body.length);
                            ex.getResponseBody().write(body);
                            ex.close();
                        });
                        server.start();
                    }
                }
                """;
        try {
            Path dir = Files.createTempDirectory("hello-jar");
            Path file = dir.resolve("Hello.java");
            Files.writeString(file, source);
            if (ToolProvider.getSystemJavaCompiler().run(null, null, null, "-d", dir.toString(), file.toString()) != 0) {
                throw new IllegalStateException("the test app did not compile");
            }
            Manifest manifest = new Manifest();
            manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
            manifest.getMainAttributes().put(Attributes.Name.MAIN_CLASS, "Hello");
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            try (JarOutputStream out = new JarOutputStream(bytes, manifest)) {
                out.putNextEntry(new JarEntry("Hello.class"));
                out.write(Files.readAllBytes(dir.resolve("Hello.class")));
                out.closeEntry();
            }
            return bytes.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
