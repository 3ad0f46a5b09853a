package dev.cirrus.billing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import dev.cirrus.contracts.arm.SkipToken;
import dev.cirrus.contracts.events.CloudEvent;
import dev.cirrus.contracts.events.EventTypes;
import dev.cirrus.contracts.events.Topics;
import dev.cirrus.testkit.ServiceCredentials;
import dev.cirrus.testkit.SpringInfrastructure;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
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
import tools.jackson.databind.json.JsonMapper;

/**
 * The families other than VMs, as their services will publish them (event types and data from the contracts), read
 * back as usage lines and costs; and bad events, which are recorded with their reason while the meter goes on.
 */
// one meter at a time in the shared consumer group: the context (and its consumer) closes after the class
@DirtiesContext
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = "cirrus.billing.price-sheet=classpath:prices/test-price-sheet.yaml")
class FamilyMeteringTest {

    static final String API = "api-version=2024-08-01";
    static final JsonMapper json = JsonMapper.builder().build();
    static final JsonMapper exact = JsonMapper.builder().enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS).build();
    static final Instant T0 = Instant.parse("2026-11-10T08:00:00Z");
    static KafkaProducer<String, String> producer;

    @DynamicPropertySource
    static void infrastructure(DynamicPropertyRegistry registry) {
        SpringInfrastructure.register(registry, "billing_families");
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
    static void producer() throws Exception {
        producer = ExactnessTest.producer();
    }

    @AfterAll
    static void close() {
        producer.close();
    }

    @LocalServerPort
    int port;
    @Autowired
    JdbcTemplate jdbc;
    @Autowired
    MutableClock clock;

    final String sub = UUID.randomUUID().toString();
    /** The ids of the events this test sent, in order. */
    final List<String> sent = new ArrayList<>();

    String id(String path) {
        return "/subscriptions/" + sub + "/resourceGroups/rg-Fam/providers/" + path;
    }

    Map<String, Object> data(String name, Object... more) {
        Map<String, Object> data = new HashMap<>(Map.of("subscriptionId", sub, "resourceGroup", "rg-Fam", "name", name,
                "location", "eastus"));
        for (int i = 0; i < more.length; i += 2) {
            data.put((String) more[i], more[i + 1]);
        }
        return data;
    }

    String send(String topic, String type, String subject, Instant time, Object data) throws Exception {
        CloudEvent event = CloudEvent.of("test", type, subject, time, json.valueToTree(data));
        producer.send(new ProducerRecord<>(topic, event.key(), json.writeValueAsString(event))).get(10, TimeUnit.SECONDS);
        sent.add(event.id());
        return event.id();
    }

    /**
     * Waits until the meter has taken {@code eventId} and every other event this test sent before it, applied or
     * rejected: keyed by resource and spread over topics, events are not taken in the order they were sent.
     */
    void awaitApplied(String eventId) {
        List<String> ids = new ArrayList<>(sent);
        if (!ids.contains(eventId)) {
            ids.add(eventId);
        }
        await().atMost(Duration.ofSeconds(60)).until(() -> ids.stream().allMatch(id -> jdbc.queryForObject(
                "select (select count(*) from inbox where consumer = 'billing-meter' and event_id = ?)"
                        + " + (select count(*) from rejected_event where event_id = ?)", Integer.class, id, id) > 0));
    }

    @Test
    void aContainerGroupIsBilledPerSecondOnItsRequestedVcpuAndMemoryWhileRunning() throws Exception {
        String cg = id("Microsoft.ContainerInstance/containerGroups/cg1");
        send(Topics.COMPUTE_CONTAINER, EventTypes.CONTAINER_GROUP_STARTED, cg, T0,
                data("cg1", "cpu", 1.5, "memoryInGB", 3.5, "osType", "Linux", "state", "Running"));
        String last = send(Topics.COMPUTE_CONTAINER, EventTypes.CONTAINER_GROUP_STOPPED, cg, T0.plusSeconds(1000),
                data("cg1", "cpu", 1.5, "memoryInGB", 3.5, "osType", "Linux", "state", "Stopped"));
        awaitApplied(last);

        JsonNode lines = usage();
        assertThat(lines).hasSize(2);
        // 1,000 s x 1.5 vCPU = 1,500 vCPU-s at 0.0000113; 1,000 s x 3.5 GB = 3,500 GB-s at 0.0000012
        JsonNode memory = lines.get(0).get("properties");
        JsonNode vcpu = lines.get(1).get("properties");
        assertThat(vcpu.get("meterName").asString()).isEqualTo("vCPU Duration");
        assertThat(vcpu.get("quantity").decimalValue()).isEqualByComparingTo("1500");
        assertThat(vcpu.get("cost").decimalValue()).isEqualTo(new BigDecimal("0.016950"));
        assertThat(memory.get("meterName").asString()).isEqualTo("Memory Duration");
        assertThat(memory.get("unitOfMeasure").asString()).isEqualTo("1 GB Second");
        assertThat(memory.get("cost").decimalValue()).isEqualTo(new BigDecimal("0.004200"));
        JsonNode total = costs();
        assertThat(total.get("totalCost").decimalValue()).isEqualTo(new BigDecimal("0.021150"));
        assertThat(total.get("resources").get(0).get("resourceType").asString())
                .isEqualTo("Microsoft.ContainerInstance/containerGroups");
    }

    @Test
    void anAppServicePlanIsBilledPerInstanceSecondAndFollowsItsCapacity() throws Exception {
        String plan = id("Microsoft.Web/serverfarms/plan1");
        send(Topics.APP_SERVICE, EventTypes.APP_SERVICE_PLAN_WRITTEN, plan, T0, data("plan1", "skuName", "B1", "capacity", 1));
        send(Topics.APP_SERVICE, EventTypes.APP_SERVICE_PLAN_WRITTEN, plan, T0.plusSeconds(3600),
                data("plan1", "skuName", "B1", "capacity", 3));
        String last = send(Topics.APP_SERVICE, EventTypes.APP_SERVICE_PLAN_DELETED, plan, T0.plusSeconds(7200),
                data("plan1", "skuName", "B1", "capacity", 0));
        awaitApplied(last);

        JsonNode p = usage().get(0).get("properties");
        // 1 instance-hour + 3 instance-hours at 0.018
        assertThat(p.get("quantity").decimalValue()).isEqualByComparingTo("4");
        assertThat(p.get("cost").decimalValue()).isEqualTo(new BigDecimal("0.072000"));
        assertThat(p.get("meterCategory").asString()).isEqualTo("Azure App Service");
        assertThat(p.get("isRunning").asBoolean()).isFalse();
    }

    @Test
    void functionExecutionsWithinTheFreeGrantCostNothingButShowTheirQuantities() throws Exception {
        String app = id("Microsoft.Web/sites/func1");
        send(Topics.SERVERLESS, EventTypes.FUNCTION_EXECUTED, app, T0,
                data("func1", "functionName", "f", "executionId", "e1", "durationMs", 200, "memoryMb", 512, "status", "Succeeded"));
        String last = send(Topics.SERVERLESS, EventTypes.FUNCTION_EXECUTED, app, T0.plusSeconds(5),
                data("func1", "functionName", "f", "executionId", "e2", "durationMs", 50, "memoryMb", 100, "status", "Failed"));
        awaitApplied(last);

        JsonNode lines = usage();
        assertThat(lines).hasSize(2);
        JsonNode time = lines.get(0).get("properties");
        JsonNode executions = lines.get(1).get("properties");
        assertThat(time.get("meterName").asString()).isEqualTo("Execution Time");
        assertThat(time.get("quantity").decimalValue()).isEqualByComparingTo("0.1125");   // 0.1 + 0.0125 GB-s
        assertThat(executions.get("quantity").decimalValue()).isEqualByComparingTo("0.000002");   // of 1M
        assertThat(time.get("cost").decimalValue()).isEqualByComparingTo("0");
        assertThat(executions.get("cost").decimalValue()).isEqualByComparingTo("0");
    }

    @Test
    void anAksClusterIsBilledForItsManagementTierWhileRunningAndItsNodesLikeVmsOfTheirSize() throws Exception {
        String cluster = id("Microsoft.ContainerService/managedClusters/aks1");
        // a node is an instance of its pool's scale set (in the node resource group), metered from compute-vm's events
        String node = id("Microsoft.Compute/virtualMachineScaleSets/aks-nodepool1-12345678-vmss/virtualMachines/0");
        send(Topics.COMPUTE_CONTAINER, EventTypes.MANAGED_CLUSTER_WRITTEN, cluster, T0,
                data("aks1", "tier", "Standard", "provisioningState", "Succeeded", "powerState", "Running"));
        send(Topics.COMPUTE_VM, EventTypes.VM_STARTED, node, T0,
                data("aks-nodepool1-0", "vmSize", "Standard_D2s_v5", "vcpus", 2, "memoryMib", 8192,
                        "provisioningState", "Succeeded", "powerState", "running"));
        // stopped after one hour: a stopped cluster accrues no cluster charge, its nodes are deallocated
        send(Topics.COMPUTE_VM, EventTypes.VM_DEALLOCATED, node, T0.plusSeconds(3600),
                data("aks-nodepool1-0", "vmSize", "Standard_D2s_v5", "powerState", "deallocated"));
        send(Topics.COMPUTE_CONTAINER, EventTypes.MANAGED_CLUSTER_WRITTEN, cluster, T0.plusSeconds(3600),
                data("aks1", "tier", "Standard", "provisioningState", "Succeeded", "powerState", "Stopped"));
        // started again for half an hour, then deleted with its node
        send(Topics.COMPUTE_CONTAINER, EventTypes.MANAGED_CLUSTER_WRITTEN, cluster, T0.plusSeconds(7200),
                data("aks1", "tier", "Standard", "provisioningState", "Succeeded", "powerState", "Running"));
        send(Topics.COMPUTE_VM, EventTypes.VM_STARTED, node, T0.plusSeconds(7200),
                data("aks-nodepool1-0", "vmSize", "Standard_D2s_v5", "powerState", "running"));
        String nodeGone = send(Topics.COMPUTE_VM, EventTypes.VM_DELETED, node, T0.plusSeconds(9000),
                data("aks-nodepool1-0", "vmSize", "Standard_D2s_v5", "powerState", null));
        String last = send(Topics.COMPUTE_CONTAINER, EventTypes.MANAGED_CLUSTER_DELETED, cluster, T0.plusSeconds(9000),
                data("aks1", "tier", "Standard", "provisioningState", "Deleting", "powerState", "Stopped"));
        awaitApplied(nodeGone);
        awaitApplied(last);

        Map<String, JsonNode> byMeter = new HashMap<>();
        usage().forEach(l -> byMeter.merge(l.get("properties").get("meterName").asString(), l.get("properties"),
                (a, b) -> exact.valueToTree(Map.of("quantity", a.get("quantity").decimalValue().add(b.get("quantity").decimalValue()),
                        "cost", a.get("cost").decimalValue().add(b.get("cost").decimalValue()),
                        "meterCategory", a.get("meterCategory").asString()))));
        JsonNode tier = byMeter.get("Standard Cluster Management");
        JsonNode nodes = byMeter.get("Standard_D2s_v5");
        // 1.5 running cluster-hours at 0.10; 1.5 node-hours of a D2s v5 at 0.096
        assertThat(tier.get("meterCategory").asString()).isEqualTo("Azure Kubernetes Service");
        assertThat(tier.get("quantity").decimalValue()).isEqualByComparingTo("1.5");
        assertThat(tier.get("cost").decimalValue()).isEqualByComparingTo("0.15");
        assertThat(nodes.get("meterCategory").asString()).isEqualTo("Virtual Machines");
        assertThat(nodes.get("quantity").decimalValue()).isEqualByComparingTo("1.5");
        assertThat(nodes.get("cost").decimalValue()).isEqualByComparingTo("0.144");
        assertThat(costs().get("totalCost").decimalValue()).isEqualByComparingTo("0.294");
    }

    @Test
    void aFreeTierClusterCostsNothingAndAnUnknownTierIsRecordedAsAProblem() throws Exception {
        send(Topics.COMPUTE_CONTAINER, EventTypes.MANAGED_CLUSTER_WRITTEN, id("Microsoft.ContainerService/managedClusters/free"),
                T0, data("free", "tier", "Free", "provisioningState", "Succeeded", "powerState", "Running"));
        String odd = send(Topics.COMPUTE_CONTAINER, EventTypes.MANAGED_CLUSTER_WRITTEN,
                id("Microsoft.ContainerService/managedClusters/odd"), T0,
                data("odd", "tier", "Platinum", "provisioningState", "Succeeded", "powerState", "Running"));
        String last = send(Topics.COMPUTE_CONTAINER, EventTypes.MANAGED_CLUSTER_DELETED,
                id("Microsoft.ContainerService/managedClusters/free"), T0.plusSeconds(7200),
                data("free", "tier", "Free", "provisioningState", "Deleting", "powerState", "Stopped"));
        awaitApplied(last);
        awaitApplied(odd);

        assertThat(usage()).singleElement().satisfies(l -> {
            assertThat(l.get("properties").get("meterName").asString()).isEqualTo("Free Cluster Management");
            assertThat(l.get("properties").get("quantity").decimalValue()).isEqualByComparingTo("2");
            assertThat(l.get("properties").get("cost").decimalValue()).isEqualByComparingTo("0");
        });
        assertThat(jdbc.queryForObject("select reason from rejected_event where event_id = ?", String.class, odd))
                .startsWith("unknown meter: the price sheet has no AKS tier 'Platinum'");
    }

    @Test
    void aFunctionAppOnADedicatedPlanIsNotMeteredPerExecution() throws Exception {
        String app = id("Microsoft.Web/sites/func-dedicated");
        String plan = id("Microsoft.Web/serverfarms/plan-dedicated");
        send(Topics.SERVERLESS, EventTypes.FUNCTION_EXECUTED, app, T0, data("func-dedicated", "functionName", "f",
                "executionId", "d1", "durationMs", 200, "memoryMb", 256, "status", "Succeeded", "serverFarmId", plan));
        String last = send(Topics.SERVERLESS, EventTypes.FUNCTION_EXECUTED, id("Microsoft.Web/sites/func-consumption"),
                T0, data("func-consumption", "functionName", "f", "executionId", "c1", "durationMs", 200,
                        "memoryMb", 256, "status", "Succeeded", "serverFarmId", null));
        awaitApplied(last);

        assertThat(usage()).isNotEmpty().allSatisfy(l -> assertThat(l.get("properties").get("resourceId").asString())
                .endsWith("/sites/func-consumption"));
    }

    @Test
    void aWorkflowRunIsBilledPerTriggerAndAction() throws Exception {
        String wf = id("Microsoft.Logic/workflows/wf1");
        String last = send(Topics.SERVERLESS, EventTypes.WORKFLOW_RUN_COMPLETED, wf, T0, data("wf1", "runId", "r1",
                "status", "Succeeded", "triggerExecutions", 1, "builtInActions", 3, "standardConnectorActions", 2,
                "enterpriseConnectorActions", 1));
        awaitApplied(last);

        // 4 x 0.000025 + 2 x 0.000125 + 1 x 0.001
        assertThat(costs().get("totalCost").decimalValue()).isEqualTo(new BigDecimal("0.001350"));
        assertThat(usage()).hasSize(3);
    }

    @Test
    void badEventsAreRecordedWithTheirReasonAndTheMeterGoesOn() throws Exception {
        String app = id("Microsoft.Web/sites/func-bad");
        String negative = send(Topics.SERVERLESS, EventTypes.FUNCTION_EXECUTED, app, T0,
                data("func-bad", "durationMs", -3, "memoryMb", 256));
        String vm = id("Microsoft.Compute/virtualMachines/odd");
        String unknown = send(Topics.COMPUTE_VM, EventTypes.VM_STARTED, vm, T0,
                data("odd", "vmSize", "Standard_Unknown_v9", "powerState", "running"));
        String missing = send(Topics.COMPUTE_CONTAINER, EventTypes.CONTAINER_GROUP_STARTED,
                id("Microsoft.ContainerInstance/containerGroups/cg-bad"), T0, data("cg-bad", "state", "Running"));
        producer.send(new ProducerRecord<>(Topics.SERVERLESS, "garbage", "{not json")).get(10, TimeUnit.SECONDS);
        String good = send(Topics.SERVERLESS, EventTypes.WORKFLOW_RUN_COMPLETED, id("Microsoft.Logic/workflows/ok"),
                T0, data("ok", "runId", "r", "triggerExecutions", 1, "builtInActions", 0,
                        "standardConnectorActions", 0, "enterpriseConnectorActions", 0));
        awaitApplied(good);

        Map<String, String> reasons = new HashMap<>();
        jdbc.query("select event_id, reason from rejected_event where event_id in (?,?,?)",
                rs -> {
                    reasons.put(rs.getString(1), rs.getString(2));
                }, negative, unknown, missing);
        assertThat(reasons.get(negative)).isEqualTo("negative duration: durationMs -3");
        assertThat(reasons.get(unknown)).startsWith("unknown meter: the price sheet has no VM size 'Standard_Unknown_v9'");
        assertThat(reasons.get(missing)).startsWith("missing or non-positive field cpu");
        await().atMost(Duration.ofSeconds(30)).until(() -> jdbc.queryForObject(
                "select count(*) from rejected_event where payload = '{not json' and reason like 'not a CloudEvent%'",
                Integer.class) == 1);
        assertThat(costs().get("totalCost").decimalValue()).isEqualTo(new BigDecimal("0.000025"));
    }

    @Test
    void usageDetailsArePagedAndScopedToAResourceGroupOrAResource() throws Exception {
        String wf = id("Microsoft.Logic/workflows/paged");
        String other = "/subscriptions/" + sub + "/resourceGroups/rg-Other/providers/Microsoft.Logic/workflows/x";
        send(Topics.SERVERLESS, EventTypes.WORKFLOW_RUN_COMPLETED, other, T0, data("x", "resourceGroup", "rg-Other",
                "runId", "r0", "triggerExecutions", 1, "builtInActions", 0, "standardConnectorActions", 0,
                "enterpriseConnectorActions", 0));
        String last = send(Topics.SERVERLESS, EventTypes.WORKFLOW_RUN_COMPLETED, wf, T0, data("paged", "runId", "r1",
                "triggerExecutions", 1, "builtInActions", 1, "standardConnectorActions", 1,
                "enterpriseConnectorActions", 1));
        awaitApplied(last);

        JsonNode first = get("/subscriptions/" + sub + "/providers/Microsoft.Consumption/usageDetails?" + API + "&$top=3");
        assertThat(first.get("value")).hasSize(3);
        String next = first.get("nextLink").asString();
        assertThat(next).startsWith("http://127.0.0.1:" + port + "/subscriptions/" + sub).contains("$top=3&$skiptoken=");
        assertThat(SkipToken.decode(next.substring(next.indexOf("$skiptoken=") + 11))).as("an opaque offset").isEqualTo("3");
        JsonNode second = get(next.substring(("http://127.0.0.1:" + port).length()));
        assertThat(second.get("value")).hasSize(1);
        assertThat(second.has("nextLink")).isFalse();

        assertThat(get("/subscriptions/" + sub + "/resourceGroups/rg-fam/providers/Microsoft.Consumption/usageDetails?"
                + API).get("value")).hasSize(3);
        assertThat(get(other + "/providers/Microsoft.Consumption/usageDetails?" + API).get("value")).singleElement()
                .satisfies(l -> assertThat(l.get("properties").get("resourceId").asString()).isEqualTo(other));

        HttpResponse<String> bad = ServiceCredentials.httpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                + port + "/subscriptions/" + sub + "/providers/Microsoft.Consumption/usageDetails?" + API + "&$top=0"))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(exact.readTree(bad.body()).get("error").get("target").asString()).isEqualTo("$top");
    }

    @Test
    void theCostQueryGroupsTheCostByDayAndResourceTypeInAzuresTableShape() throws Exception {
        String cg = id("Microsoft.ContainerInstance/containerGroups/q1");
        send(Topics.COMPUTE_CONTAINER, EventTypes.CONTAINER_GROUP_STARTED, cg, T0.minusSeconds(86_400),
                data("q1", "cpu", 1, "memoryInGB", 1, "state", "Running"));
        send(Topics.COMPUTE_CONTAINER, EventTypes.CONTAINER_GROUP_STOPPED, cg, T0.minusSeconds(86_400 - 1000),
                data("q1", "cpu", 1, "memoryInGB", 1, "state", "Stopped"));
        String last = send(Topics.SERVERLESS, EventTypes.WORKFLOW_RUN_COMPLETED, id("Microsoft.Logic/workflows/q2"), T0,
                data("q2", "runId", "r", "triggerExecutions", 1, "builtInActions", 3, "standardConnectorActions", 0,
                        "enterpriseConnectorActions", 0));
        awaitApplied(last);

        HttpResponse<String> response = post("/subscriptions/" + sub + "/providers/Microsoft.CostManagement/query?" + API,
                """
                {"type":"ActualCost","timeframe":"Custom",
                 "timePeriod":{"from":"2026-11-01T00:00:00Z","to":"2026-11-30T23:59:59Z"},
                 "dataset":{"granularity":"Daily","aggregation":{"totalCost":{"name":"Cost","function":"Sum"}},
                            "grouping":[{"type":"Dimension","name":"ResourceType"}]}}""");
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        JsonNode p = exact.readTree(response.body()).get("properties");
        assertThat(p.get("columns").toString()).isEqualTo("[{\"name\":\"totalCost\",\"type\":\"Number\"},"
                + "{\"name\":\"UsageDate\",\"type\":\"Number\"},{\"name\":\"ResourceType\",\"type\":\"String\"},"
                + "{\"name\":\"Currency\",\"type\":\"String\"}]");
        // 1,000 s x (1 vCPU x 0.0000113 + 1 GB x 0.0000012) on 9 Nov; 4 x 0.000025 on 10 Nov
        assertThat(p.get("rows").toString()).isEqualTo("[[0.012500,20261109,\"Microsoft.ContainerInstance/containerGroups\",\"USD\"],"
                + "[0.000100,20261110,\"Microsoft.Logic/workflows\",\"USD\"]]");

        HttpResponse<String> bad = post("/subscriptions/" + sub + "/providers/Microsoft.CostManagement/query?" + API,
                "{\"type\":\"ActualCost\",\"timeframe\":\"MonthToDate\",\"dataset\":{\"granularity\":\"Hourly\"}}");
        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(exact.readTree(bad.body()).get("error").get("target").asString()).isEqualTo("dataset.granularity");
    }

    @Test
    void aBudgetCrossingAThresholdPublishesOneAlertPerNotificationPerPeriod() throws Exception {
        String last = send(Topics.SERVERLESS, EventTypes.WORKFLOW_RUN_COMPLETED, id("Microsoft.Logic/workflows/spend"),
                T0, data("spend", "runId", "r", "triggerExecutions", 0, "builtInActions", 0,
                        "standardConnectorActions", 0, "enterpriseConnectorActions", 6));   // 0.006
        awaitApplied(last);
        String path = "/subscriptions/" + sub + "/providers/Microsoft.Consumption/budgets/Monthly-Cap?" + API;
        String body = """
                {"properties":{"category":"Cost","amount":0.01,"timeGrain":"Monthly",
                 "timePeriod":{"startDate":"2026-11-01T00:00:00Z"},
                 "notifications":{
                   "Actual_GreaterThan_50_Percent":{"enabled":true,"operator":"GreaterThan","threshold":50,
                                                    "thresholdType":"Actual","contactEmails":["ops@example.com"]},
                   "Actual_GreaterThan_90_Percent":{"enabled":true,"operator":"GreaterThan","threshold":90,
                                                    "thresholdType":"Actual","contactEmails":[]},
                   "Forecasted_GreaterThan_100_Percent":{"enabled":true,"operator":"GreaterThan","threshold":100,
                                                    "thresholdType":"Forecasted","contactEmails":[]}}}}""";
        HttpResponse<String> created = put(path, body);
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        JsonNode p = exact.readTree(created.body()).get("properties");
        assertThat(p.get("currentSpend").get("amount").decimalValue()).isEqualByComparingTo("0.006");
        // 0.006 after 9.5 of 30 days: forecast 0.018947
        assertThat(p.get("forecastSpend").get("amount").decimalValue()).isEqualByComparingTo("0.018947");

        assertThat(put(path, body).statusCode()).isEqualTo(200);   // checked again: nothing new
        String budgetId = "/subscriptions/" + sub + "/providers/Microsoft.Consumption/budgets/Monthly-Cap";
        List<String> alerts = jdbc.queryForList("select payload from outbox where event_type = ? and record_key = ? "
                + "order by seq", String.class, EventTypes.BUDGET_THRESHOLD_CROSSED, budgetId.toLowerCase());
        assertThat(alerts).hasSize(2);
        assertThat(alerts).anySatisfy(a -> assertThat(a).contains("\"notification\":\"Actual_GreaterThan_50_Percent\""))
                .anySatisfy(a -> assertThat(a).contains("\"notification\":\"Forecasted_GreaterThan_100_Percent\""));
        await().atMost(Duration.ofSeconds(30)).until(() -> jdbc.queryForObject("select count(*) from outbox where "
                + "record_key = ? and published_at is not null", Integer.class, budgetId.toLowerCase()) == 2);

        HttpResponse<String> bad = put(path, body.replace("\"Monthly\"", "\"Quarterly\""));
        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(exact.readTree(bad.body()).get("error").get("target").asString()).isEqualTo("properties.timeGrain");
        assertThat(get("/subscriptions/" + sub + "/providers/Microsoft.Consumption/budgets?" + API).get("value"))
                .singleElement().satisfies(b -> assertThat(b.get("name").asString()).isEqualTo("Monthly-Cap"));
    }

    @Test
    void aResourceGroupBudgetCountsOnlyItsGroupsCostAndIsListedWithTheSubscriptionsBudgets() throws Exception {
        String other = "/subscriptions/" + sub + "/resourceGroups/rg-Other/providers/Microsoft.Logic/workflows/big";
        send(Topics.SERVERLESS, EventTypes.WORKFLOW_RUN_COMPLETED, other, T0, data("big", "resourceGroup", "rg-Other",
                "runId", "r0", "triggerExecutions", 0, "builtInActions", 0, "standardConnectorActions", 0,
                "enterpriseConnectorActions", 100));   // 0.1 in rg-Other
        String last = send(Topics.SERVERLESS, EventTypes.WORKFLOW_RUN_COMPLETED, id("Microsoft.Logic/workflows/small"),
                T0, data("small", "runId", "r1", "triggerExecutions", 0, "builtInActions", 0,
                        "standardConnectorActions", 0, "enterpriseConnectorActions", 2));   // 0.002 in rg-Fam
        awaitApplied(last);
        String budgetId = "/subscriptions/" + sub + "/resourceGroups/rg-Fam/providers/Microsoft.Consumption/budgets/Team";
        String body = """
                {"properties":{"category":"Cost","amount":0.01,"timeGrain":"Monthly",
                 "timePeriod":{"startDate":"2026-11-01T00:00:00Z"},
                 "notifications":{
                   "Actual_GreaterThan_50_Percent":{"enabled":true,"operator":"GreaterThan","threshold":50,
                                                    "thresholdType":"Actual","contactEmails":[]},
                   "Actual_GreaterThan_10_Percent":{"enabled":true,"operator":"GreaterThan","threshold":10,
                                                    "thresholdType":"Actual","contactEmails":[]}}}}""";
        HttpResponse<String> created = put(budgetId + "?" + API, body);
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        JsonNode b = exact.readTree(created.body());
        assertThat(b.get("id").asString()).isEqualTo(budgetId);
        assertThat(b.get("properties").get("currentSpend").get("amount").decimalValue()).isEqualByComparingTo("0.002");

        List<String> alerts = jdbc.queryForList("select payload from outbox where event_type = ? and record_key = ? "
                + "order by seq", String.class, EventTypes.BUDGET_THRESHOLD_CROSSED, budgetId.toLowerCase());
        assertThat(alerts).singleElement().satisfies(a -> assertThat(a).contains("Actual_GreaterThan_10_Percent"));

        assertThat(get("/subscriptions/" + sub + "/resourceGroups/RG-FAM/providers/Microsoft.Consumption/budgets/team?"
                + API).get("name").asString()).isEqualTo("Team");
        assertThat(get("/subscriptions/" + sub + "/providers/Microsoft.Consumption/budgets?" + API).get("value"))
                .extracting(v -> v.get("id").asString()).contains(budgetId);
        assertThat(get("/subscriptions/" + sub + "/resourceGroups/rg-Other/providers/Microsoft.Consumption/budgets?"
                + API).get("value")).isEmpty();
        HttpResponse<String> missing = ServiceCredentials.httpClient().send(HttpRequest.newBuilder(URI.create(
                "http://127.0.0.1:" + port + "/subscriptions/" + sub + "/providers/Microsoft.Consumption/budgets/Team?"
                        + API)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(missing.statusCode()).as("the group's budget is not the subscription's").isEqualTo(404);
    }

    @Test
    void theWorkloadComparisonAnswersEachOptionWithItsFormulaAndRefusesBadInput() throws Exception {
        String path = "/subscriptions/" + sub + "/providers/Microsoft.CostManagement/workloadCostComparison?" + API;
        HttpResponse<String> ok = post(path, """
                {"requestsPerDay":100000,"averageDurationMs":200,"memoryMb":512,"vcpus":2,"memoryGb":4,
                 "scaleSet":{"minInstances":1,"maxInstances":3}}""");
        assertThat(ok.statusCode()).as(ok.body()).isEqualTo(200);
        JsonNode options = exact.readTree(ok.body()).get("properties").get("options");
        assertThat(options).hasSize(6);
        JsonNode scaleSet = options.get(2);
        // B1s (1 vCPU / 1 GB) needs 4 instances for 4 GB: the bound of 3 does not fit
        assertThat(scaleSet.get("fits").asBoolean()).isFalse();
        assertThat(scaleSet.get("monthlyCost").decimalValue()).isEqualByComparingTo("22.464");
        assertThat(options.get(5).get("formula").asString()).startsWith("max(0, 3000000 - 1000000) executions");

        HttpResponse<String> bad = post(path, "{\"requestsPerDay\":1,\"averageDurationMs\":1,\"memoryMb\":128,"
                + "\"vcpus\":0,\"memoryGb\":1}");
        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(exact.readTree(bad.body()).get("error").get("target").asString()).isEqualTo("vcpus");
    }

    HttpResponse<String> put(String path, String body) throws Exception {
        return ServiceCredentials.httpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .header("Content-Type", "application/json").PUT(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> post(String path, String body) throws Exception {
        return ServiceCredentials.httpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    JsonNode usage() throws Exception {
        return get("/subscriptions/" + sub + "/providers/Microsoft.Consumption/usageDetails?" + API).get("value");
    }

    JsonNode costs() throws Exception {
        return get("/subscriptions/" + sub + "/providers/Microsoft.CostManagement/costs?" + API).get("properties");
    }

    JsonNode get(String path) throws Exception {
        HttpResponse<String> response = ServiceCredentials.httpClient().send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + port + path)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return exact.readTree(response.body());
    }
}
