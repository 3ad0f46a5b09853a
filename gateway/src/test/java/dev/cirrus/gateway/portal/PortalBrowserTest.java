package dev.cirrus.gateway.portal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import dev.cirrus.contracts.placement.v1.Allocation;
import dev.cirrus.contracts.placement.v1.AvailabilitySetGroup;
import dev.cirrus.contracts.placement.v1.PlaceRequest;
import dev.cirrus.contracts.placement.v1.PlacementGroup;
import dev.cirrus.contracts.placement.v1.PlacementServiceGrpc;
import dev.cirrus.contracts.placement.v1.VmSize;
import dev.cirrus.gateway.identity.GatewayData;
import dev.cirrus.gateway.support.ChildService;
import dev.cirrus.gateway.support.FakeService;
import dev.cirrus.gateway.support.Gateway;
import dev.cirrus.gateway.support.TestDatabase;
import dev.cirrus.plumbing.security.ServiceCredential;
import dev.cirrus.plumbing.security.ServiceCredentialGrpc;
import dev.cirrus.testkit.ServiceCredentials;
import dev.cirrus.testkit.TestInfrastructure;
import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;

/**
 * The portal in a real browser: the distribution's headless Chromium driven through its chromedriver by Selenium,
 * against this gateway and the REAL placement engine (its jar as a child process, the small inventory
 * {@code src/test/resources/inventory/operator-topology.yaml}), both on the shared Kafka broker. It signs in with
 * the administrator's client id and secret, opens the fabric, fails the rack of three VMs through the page (with its
 * confirmation) and sees the VMs on other racks within seconds; sees a host failed through the API move its VM on
 * the page by the event stream alone; reads an availability set's spread. Every view is checked with axe-core (npm
 * {@code axe-core}, installed into {@code target/axe-core}, injected into the page): no serious or critical
 * violation. Screenshots of each step go to {@code target/portal-screenshots/}. Skipped, with the reason printed,
 * where no Chromium and chromedriver are installed (browsers cannot be downloaded at test time here) or no npm is.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@Tag("scenario") // slow: runs in the second Maven run of ./cirrus test (root pom.xml)
class PortalBrowserTest {

    static final String AXE_VERSION = "4.14.1";
    static final Path SCREENSHOTS = Path.of("target", "portal-screenshots");
    static final Path AXE = Path.of("target", "axe-core");
    static final int engineHttpPort = FakeService.freePort();
    static final int engineGrpcPort = FakeService.freePort();
    static ChildService engine;
    static ManagedChannel channel;
    static WebDriver browser;
    static String axeSource;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        TestDatabase.withKafka(registry, "gateway_portal_browser");
        registry.add("cirrus.placement.target", () -> "127.0.0.1:" + engineGrpcPort);
    }

    @BeforeAll
    static void startTheBrowserAndTheEngine() throws IOException {
        Optional<Path> chromium = executable("chromium", "chromium-browser", "google-chrome");
        Optional<Path> driver = executable("chromedriver");
        skipUnless(chromium.isPresent() && driver.isPresent(), "no Chromium and chromedriver on this machine (Debian: "
                + "apt-get install chromium chromium-driver; .ci/run installs them when it runs as root)");
        skipUnless(executable("npm").isPresent(), "no npm to install axe-core " + AXE_VERSION + " with");
        axeSource = axe();
        TestInfrastructure.PostgresEndpoint pg = TestInfrastructure.postgres();
        engine = ChildService.launch("placement-engine", engineHttpPort,
                "--spring.datasource.url=" + pg.newDatabase("portal_placement"),
                "--spring.datasource.username=" + pg.username(), "--spring.datasource.password=" + pg.password(),
                "--cirrus.kafka.bootstrap-servers=" + TestInfrastructure.kafkaBootstrapServers(),
                "--cirrus.placement.grpc-port=" + engineGrpcPort, "--cirrus.placement.grpc-shutdown-grace=PT1S",
                "--cirrus.placement.inventory=file:" + Path.of("src/test/resources/inventory/operator-topology.yaml")
                        .toAbsolutePath());
        channel = NettyChannelBuilder.forTarget("127.0.0.1:" + engineGrpcPort).usePlaintext()
                .intercept(ServiceCredentialGrpc.clientInterceptor(new ServiceCredential(ServiceCredentials.value())))
                .build();
        ChromeOptions options = new ChromeOptions().setBinary(chromium.get().toFile())
                .addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
                        "--window-size=1400,1100", "--lang=en-US");
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(driver.get().toFile())
                .usingAnyFreePort().build();
        browser = new ChromeDriver(service, options);
        Files.createDirectories(SCREENSHOTS);
        engine.awaitReady();
    }

    @AfterAll
    static void stop() {
        if (browser != null) {
            browser.quit();
        }
        if (channel != null) {
            channel.shutdownNow();
        }
        if (engine != null) {
            engine.close();
        }
    }

    @LocalServerPort
    int port;

    @Autowired
    GatewayData data;

    @Test
    void anAvailabilitySetsSpreadIsDrawnAsAGridOfFaultAndUpdateDomains() throws Exception {
        String set = "/subscriptions/" + UUID.randomUUID() + "/resourcegroups/rg/providers/microsoft.compute/"
                + "availabilitysets/spread-" + UUID.randomUUID().toString().substring(0, 8);
        List<Allocation> members = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            members.add(place(PlacementGroup.newBuilder().setAvailabilitySet(AvailabilitySetGroup.newBuilder()
                    .setId(set).setFaultDomainCount(2).setUpdateDomainCount(3)).build()));
        }
        signIn();
        browser.findElement(By.cssSelector("button.tab[data-view='spread']")).click();
        WebElement group = browser.findElement(By.id("spread-group"));
        group.clear();
        group.sendKeys(set);
        browser.findElement(By.cssSelector("#spread-form button[type='submit']")).click();
        WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(10));
        wait.until(ExpectedConditions.presenceOfElementLocated(By.id("spread-grid")));
        assertThat(browser.findElements(By.cssSelector("#spread-grid tbody tr"))).hasSize(2);
        assertThat(browser.findElements(By.cssSelector("#spread-grid thead th"))).hasSize(1 + 3);
        assertThat(browser.findElements(By.cssSelector("#spread-grid div[data-vm-id]"))).hasSize(5);
        for (Allocation vm : members) {
            assertThat(browser.findElements(By.cssSelector("#spread-grid td[data-fd='" + vm.getFaultDomain()
                    + "'][data-ud='" + vm.getUpdateDomain() + "'] div[data-vm-id='" + vm.getVmId() + "']")))
                    .as("%s in FD %d, UD %d", vm.getVmId(), vm.getFaultDomain(), vm.getUpdateDomain()).hasSize(1);
        }
        screenshot("06-spread-of-an-availability-set");
        assertNoSeriousAccessibilityViolation("spread grid");
    }

    @Test
    void theFabricFollowsThePlatformsEventsLiveWithoutAReload() throws Exception {
        Gateway admin = Gateway.admin(port, data);
        // the gateway reads the lifecycle topics from their latest offsets once its consumer is assigned: place VMs
        // until one of their placement events has reached it
        List<Allocation> placed = new ArrayList<>();
        new WebDriverWait(browser, Duration.ofSeconds(60)).pollingEvery(Duration.ofMillis(500)).until(d -> {
            placed.add(place());
            return Gateway.json(admin.get("/cirrus/events?topic=cirrus.placement")).path("value").size() > 0;
        });
        Allocation vm = placed.getLast();
        signIn();
        WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(10));
        wait.until(d -> hostOnThePage(vm) != null);
        assertThat(hostOnThePage(vm)).isEqualTo(vm.getHost());

        // the host fails through the API, not the page: the page learns it from the event stream alone
        assertThat(admin.send("POST", "/cirrus/placement/hosts/" + vm.getHost() + "/fail", null).statusCode())
                .isEqualTo(200);
        new WebDriverWait(browser, Duration.ofSeconds(5)).until(d -> {
            String host = hostOnThePage(vm);
            return host != null && !host.equals(vm.getHost());
        });
        assertThat(script("return document.querySelector(\"div.host[data-host='" + vm.getHost()
                + "'] h6\").textContent")).contains("Failed");
        screenshot("07-fabric-after-an-event");
        browser.findElement(By.cssSelector("button.tab[data-view='events']")).click();
        wait.until(d -> script("return document.querySelector('#events-table tbody').textContent")
                .contains("cirrus.placement"));
        screenshot("08-event-stream");
        assertThat(admin.send("POST", "/cirrus/placement/hosts/" + vm.getHost() + "/recover", null).statusCode())
                .isEqualTo(200);
    }

    /** Opens the portal afresh and signs in as the administrator. */
    void signIn() throws IOException {
        JsonNode credentials = Gateway.JSON.readTree(Files.readString(data.credentialsFile()));
        browser.get("http://127.0.0.1:" + port + "/portal");
        browser.findElement(By.id("tenant")).sendKeys(credentials.path("tenantId").asString());
        browser.findElement(By.id("client-id")).sendKeys(credentials.path("clientId").asString());
        browser.findElement(By.id("client-secret")).sendKeys(credentials.path("clientSecret").asString());
        browser.findElement(By.id("sign-in-button")).click();
        new WebDriverWait(browser, Duration.ofSeconds(10))
                .until(ExpectedConditions.visibilityOfElementLocated(By.id("view-fabric")));
    }

    @Test
    void anOperatorSignsInSeesTheFabricFailsARackThroughThePageAndSeesItsVmsMove() throws Exception {
        JsonNode credentials = Gateway.JSON.readTree(Files.readString(data.credentialsFile()));
        List<Allocation> vms = new ArrayList<>();
        Allocation first = place();
        vms.add(first);
        // two more VMs on the same rack (standalone VMs may be moved anywhere in their region when it fails)
        while (vms.size() < 3) {
            Allocation next = place();
            if (next.getRack().equals(first.getRack())) {
                vms.add(next);
            }
        }
        String rack = first.getRack();

        browser.get("http://127.0.0.1:" + port + "/portal");
        assertThat(browser.getTitle()).isEqualTo("Cirrus portal");
        screenshot("01-sign-in");
        assertNoSeriousAccessibilityViolation("sign-in");

        browser.findElement(By.id("tenant")).sendKeys(credentials.path("tenantId").asString());
        browser.findElement(By.id("client-id")).sendKeys(credentials.path("clientId").asString());
        browser.findElement(By.id("client-secret")).sendKeys(credentials.path("clientSecret").asString());
        browser.findElement(By.id("sign-in-button")).click();
        WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(10));
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("view-fabric")));
        for (Allocation vm : vms) {
            wait.until(d -> hostOnThePage(vm) != null);
            assertThat(hostOnThePage(vm)).isEqualTo(vm.getHost());
        }
        assertThat(browser.findElement(By.id("who")).getText()).contains(credentials.path("clientId").asString());
        screenshot("02-fabric");
        assertNoSeriousAccessibilityViolation("fabric");

        // the fabric is drawn anew on every event: find and click in one go, again when the element was replaced
        wait.ignoring(StaleElementReferenceException.class).until(d -> {
            d.findElement(By.cssSelector("section.rack[data-rack='" + rack + "'] button[data-action='fail-rack']"))
                    .click();
            return true;
        });
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("confirm")));
        assertThat(browser.findElement(By.id("confirm-text")).getText()).contains("rack " + rack);
        screenshot("03-confirm-fail-rack");
        browser.findElement(By.id("confirm-ok")).click();

        new WebDriverWait(browser, Duration.ofSeconds(5)).until(d -> vms.stream().allMatch(vm -> {
            String host = hostOnThePage(vm);
            return host != null && !host.startsWith(rack + "-");
        }));
        assertThat(script("return document.querySelector(\"section.rack[data-rack='" + rack + "']\").className"))
                .contains("failed");
        assertThat(browser.findElement(By.id("status")).getText()).contains("Done: fail rack " + rack)
                .containsPattern("\\d+ moved");
        screenshot("04-fabric-after-the-rack-failed");
        Gateway admin = Gateway.admin(port, data);
        JsonNode hosts = Gateway.json(admin.get("/cirrus/placement/hosts?region=westeurope")).path("value");
        assertThat(hosts.valueStream().filter(h -> h.path("rack").asString().equals(rack))
                .map(h -> h.path("state").asString())).containsOnly("Failed");

        for (String view : List.of("spread", "events", "costs", "faults")) {
            browser.findElement(By.cssSelector("button.tab[data-view='" + view + "']")).click();
            wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("view-" + view)));
            screenshot("05-" + view);
            assertNoSeriousAccessibilityViolation(view);
        }
        assertThat(admin.send("POST", "/cirrus/placement/clusters/" + first.getCluster() + "/racks/" + rack
                + "/recover", null).statusCode()).isEqualTo(200);
    }

    /** The host the page shows a VM on (null: not shown), read in one script: the fabric is redrawn on events. */
    static String hostOnThePage(Allocation vm) {
        Object host = ((JavascriptExecutor) browser).executeScript("const li = document.querySelector(\"li[data-vm-id='"
                + vm.getVmId() + "']\"); return li ? li.dataset.host : null;");
        return host == null ? null : host.toString();
    }

    static String script(String script) {
        return String.valueOf(((JavascriptExecutor) browser).executeScript(script));
    }

    static Allocation place() {
        return place(null);
    }

    static Allocation place(PlacementGroup group) {
        String vmId = UUID.randomUUID().toString();
        PlaceRequest.Builder request = PlaceRequest.newBuilder();
        if (group != null) {
            request.setGroup(group);
        }
        return PlacementServiceGrpc.newBlockingStub(channel).withDeadlineAfter(30, TimeUnit.SECONDS)
                .place(request.setVmId(vmId).setLocation("westeurope")
                        .setResourceId("/subscriptions/" + UUID.randomUUID() + "/resourceGroups/rg/providers/"
                                + "Microsoft.Compute/virtualMachines/vm-" + vmId.substring(0, 8))
                        .setSize(VmSize.newBuilder().setName("Standard_D2s_v5").setVcpus(2).setMemoryMib(8192))
                        .build()).getAllocation();
    }

    void screenshot(String name) throws IOException {
        Path shot = ((TakesScreenshot) browser).getScreenshotAs(OutputType.FILE).toPath();
        Files.copy(shot, SCREENSHOTS.resolve(name + ".png"), StandardCopyOption.REPLACE_EXISTING);
    }

    void assertNoSeriousAccessibilityViolation(String view) {
        JavascriptExecutor js = (JavascriptExecutor) browser;
        js.executeScript(axeSource);
        browser.manage().timeouts().scriptTimeout(Duration.ofSeconds(30));
        Object result = js.executeAsyncScript("const done = arguments[arguments.length - 1];"
                + "axe.run(document, {resultTypes: ['violations']})"
                + ".then(r => done(JSON.stringify(r.violations.filter(v => v.impact === 'serious' || v.impact === "
                + "'critical').map(v => ({id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map(n => "
                + "n.target.join(' ')).slice(0, 5)})))))"
                + ".catch(e => done('axe failed: ' + e));");
        assertThat(String.valueOf(result)).as("serious or critical axe-core violations in the %s view", view)
                .isEqualTo("[]");
    }

    static String axe() throws IOException {
        Path script = AXE.resolve("node_modules/axe-core/axe.min.js");
        Path version = AXE.resolve("node_modules/axe-core/package.json");
        if (!Files.exists(script) || !Files.readString(version).contains("\"version\": \"" + AXE_VERSION + "\"")) {
            Files.createDirectories(AXE);
            Process npm = new ProcessBuilder("npm", "install", "--prefix", AXE.toString(), "--no-audit", "--no-fund",
                    "--no-save", "--loglevel=error", "axe-core@" + AXE_VERSION).redirectErrorStream(true).start();
            String output = new String(npm.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            try {
                skipUnless(npm.waitFor(300, TimeUnit.SECONDS) && npm.exitValue() == 0,
                        "npm could not install axe-core " + AXE_VERSION + ": " + output);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        return Files.readString(script);
    }

    static Optional<Path> executable(String... names) {
        String path = System.getenv().getOrDefault("PATH", "/usr/bin:/bin");
        for (String name : names) {
            Optional<Path> found = Stream.of(path.split(java.io.File.pathSeparator)).map(dir -> Path.of(dir, name))
                    .filter(Files::isExecutable).findFirst();
            if (found.isPresent()) {
                return found;
            }
        }
        return Optional.empty();
    }

    static void skipUnless(boolean condition, String reason) {
        if (!condition) {
            System.out.println("PortalBrowserTest skipped: " + reason);
        }
        Assumptions.assumeTrue(condition, reason);
    }
}
