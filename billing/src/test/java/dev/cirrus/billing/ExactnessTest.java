package dev.cirrus.billing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import dev.cirrus.contracts.events.Topics;
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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Tag;
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
 * The exactness property: one recorded month of mixed usage (VMs, container groups, App Service plans, Functions,
 * Logic Apps; {@value #BASE_EVENTS}+ events) is fed through real Kafka and PostgreSQL in three orders, each for its
 * own subscription: as recorded, shuffled with 10% duplicates, and each resource's events reversed with 20% duplicates.
 * Every order must give the total that a reference calculation written here (sharing no code with the service)
 * computes from the generated model, rounded once, to the millionth of a dollar, and the same per resource.
 */
// one meter at a time in the shared consumer group: the context (and its consumer) closes after the class
@DirtiesContext
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = "cirrus.billing.price-sheet=classpath:prices/exactness-price-sheet.yaml")
@Tag("scenario") // slow: runs in the second Maven run of ./cirrus test (root pom.xml)
class ExactnessTest {

    static final int BASE_EVENTS = 40_000; // Functions executions past the monthly free grant too
    static final Instant MONTH = Instant.parse("2026-11-01T00:00:00Z");
    static final Instant NOW = Instant.parse("2026-12-01T00:00:00Z");

    // the reference prices, written out again on purpose (not read from the sheet the service uses)
    static final Map<String, BigDecimal> VM_PER_HOUR = Map.of("Standard_B1s", new BigDecimal("0.0104"),
            "Standard_D2s_v5", new BigDecimal("0.096"), "Standard_D4s_v5", new BigDecimal("0.192"));
    static final Map<String, BigDecimal> PLAN_PER_HOUR = Map.of("F1", BigDecimal.ZERO, "B1", new BigDecimal("0.018"),
            "S1", new BigDecimal("0.095"), "P1v3", new BigDecimal("0.169"));
    static final BigDecimal VCPU_SECOND = new BigDecimal("0.0000113");
    static final BigDecimal GB_SECOND = new BigDecimal("0.0000012");
    static final BigDecimal PER_EXECUTION = new BigDecimal("0.0000002");
    static final BigDecimal FN_GB_SECOND = new BigDecimal("0.000016");
    static final long FREE_EXECUTIONS = 20_000;
    static final BigDecimal FREE_GB_SECONDS = new BigDecimal("100000");
    static final BigDecimal BUILT_IN = new BigDecimal("0.000025");
    static final BigDecimal STANDARD = new BigDecimal("0.000125");
    static final BigDecimal ENTERPRISE = new BigDecimal("0.001");

    static final JsonMapper json = JsonMapper.builder().build();
    static final JsonMapper exact = JsonMapper.builder().enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS).build();

    @DynamicPropertySource
    static void infrastructure(DynamicPropertyRegistry registry) {
        SpringInfrastructure.register(registry, "billing_exact");
    }

    @TestConfiguration
    static class TestClock {
        @Bean
        @Primary
        MutableClock testClock() {
            return new MutableClock(NOW);
        }
    }

    @LocalServerPort
    int port;
    @Autowired
    JdbcTemplate jdbc;

    /** One recorded event, without subscription: {@code path} follows {@code /subscriptions/{sub}}. */
    record Recorded(String topic, String type, String path, Instant time, Map<String, Object> data) {
    }

    /** The model the stream was generated from, and the reference cost of each resource (exact). */
    static final class Model {
        final List<Recorded> events = new ArrayList<>();
        final Map<String, BigDecimal> costByResource = new LinkedHashMap<>();
        long executions;
        BigDecimal gbSeconds = BigDecimal.ZERO;
        int rejected;

        BigDecimal functionsCost() {
            BigDecimal execs = BigDecimal.valueOf(Math.max(0, executions - FREE_EXECUTIONS)).multiply(PER_EXECUTION);
            return execs.add(gbSeconds.subtract(FREE_GB_SECONDS).max(BigDecimal.ZERO).multiply(FN_GB_SECOND));
        }

        BigDecimal total() {
            return costByResource.values().stream().reduce(functionsCost().multiply(MS_PER_HOUR), BigDecimal::add);
        }

        void charge(String path, BigDecimal amount) {
            costByResource.merge(path.toLowerCase(), amount, BigDecimal::add);
        }
    }

    static final BigDecimal MS_PER_HOUR = BigDecimal.valueOf(3_600_000L);

    /** The reference keeps every amount x 3,600,000 (so hourly prices x milliseconds stay exact) and divides once. */
    static BigDecimal hoursCost(BigDecimal perHour, BigDecimal quantity, long millis) {
        return perHour.multiply(quantity).multiply(BigDecimal.valueOf(millis));
    }

    static BigDecimal shown(BigDecimal timesMsPerHour) {
        return timesMsPerHour.divide(MS_PER_HOUR, 6, RoundingMode.HALF_UP);
    }

    static Model generate(long seed) {
        return generate(seed, BASE_EVENTS);
    }

    /** A month of usage: about 12,000 transitions, {@code total} / 20 workflow runs, Functions executions up to {@code total}. */
    static Model generate(long seed, int total) {
        Random r = new Random(seed);
        Model m = new Model();
        String[] sizes = {"Standard_B1s", "Standard_D2s_v5", "Standard_D4s_v5"};
        String[] states = {"starting", "running", "stopping", "stopped", "deallocating", "deallocated"};
        for (int v = 0; v < 300; v++) {
            String path = "/resourceGroups/rg-vm/providers/Microsoft.Compute/virtualMachines/vm-" + v;
            Instant t = MONTH.plusSeconds(r.nextInt(10 * 86_400));
            String size = sizes[r.nextInt(sizes.length)];
            int n = 10 + r.nextInt(40);
            String state = null;
            Instant since = null;
            for (int i = 0; i < n; i++) {
                boolean last = i == n - 1 && r.nextBoolean();
                String next = last ? null : states[r.nextInt(states.length)];
                if (state != null && Set.of("running", "stopping", "stopped").contains(state)) {
                    m.charge(path, hoursCost(VM_PER_HOUR.get(size), BigDecimal.ONE, t.toEpochMilli() - since.toEpochMilli()));
                }
                if ("starting".equals(next) && r.nextInt(4) == 0) {
                    size = sizes[r.nextInt(sizes.length)];
                }
                Map<String, Object> data = new HashMap<>();
                data.put("resourceGroup", "rg-vm");
                data.put("name", "vm-" + v);
                data.put("location", "eastus");
                data.put("vmSize", size);
                data.put("powerState", next);
                m.events.add(new Recorded(Topics.COMPUTE_VM, last ? "Microsoft.Compute.VirtualMachineDeleted"
                        : "Microsoft.Compute.VirtualMachinePowerStateChanged", path, t, data));
                state = next;
                since = t;
                t = t.plusMillis(1 + r.nextLong(12 * 3_600_000L));
            }
            if (state != null && Set.of("running", "stopping", "stopped").contains(state)) {
                m.charge(path, hoursCost(VM_PER_HOUR.get(size), BigDecimal.ONE, NOW.toEpochMilli() - since.toEpochMilli()));
            }
        }
        String[] cpus = {"1", "1.5", "2", "4"};
        String[] memories = {"0.5", "1.5", "3.5", "7"};
        for (int c = 0; c < 100; c++) {
            String path = "/resourceGroups/rg-aci/providers/Microsoft.ContainerInstance/containerGroups/cg-" + c;
            BigDecimal cpu = new BigDecimal(cpus[r.nextInt(4)]);
            BigDecimal memory = new BigDecimal(memories[r.nextInt(4)]);
            Instant t = MONTH.plusSeconds(r.nextInt(10 * 86_400));
            boolean running = false;
            Instant since = null;
            int n = 5 + r.nextInt(30);
            for (int i = 0; i < n; i++) {
                boolean deleted = i == n - 1 && r.nextBoolean();
                if (running) {
                    long ms = t.toEpochMilli() - since.toEpochMilli();
                    m.charge(path, VCPU_SECOND.multiply(cpu).add(GB_SECOND.multiply(memory))
                            .multiply(BigDecimal.valueOf(ms)).multiply(BigDecimal.valueOf(3600)));
                }
                running = !deleted && !running;
                Map<String, Object> data = new HashMap<>();
                data.put("resourceGroup", "rg-aci");
                data.put("name", "cg-" + c);
                data.put("location", "eastus");
                data.put("osType", "Linux");
                data.put("cpu", cpu);
                data.put("memoryInGB", memory);
                data.put("state", deleted ? null : running ? "Running" : "Stopped");
                m.events.add(new Recorded(Topics.COMPUTE_CONTAINER, deleted ? "Microsoft.ContainerInstance.ContainerGroupDeleted"
                        : running ? "Microsoft.ContainerInstance.ContainerGroupStarted"
                        : "Microsoft.ContainerInstance.ContainerGroupStopped", path, t, data));
                since = t;
                t = t.plusMillis(1 + r.nextLong(12 * 3_600_000L));
            }
            if (running) {
                m.charge(path, VCPU_SECOND.multiply(cpu).add(GB_SECOND.multiply(memory))
                        .multiply(BigDecimal.valueOf(NOW.toEpochMilli() - since.toEpochMilli())).multiply(BigDecimal.valueOf(3600)));
            }
        }
        String[] tiers = {"F1", "B1", "S1", "P1v3"};
        for (int p = 0; p < 50; p++) {
            String path = "/resourceGroups/rg-web/providers/Microsoft.Web/serverfarms/plan-" + p;
            Instant t = MONTH.plusSeconds(r.nextInt(10 * 86_400));
            String tier = null;
            int capacity = 0;
            Instant since = null;
            int n = 3 + r.nextInt(30);
            for (int i = 0; i < n; i++) {
                boolean deleted = i == n - 1 && r.nextBoolean();
                if (tier != null) {
                    m.charge(path, hoursCost(PLAN_PER_HOUR.get(tier), BigDecimal.valueOf(capacity),
                            t.toEpochMilli() - since.toEpochMilli()));
                }
                tier = deleted ? null : tiers[r.nextInt(4)];
                capacity = deleted ? 0 : r.nextInt(6);
                Map<String, Object> data = new HashMap<>();
                data.put("resourceGroup", "rg-web");
                data.put("name", "plan-" + p);
                data.put("location", "eastus");
                data.put("skuName", deleted ? "B1" : tier);
                data.put("capacity", capacity);
                m.events.add(new Recorded(Topics.APP_SERVICE, deleted ? "Microsoft.Web.ServerFarmDeleted"
                        : "Microsoft.Web.ServerFarmWritten", path, t, data));
                since = t;
                t = t.plusMillis(1 + r.nextLong(12 * 3_600_000L));
            }
            if (tier != null) {
                m.charge(path, hoursCost(PLAN_PER_HOUR.get(tier), BigDecimal.valueOf(capacity),
                        NOW.toEpochMilli() - since.toEpochMilli()));
            }
        }
        for (int w = 0; w < total / 20; w++) {
            String path = "/resourceGroups/rg-logic/providers/Microsoft.Logic/workflows/wf-" + (w % 20);
            int trig = r.nextInt(3);
            int builtIn = r.nextInt(10);
            int standard = r.nextInt(4);
            int enterprise = r.nextInt(2);
            m.charge(path, BUILT_IN.multiply(BigDecimal.valueOf(trig + builtIn))
                    .add(STANDARD.multiply(BigDecimal.valueOf(standard)))
                    .add(ENTERPRISE.multiply(BigDecimal.valueOf(enterprise))).multiply(MS_PER_HOUR));
            m.events.add(new Recorded(Topics.SERVERLESS, "Microsoft.Logic.WorkflowRunCompleted", path,
                    MONTH.plusMillis(r.nextLong(29L * 86_400_000)), Map.of("resourceGroup", "rg-logic", "name",
                    "wf-" + (w % 20), "location", "eastus", "runId", "run-" + w, "status", "Succeeded",
                    "triggerExecutions", trig, "builtInActions", builtIn, "standardConnectorActions", standard,
                    "enterpriseConnectorActions", enterprise)));
        }
        while (m.events.size() < total) {
            int app = r.nextInt(20);
            String path = "/resourceGroups/rg-fn/providers/Microsoft.Web/sites/fn-" + app;
            long duration = r.nextInt(10) == 0 ? r.nextInt(100) : r.nextInt(10_000);
            int memory = 1 + r.nextInt(1536);
            boolean bad = r.nextInt(500) == 0;
            if (bad) {
                duration = -1 - r.nextInt(1000);   // rejected: negative duration, never billed
                m.rejected++;
            } else {
                m.executions++;
                long buckets = (long) Math.ceil(Math.max(memory, 128) / 128.0);
                BigDecimal seconds = BigDecimal.valueOf(Math.max(duration, 100)).divide(BigDecimal.valueOf(1000));
                m.gbSeconds = m.gbSeconds.add(BigDecimal.valueOf(buckets * 128).divide(BigDecimal.valueOf(1024))
                        .multiply(seconds));
            }
            m.events.add(new Recorded(Topics.SERVERLESS, "Microsoft.Web.FunctionExecuted", path,
                    MONTH.plusMillis(r.nextLong(29L * 86_400_000)), Map.of("resourceGroup", "rg-fn", "name",
                    "fn-" + app, "functionName", "f", "location", "eastus", "executionId", UUID.randomUUID().toString(),
                    "durationMs", duration, "memoryMb", memory, "status", "Succeeded")));
        }
        return m;
    }

    /** The recorded stream as one subscription's events, each with its id; duplicates repeat an event and its id. */
    static List<Map<String, Object>> materialise(Model m, String sub) {
        return materialise(m, sub, Duration.ZERO);
    }

    /** The same, every time moved back by {@code earlier}. */
    static List<Map<String, Object>> materialise(Model m, String sub, Duration earlier) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (Recorded e : m.events) {
            Map<String, Object> data = new HashMap<>(e.data());
            data.put("subscriptionId", sub);
            Map<String, Object> event = new LinkedHashMap<>();
            event.put("specversion", "1.0");
            event.put("id", UUID.randomUUID().toString());
            event.put("source", "/cirrus/test");
            event.put("type", e.type());
            event.put("subject", "/subscriptions/" + sub + e.path());
            event.put("time", e.time().minus(earlier).toString());
            event.put("datacontenttype", "application/json");
            event.put("data", data);
            event.put("_topic", e.topic());
            out.add(event);
        }
        return out;
    }

    @Test
    void totalsAreTheReferenceToTheMillionthWhateverTheOrderDuplicatesAndBatching() throws Exception {
        Model model = generate(20261125L);
        Random r = new Random(7);
        String inOrder = UUID.randomUUID().toString();
        String shuffled = UUID.randomUUID().toString();
        String reversed = UUID.randomUUID().toString();

        List<Map<String, Object>> a = materialise(model, inOrder);
        List<Map<String, Object>> b = materialise(model, shuffled);
        List<Map<String, Object>> dupB = new ArrayList<>(b);
        for (int i = 0; i < b.size() / 10; i++) {
            dupB.add(b.get(r.nextInt(b.size())));
        }
        Collections.shuffle(dupB, r);
        List<Map<String, Object>> c = materialise(model, reversed);
        List<Map<String, Object>> dupC = new ArrayList<>(c);
        for (int i = 0; i < c.size() / 5; i++) {
            dupC.add(c.get(r.nextInt(c.size())));
        }
        Collections.reverse(dupC);

        Set<String> ids = new HashSet<>();
        long sent = 0;
        try (KafkaProducer<String, String> producer = producer()) {
            for (List<Map<String, Object>> stream : List.of(a, dupB, dupC)) {
                for (Map<String, Object> e : stream) {
                    Map<String, Object> event = new LinkedHashMap<>(e);
                    String topic = (String) event.remove("_topic");
                    ids.add((String) event.get("id"));
                    producer.send(new ProducerRecord<>(topic, ((String) event.get("subject")).toLowerCase(),
                            json.writeValueAsString(event)));
                    sent++;
                }
            }
            producer.flush();
        }
        assertThat(sent).isGreaterThan(3L * BASE_EVENTS);
        await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofSeconds(1)).until(() -> jdbc.queryForObject(
                "select count(*) from inbox where consumer = 'billing-meter'", Long.class) == ids.size());

        BigDecimal expected = shown(model.total());
        for (String sub : List.of(inOrder, shuffled, reversed)) {
            JsonNode costs = get("/subscriptions/" + sub + "/providers/Microsoft.CostManagement/costs"
                    + "?api-version=2024-08-01&startDate=2026-11-01&endDate=2026-11-30");
            assertThat(costs.get("properties").get("totalCost").decimalValue()).as("total of %s", sub)
                    .isEqualByComparingTo(expected);
            for (JsonNode resource : costs.get("properties").get("resources")) {
                String path = resource.get("resourceId").asString().substring(("/subscriptions/" + sub).length());
                BigDecimal reference = model.costByResource.get(path.toLowerCase());
                if (reference != null) {
                    assertThat(resource.get("cost").decimalValue()).as("cost of %s", path)
                            .isEqualByComparingTo(shown(reference));
                }
            }
            assertThat(jdbc.queryForObject("select count(*) from rejected_event where subject like ?", Integer.class,
                    "/subscriptions/" + sub + "/%")).as("rejections of %s", sub).isEqualTo(model.rejected);
        }
        assertThat(model.rejected).isPositive();
    }

    static KafkaProducer<String, String> producer() throws Exception {
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
        }
        return new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ProducerConfig.ACKS_CONFIG, "all", ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
                ProducerConfig.LINGER_MS_CONFIG, 20, ProducerConfig.BATCH_SIZE_CONFIG, 262_144,
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class,
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class));
    }

    JsonNode get(String path) throws Exception {
        HttpResponse<String> response = ServiceCredentials.httpClient().send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + port + path)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return exact.readTree(response.body());
    }
}
