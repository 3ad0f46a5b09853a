package dev.cirrus.billing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import dev.cirrus.contracts.events.CloudEvent;
import dev.cirrus.contracts.events.EventTypes;
import dev.cirrus.contracts.events.Topics;
import dev.cirrus.contracts.events.VmLifecycleData;
import dev.cirrus.testkit.ServiceCredentials;
import dev.cirrus.testkit.SpringInfrastructure;
import dev.cirrus.testkit.TestInfrastructure;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Primary;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;

/**
 * The billing service as compute-vm and a user see it: VM events published on {@code cirrus.compute.vm} with a plain
 * Kafka producer, usage and costs read over HTTP, "now" fixed by a test clock. Real PostgreSQL and Kafka (testkit).
 * Each test uses its own subscription, so tests never see each other's usage.
 */
// one meter at a time in the shared consumer group: the context (and its consumer) closes after the class
@DirtiesContext
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class BillingServiceTest {

    static final String API = "api-version=2024-08-01";
    static final BigDecimal D2S_V5 = new BigDecimal("0.096");
    static final String POWERED_OFF = "Microsoft.Compute.VirtualMachinePoweredOff";
    static final String DEALLOCATED = "Microsoft.Compute.VirtualMachineDeallocated";

    static Path priceSheet;
    static KafkaProducer<String, String> producer;

    @DynamicPropertySource
    static void infrastructure(DynamicPropertyRegistry registry) throws IOException {
        SpringInfrastructure.register(registry, "billing");
        // the service reads its prices from a file given by path, as an operator would override them
        priceSheet = Files.createTempFile("cirrus-test-prices", ".yaml");
        try (InputStream in = BillingServiceTest.class.getResourceAsStream("/prices/test-price-sheet.yaml")) {
            Files.copy(in, priceSheet, StandardCopyOption.REPLACE_EXISTING);
        }
        registry.add("cirrus.billing.price-sheet", () -> priceSheet.toString());
    }

    @TestConfiguration
    static class TestClock {
        @Bean
        @Primary
        MutableClock testClock() {
            return new MutableClock(Instant.parse("2026-11-10T12:00:00Z"));
        }
    }

    @BeforeAll
    static void topicAndProducer() throws Exception {
        String bootstrap = TestInfrastructure.kafkaBootstrapServers();
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            for (String topic : List.of(Topics.COMPUTE_VM, Topics.COMPUTE_CONTAINER, Topics.APP_SERVICE, Topics.SERVERLESS)) {
                try {
                    admin.createTopics(List.of(new NewTopic(topic, 3, (short) 1))).all().get(30, TimeUnit.SECONDS);
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof TopicExistsException)) {
                        throw e;
                    }
                }
            }
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof TopicExistsException)) {
                throw e;
            }
        }
        producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ProducerConfig.ACKS_CONFIG, "all", ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class,
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class));
    }

    @AfterAll
    static void closeProducer() throws IOException {
        if (producer != null) {
            producer.close();
        }
        Files.deleteIfExists(priceSheet);
    }

    @LocalServerPort
    int port;
    @Autowired
    MutableClock clock;
    @Autowired
    JdbcTemplate jdbc;
    @Autowired
    ObjectMapper json;

    final HttpClient http = ServiceCredentials.httpClient();
    /** Reads answers with exact decimals, so money is compared exactly. */
    final ObjectMapper exact = JsonMapper.builder().enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS).build();

    // ---------------------------------------------------------------------------------------------- metering

    @Test
    void aRunningVmIsBilledFromItsStartUntilNowExactly() throws Exception {
        Vm vm = new Vm("rg-Web", "Web-01", "eastus", "Standard_D2s_v5");
        Instant now = Instant.parse("2026-11-10T12:00:00Z");
        clock.set(now);
        Instant t0 = now.minus(Duration.ofHours(1).plusMinutes(30).plusSeconds(15).plusMillis(250));
        vm.publish(EventTypes.VM_CREATED, t0.minusSeconds(20), null);
        String started = vm.publish(EventTypes.VM_STARTED, t0, "running");
        awaitApplied(started);

        JsonNode line = single(usage(vm.sub, ""));
        JsonNode p = line.get("properties");
        assertThat(line.get("type").asString()).isEqualTo("Microsoft.Consumption/usageDetails");
        assertThat(line.get("id").asString())
                .isEqualTo("/subscriptions/" + vm.sub + "/providers/Microsoft.Consumption/usageDetails/" + line.get("name").asString());
        assertThat(p.get("resourceId").asString()).isEqualTo(vm.id);
        assertThat(p.get("resourceName").asString()).isEqualTo("Web-01");
        assertThat(p.get("resourceGroup").asString()).isEqualTo("rg-Web");
        assertThat(p.get("resourceLocation").asString()).isEqualTo("eastus");
        assertThat(p.get("meterCategory").asString()).isEqualTo("Virtual Machines");
        assertThat(p.get("meterName").asString()).isEqualTo("Standard_D2s_v5");
        assertThat(p.get("unitOfMeasure").asString()).isEqualTo("1 Hour");
        assertThat(p.get("billingCurrency").asString()).isEqualTo("USD");
        assertThat(p.get("unitPrice").decimalValue()).isEqualByComparingTo(D2S_V5);
        assertThat(p.get("quantity").decimalValue()).isEqualByComparingTo("1.5042361111");
        // 0.096 x 5,415,250 ms / 3,600,000 = 0.1444066...
        assertThat(p.get("cost").decimalValue()).isEqualTo(new BigDecimal("0.144407"));
        assertThat(p.get("cost").decimalValue()).isEqualTo(cost(D2S_V5, Duration.between(t0, now)));
        assertThat(p.get("date").asString()).isEqualTo("2026-11-10T00:00:00Z");
        assertThat(Instant.parse(p.get("usageStart").asString())).isEqualTo(t0);
        assertThat(Instant.parse(p.get("usageEnd").asString())).isEqualTo(now);
        assertThat(p.get("isRunning").asBoolean()).isTrue();

        clock.advance(Duration.ofMinutes(30));
        JsonNode later = single(usage(vm.sub, "")).get("properties");
        assertThat(later.get("cost").decimalValue()).isEqualTo(cost(D2S_V5, Duration.between(t0, clock.instant())));
        assertThat(later.get("isRunning").asBoolean()).isTrue();
    }

    @Test
    void aStoppedButStillAllocatedVmIsBilledUntilItIsDeallocated() throws Exception {
        Vm vm = new Vm("rg", "vm-stopped", "eastus", "Standard_D2s_v5");
        Instant t0 = Instant.parse("2026-11-10T08:00:00Z");
        vm.publish(EventTypes.VM_STARTED, t0, "running");
        vm.publish(POWERED_OFF, t0.plus(Duration.ofHours(1)), "stopped");
        clock.set(t0.plus(Duration.ofHours(2)));
        awaitApplied(vm.lastEvent);

        JsonNode whileStopped = single(usage(vm.sub, "")).get("properties");
        assertThat(whileStopped.get("cost").decimalValue()).isEqualTo(cost(D2S_V5, Duration.ofHours(2)));
        assertThat(whileStopped.get("isRunning").asBoolean()).as("the meter still runs while stopped").isTrue();

        vm.publish(DEALLOCATED, t0.plus(Duration.ofMinutes(150)), "deallocated");
        awaitApplied(vm.lastEvent);
        clock.set(t0.plus(Duration.ofHours(6)));
        JsonNode deallocated = single(usage(vm.sub, "")).get("properties");
        assertThat(deallocated.get("cost").decimalValue()).isEqualTo(new BigDecimal("0.240000"));
        assertThat(deallocated.get("isRunning").asBoolean()).isFalse();
        assertThat(Instant.parse(deallocated.get("usageEnd").asString())).isEqualTo(t0.plus(Duration.ofMinutes(150)));
    }

    @Test
    void aDeletedVmStopsItsMeterAndItsCostStaysFrozen() throws Exception {
        Vm vm = new Vm("rg", "vm-deleted", "eastus", "Standard_D2s_v5");
        Instant t0 = Instant.parse("2026-11-10T01:00:00Z");
        vm.publish(EventTypes.VM_STARTED, t0, "running");
        vm.publish(EventTypes.VM_DELETED, t0.plus(Duration.ofMinutes(45)), null);
        clock.set(t0.plus(Duration.ofHours(1)));
        awaitApplied(vm.lastEvent);

        BigDecimal frozen = cost(D2S_V5, Duration.ofMinutes(45));
        JsonNode p = single(usage(vm.sub, "")).get("properties");
        assertThat(p.get("cost").decimalValue()).isEqualTo(frozen);
        assertThat(p.get("isRunning").asBoolean()).isFalse();

        clock.set(t0.plus(Duration.ofHours(9)));
        assertThat(single(usage(vm.sub, "")).get("properties").get("cost").decimalValue()).isEqualTo(frozen);
        assertThat(costs(vm.sub, "").get("properties").get("totalCost").decimalValue()).isEqualTo(frozen);
    }

    @Test
    void theSameEventDeliveredTwiceIsBilledOnce() throws Exception {
        Vm vm = new Vm("rg", "vm-twice", "eastus", "Standard_D2s_v5");
        Instant t0 = Instant.parse("2026-11-10T02:00:00Z");
        CloudEvent started = vm.event(EventTypes.VM_STARTED, t0, "running");
        vm.send(started);
        vm.send(started);
        vm.publish(DEALLOCATED, t0.plus(Duration.ofHours(1)), "deallocated");
        vm.send(started); // redelivered after a later event, as a relay retry would
        vm.publish(DEALLOCATED, t0.plus(Duration.ofHours(2)), "deallocated");
        clock.set(t0.plus(Duration.ofHours(5)));
        awaitApplied(vm.lastEvent); // same key, same partition: everything before it was consumed too

        JsonNode p = single(usage(vm.sub, "")).get("properties");
        assertThat(p.get("cost").decimalValue()).isEqualTo(new BigDecimal("0.096000"));
        assertThat(p.get("quantity").decimalValue()).isEqualByComparingTo("1");
        assertThat(jdbc.queryForObject("select count(*) from inbox where event_id = ?", Integer.class, started.id()))
                .isEqualTo(1);
    }

    @Test
    void anEventOlderThanTheVmsLastTransitionIsIgnored() throws Exception {
        Vm vm = new Vm("rg", "vm-replayed", "eastus", "Standard_D2s_v5");
        Instant t0 = Instant.parse("2026-11-10T02:00:00Z");
        vm.publish(EventTypes.VM_STARTED, t0, "running");
        vm.publish(DEALLOCATED, t0.plus(Duration.ofHours(1)), "deallocated");
        // the same transition again under a new id (a replay from another copy of the stream): older than the last
        vm.publish(EventTypes.VM_STARTED, t0, "running");
        clock.set(t0.plus(Duration.ofHours(5)));
        awaitApplied(vm.lastEvent);

        JsonNode p = single(usage(vm.sub, "")).get("properties");
        assertThat(p.get("cost").decimalValue()).isEqualTo(new BigDecimal("0.096000"));
        assertThat(p.get("isRunning").asBoolean()).isFalse();
    }

    @Test
    void aDeletionWithoutDataStillStopsTheMeter() throws Exception {
        Vm vm = new Vm("rg", "vm-bare-delete", "eastus", "Standard_D2s_v5");
        Instant t0 = Instant.parse("2026-11-10T06:00:00Z");
        vm.publish(EventTypes.VM_STARTED, t0, "running");
        vm.send(CloudEvent.of("compute-vm", EventTypes.VM_DELETED, vm.id, t0.plus(Duration.ofHours(1)), null));
        clock.set(t0.plus(Duration.ofHours(3)));
        awaitApplied(vm.lastEvent);

        JsonNode p = single(usage(vm.sub, "")).get("properties");
        assertThat(p.get("cost").decimalValue()).isEqualTo(new BigDecimal("0.096000"));
        assertThat(p.get("isRunning").asBoolean()).isFalse();
    }

    @Test
    void anAvailabilitySetIsNotMeteredButAScaleSetInstanceIsBilledLikeAVm() throws Exception {
        Vm vm = new Vm("rg", "vm-neighbour", "eastus", "Standard_D2s_v5");
        String availabilitySet = "/subscriptions/" + vm.sub + "/resourceGroups/rg/providers/Microsoft.Compute/availabilitySets/as1";
        String scaleSetVm = "/subscriptions/" + vm.sub
                + "/resourceGroups/rg/providers/Microsoft.Compute/virtualMachineScaleSets/ss1/virtualMachines/0";
        Instant t0 = Instant.parse("2026-11-10T07:00:00Z");
        vm.send(CloudEvent.of("compute-vm", "Microsoft.Compute.AvailabilitySetWritten", availabilitySet, t0,
                json.valueToTree(Map.of("powerState", "running", "vmSize", "Standard_D2s_v5", "location", "eastus"))));
        vm.send(CloudEvent.of("compute-vm", EventTypes.VM_STARTED, scaleSetVm, t0,
                json.valueToTree(Map.of("powerState", "running", "vmSize", "Standard_D2s_v5", "location", "eastus"))));
        clock.set(t0.plus(Duration.ofHours(1)));
        awaitApplied(vm.lastEvent);

        JsonNode p = single(usage(vm.sub, "")).get("properties");
        assertThat(p.get("resourceId").asString()).isEqualTo(scaleSetVm);
        assertThat(p.get("resourceName").asString()).isEqualTo("ss1_0");
        assertThat(p.get("cost").decimalValue()).isEqualTo(new BigDecimal("0.096000"));
    }

    @Test
    void theStartingStateIsNotBilledByDefault() throws Exception {
        Vm vm = new Vm("rg", "vm-starting", "eastus", "Standard_D2s_v5");
        Instant t0 = Instant.parse("2026-11-10T03:00:00Z");
        vm.publish(EventTypes.VM_ALLOCATED, t0, "starting");
        vm.publish(EventTypes.VM_STARTED, t0.plus(Duration.ofMinutes(10)), "running");
        clock.set(t0.plus(Duration.ofMinutes(70)));
        awaitApplied(vm.lastEvent);

        JsonNode p = single(usage(vm.sub, "")).get("properties");
        assertThat(Instant.parse(p.get("usageStart").asString())).isEqualTo(t0.plus(Duration.ofMinutes(10)));
        assertThat(p.get("cost").decimalValue()).isEqualTo(new BigDecimal("0.096000"));
    }

    @Test
    void eventsOfTwoVmsAreSeparateLinesAndTheirCostsAddUp() throws Exception {
        String sub = UUID.randomUUID().toString();
        Vm small = new Vm(sub, "rg-a", "small", "eastus", "Standard_B1s");
        Vm big = new Vm(sub, "rg-b", "big", "eastus", "Standard_D4s_v5");
        Instant t0 = Instant.parse("2026-11-10T04:00:00Z");
        small.publish(EventTypes.VM_STARTED, t0, "running");
        big.publish(EventTypes.VM_STARTED, t0.plus(Duration.ofMinutes(20)), "running");
        clock.set(t0.plus(Duration.ofMinutes(80)).plusMillis(333));
        awaitApplied(small.lastEvent);
        awaitApplied(big.lastEvent);

        JsonNode lines = usage(sub, "").get("value");
        assertThat(lines).hasSize(2);
        BigDecimal smallCost = cost(new BigDecimal("0.0104"), Duration.ofMinutes(80).plusMillis(333));
        BigDecimal bigCost = cost(new BigDecimal("0.192"), Duration.ofMinutes(60).plusMillis(333));
        assertThat(propertiesOf(lines, small.id).get("cost").decimalValue()).isEqualTo(smallCost);
        assertThat(propertiesOf(lines, small.id).get("meterName").asString()).isEqualTo("Standard_B1s");
        assertThat(propertiesOf(lines, big.id).get("cost").decimalValue()).isEqualTo(bigCost);
        assertThat(propertiesOf(lines, big.id).get("meterName").asString()).isEqualTo("Standard_D4s_v5");

        JsonNode costs = costs(sub, "");
        assertThat(costs.get("id").asString()).isEqualTo("/subscriptions/" + sub + "/providers/Microsoft.CostManagement/costs");
        assertThat(costs.get("type").asString()).isEqualTo("Microsoft.CostManagement/costs");
        JsonNode cp = costs.get("properties");
        // the total is the exact sum rounded once: 0.0104 x 4,800,333 + 0.192 x 3,600,333 over 3,600,000
        BigDecimal exactTotal = new BigDecimal("0.0104").multiply(BigDecimal.valueOf(4_800_333))
                .add(new BigDecimal("0.192").multiply(BigDecimal.valueOf(3_600_333)))
                .divide(BigDecimal.valueOf(3_600_000), 6, RoundingMode.HALF_UP);
        assertThat(cp.get("totalCost").decimalValue()).isEqualTo(exactTotal);
        assertThat(cp.get("billingCurrency").asString()).isEqualTo("USD");
        assertThat(cp.get("periodStart").asString()).isEqualTo("2026-11-01T00:00:00Z");
        assertThat(cp.get("periodEnd").asString()).isEqualTo("2026-12-01T00:00:00Z");
        assertThat(cp.get("isRunning").asBoolean()).isTrue();
        JsonNode resources = cp.get("resources");
        assertThat(resources).hasSize(2);
        assertThat(resourceOf(resources, small.id).get("cost").decimalValue()).isEqualTo(smallCost);
        assertThat(resourceOf(resources, big.id).get("cost").decimalValue()).isEqualTo(bigCost);
        assertThat(resourceOf(resources, big.id).get("resourceType").asString()).isEqualTo("Microsoft.Compute/virtualMachines");
        assertThat(resourceOf(resources, big.id).get("resourceGroup").asString()).isEqualTo("rg-b");

        JsonNode onlyGroupA = usage(sub, "&$filter=" + encode("properties/resourceGroup eq 'RG-A'")).get("value");
        assertThat(onlyGroupA).hasSize(1);
        assertThat(onlyGroupA.get(0).get("properties").get("resourceId").asString()).isEqualTo(small.id);
    }

    @Test
    void aMonthBoundarySplitsTheUsage() throws Exception {
        Vm vm = new Vm("rg", "vm-boundary", "eastus", "Standard_D2s_v5");
        vm.publish(EventTypes.VM_STARTED, Instant.parse("2026-10-31T23:00:00Z"), "running");
        clock.set(Instant.parse("2026-11-01T01:30:00Z"));
        awaitApplied(vm.lastEvent);

        JsonNode lines = usage(vm.sub, "&startDate=2026-10-01&endDate=2026-11-30").get("value");
        assertThat(lines).hasSize(2);
        JsonNode october = lines.get(0).get("properties");
        JsonNode november = lines.get(1).get("properties");
        assertThat(october.get("date").asString()).isEqualTo("2026-10-31T00:00:00Z");
        assertThat(october.get("usageStart").asString()).isEqualTo("2026-10-31T23:00:00Z");
        assertThat(october.get("usageEnd").asString()).isEqualTo("2026-11-01T00:00:00Z");
        assertThat(october.get("quantity").decimalValue()).isEqualByComparingTo("1");
        assertThat(october.get("cost").decimalValue()).isEqualTo(new BigDecimal("0.096000"));
        assertThat(october.get("isRunning").asBoolean()).isFalse();
        assertThat(november.get("date").asString()).isEqualTo("2026-11-01T00:00:00Z");
        assertThat(november.get("quantity").decimalValue()).isEqualByComparingTo("1.5");
        assertThat(november.get("cost").decimalValue()).isEqualTo(new BigDecimal("0.144000"));
        assertThat(november.get("isRunning").asBoolean()).isTrue();

        // the default period is the current month: November only
        assertThat(single(usage(vm.sub, "")).get("properties").get("date").asString()).isEqualTo("2026-11-01T00:00:00Z");
        // October alone, through the $filter form
        JsonNode octoberCosts = costs(vm.sub,
                "&$filter=" + encode("properties/usageStart ge '2026-10-01' and properties/usageEnd le '2026-10-31'"));
        assertThat(octoberCosts.get("properties").get("totalCost").decimalValue()).isEqualTo(new BigDecimal("0.096000"));
        assertThat(octoberCosts.get("properties").get("isRunning").asBoolean()).isFalse();
    }

    @Test
    void aVmInARegionWithItsOwnPriceIsBilledAtThatPrice() throws Exception {
        Vm vm = new Vm("rg", "vm-eu", "West Europe", "standard_d2s_v5");
        Instant t0 = Instant.parse("2026-11-10T05:00:00Z");
        vm.publish(EventTypes.VM_STARTED, t0, "running");
        clock.set(t0.plus(Duration.ofHours(1)));
        awaitApplied(vm.lastEvent);

        JsonNode p = single(usage(vm.sub, "")).get("properties");
        assertThat(p.get("unitPrice").decimalValue()).isEqualByComparingTo("0.107");
        assertThat(p.get("cost").decimalValue()).isEqualTo(new BigDecimal("0.107000"));
        assertThat(p.get("meterName").asString()).isEqualTo("Standard_D2s_v5");
        assertThat(p.get("resourceLocation").asString()).isEqualTo("westeurope");
    }

    // ------------------------------------------------------------------------------------------- price sheet

    @Test
    void thePriceSheetEndpointServesThePricesOfTheConfiguredFile() throws Exception {
        String sub = UUID.randomUUID().toString();
        HttpResponse<String> response = get("/subscriptions/" + sub + "/providers/Microsoft.Consumption/pricesheets/default?" + API);
        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode sheet = exact.readTree(response.body());
        assertThat(sheet.get("id").asString()).isEqualTo("/subscriptions/" + sub + "/providers/Microsoft.Consumption/pricesheets/default");
        assertThat(sheet.get("name").asString()).isEqualTo("default");
        assertThat(sheet.get("type").asString()).isEqualTo("Microsoft.Consumption/pricesheets");
        assertThat(sheet.get("properties").get("priceSheetVersion").asString()).isEqualTo("test-1");
        List<String> rows = new ArrayList<>();
        for (JsonNode m : sheet.get("properties").get("pricesheets")) {
            rows.add(m.get("meterCategory").asString() + "|" + m.get("meterName").asString() + "|"
                    + m.get("meterRegion").asString() + "|" + m.get("unitOfMeasure").asString() + "|"
                    + m.get("unitPrice").decimalValue().toPlainString() + "|" + m.get("currencyCode").asString());
        }
        assertThat(rows).contains(
                "Virtual Machines|Standard_B1s|Global|1 Hour|0.0104|USD",
                "Virtual Machines|Standard_D2s_v5|Global|1 Hour|0.096|USD",
                "Virtual Machines|Standard_D2s_v5|westeurope|1 Hour|0.107|USD",
                "Virtual Machines|Standard_D4s_v5|Global|1 Hour|0.192|USD",
                "Container Instances|vCPU Duration|Global|1 vCPU Second|0.0000113|USD",
                "Azure App Service|B1|Global|1 Hour|0.018|USD",
                "Functions|Total Executions|Global|1M|0.20|USD",
                "Functions|Execution Time|Global|1 GB Second|0.000016|USD",
                "Logic Apps|Consumption Built-in Actions|Global|1 Execution|0.000025|USD");
        assertThat(response.body()).as("amounts are plain numbers").doesNotContain("E-");
    }

    // ------------------------------------------------------------------------------------- answers and errors

    @Test
    void aSubscriptionWithoutUsageHasEmptyAnswersNotErrors() throws Exception {
        String sub = UUID.randomUUID().toString();
        HttpResponse<String> usage = get("/subscriptions/" + sub + "/providers/Microsoft.Consumption/usageDetails?" + API);
        assertThat(usage.statusCode()).isEqualTo(200);
        assertThat(usage.body()).isEqualTo("{\"value\":[]}");
        JsonNode costs = costs(sub, "");
        assertThat(costs.get("properties").get("totalCost").decimalValue()).isEqualByComparingTo("0");
        assertThat(costs.get("properties").get("resources")).isEmpty();
    }

    @Test
    void pathsAreMatchedCaseInsensitively() throws Exception {
        String sub = UUID.randomUUID().toString();
        assertThat(get("/SUBSCRIPTIONS/" + sub + "/providers/microsoft.consumption/USAGEDETAILS?" + API).statusCode())
                .isEqualTo(200);
        assertThat(get("/subscriptions/" + sub + "/providers/microsoft.costmanagement/Costs?" + API).statusCode())
                .isEqualTo(200);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "no api-version|usageDetails?startDate=2026-11-01|400|MissingApiVersionParameter|",
            "malformed api-version|usageDetails?api-version=yesterday|400|InvalidApiVersionParameter|",
            "startDate not a date|usageDetails?" + API + "&startDate=2026-13-45|400|InvalidParameter|startDate",
            "startDate in another form|usageDetails?" + API + "&startDate=11/01/2026|400|InvalidParameter|startDate",
            "endDate not a date|usageDetails?" + API + "&endDate=tomorrow|400|InvalidParameter|endDate",
            "endDate before startDate|usageDetails?" + API + "&startDate=2026-11-10&endDate=2026-11-01|400|InvalidParameter|endDate",
            "period over a year|usageDetails?" + API + "&startDate=2024-01-01&endDate=2026-01-01|400|InvalidParameter|endDate",
            "unsupported $filter|usageDetails?" + API + "&$filter=properties%2Fcost%20gt%20'1'|400|InvalidParameter|$filter",
            "start given twice|usageDetails?" + API + "&startDate=2026-11-01&$filter=properties%2FusageStart%20ge%20'2026-11-01'|400|InvalidParameter|$filter",
            "bad date in $filter|costs?" + API + "&$filter=properties%2FusageEnd%20le%20'soon'|400|InvalidParameter|$filter",
            "costs without api-version|costs|400|MissingApiVersionParameter|",
            "costs with a bad date|costs?" + API + "&startDate=2026-02-30|400|InvalidParameter|startDate",
            "price sheet without api-version|pricesheets/default|400|MissingApiVersionParameter|",
            "unknown price sheet|pricesheets/other?" + API + "|404|NotFound|",
            "write to usage details|POST usageDetails?" + API + "|405|MethodNotAllowed|",
    })
    void badRequestsGetArmErrors(String name, String request, int status, String code, String target) throws Exception {
        String method = request.startsWith("POST ") ? "POST" : "GET";
        String path = request.replaceFirst("^POST ", "");
        String namespace = path.startsWith("costs") ? "Microsoft.CostManagement" : "Microsoft.Consumption";
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(
                        "http://127.0.0.1:" + port + "/subscriptions/" + UUID.randomUUID() + "/providers/" + namespace + "/" + path))
                .method(method, HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(status);
        JsonNode error = exact.readTree(response.body()).get("error");
        assertThat(error.get("code").asString()).isEqualTo(code);
        assertThat(error.get("message").asString()).isNotBlank();
        if (target != null) {
            assertThat(error.get("target").asString()).isEqualTo(target);
        }
        assertThat(response.body()).doesNotContain("Exception");
    }

    @Test
    void theServiceReportsHealthWithItsMeter() throws Exception {
        assertThat(get("/actuator/health/liveness").statusCode()).isEqualTo(200);
        assertThat(get("/actuator/health/readiness").statusCode()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            HttpResponse<String> health = get("/actuator/health");
            assertThat(health.statusCode()).isEqualTo(200);
            assertThat(exact.readTree(health.body()).get("components").get("meter").get("status").asString())
                    .isEqualTo("UP");
        });
    }

    // ------------------------------------------------------------------------------------------------ fixture

    /** A VM as compute-vm publishes it: one subscription per VM unless given. */
    final class Vm {
        final String sub;
        final String rg;
        final String name;
        final String location;
        final String size;
        final String id;
        final String vmId = UUID.randomUUID().toString();
        String lastEvent;

        Vm(String rg, String name, String location, String size) {
            this(UUID.randomUUID().toString(), rg, name, location, size);
        }

        Vm(String sub, String rg, String name, String location, String size) {
            this.sub = sub;
            this.rg = rg;
            this.name = name;
            this.location = location;
            this.size = size;
            this.id = "/subscriptions/" + sub + "/resourceGroups/" + rg + "/providers/Microsoft.Compute/virtualMachines/" + name;
        }

        CloudEvent event(String type, Instant time, String powerState) {
            boolean placed = powerState != null;
            VmLifecycleData data = new VmLifecycleData(sub, rg, name, location, vmId, size, 2, 8192,
                    placed ? "Succeeded" : EventTypes.VM_CREATED.equals(type) ? "Creating" : "Deleting", powerState,
                    placed ? "host-0001" : null, placed ? 0 : null, placed ? 0 : null);
            return CloudEvent.of("compute-vm", type, id, time, json.valueToTree(data));
        }

        String publish(String type, Instant time, String powerState) throws Exception {
            return send(event(type, time, powerState));
        }

        String send(CloudEvent event) throws Exception {
            producer.send(new ProducerRecord<>(Topics.COMPUTE_VM, event.key(), json.writeValueAsString(event)))
                    .get(10, TimeUnit.SECONDS);
            lastEvent = event.id();
            return event.id();
        }
    }

    void awaitApplied(String eventId) {
        await().atMost(Duration.ofSeconds(60)).until(() -> jdbc.queryForObject(
                "select count(*) from inbox where consumer = 'billing-meter' and event_id = ?", Integer.class, eventId) == 1);
    }

    static BigDecimal cost(BigDecimal hourlyPrice, Duration billed) {
        return hourlyPrice.multiply(BigDecimal.valueOf(billed.toMillis()))
                .divide(BigDecimal.valueOf(3_600_000), 6, RoundingMode.HALF_UP);
    }

    JsonNode usage(String sub, String query) throws Exception {
        HttpResponse<String> response = get("/subscriptions/" + sub + "/providers/Microsoft.Consumption/usageDetails?" + API + query);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return exact.readTree(response.body());
    }

    JsonNode costs(String sub, String query) throws Exception {
        HttpResponse<String> response = get("/subscriptions/" + sub + "/providers/Microsoft.CostManagement/costs?" + API + query);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return exact.readTree(response.body());
    }

    static JsonNode single(JsonNode page) {
        assertThat(page.get("value")).as(page.toString()).hasSize(1);
        return page.get("value").get(0);
    }

    static JsonNode propertiesOf(JsonNode lines, String resourceId) {
        for (JsonNode line : lines) {
            if (line.get("properties").get("resourceId").asString().equals(resourceId)) {
                return line.get("properties");
            }
        }
        throw new AssertionError("no line for " + resourceId + " in " + lines);
    }

    static JsonNode resourceOf(JsonNode resources, String resourceId) {
        for (JsonNode r : resources) {
            if (r.get("resourceId").asString().equals(resourceId)) {
                return r;
            }
        }
        throw new AssertionError("no resource " + resourceId + " in " + resources);
    }

    static String encode(String value) {
        return java.net.URLEncoder.encode(value, java.nio.charset.StandardCharsets.UTF_8).replace("+", "%20");
    }

    HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void aDirectCallWithoutTheServiceCredentialIsA401AndTheProbesStayOpen() throws Exception {
        HttpClient stranger = HttpClient.newHttpClient();
        String priceSheet = "/subscriptions/s/providers/Microsoft.Consumption/pricesheets/default?" + API;
        HttpResponse<String> refused = stranger.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
                + priceSheet)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(refused.statusCode()).isEqualTo(401);
        assertThat(refused.body()).contains("\"code\":\"AuthenticationFailed\"");
        assertThat(get(priceSheet).statusCode()).isEqualTo(200);
        assertThat(stranger.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
                + "/actuator/health/readiness")).build(), HttpResponse.BodyHandlers.ofString()).statusCode())
                .isEqualTo(200);
    }
}
