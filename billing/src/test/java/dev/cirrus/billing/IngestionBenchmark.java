package dev.cirrus.billing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import dev.cirrus.contracts.events.Topics;
import dev.cirrus.testkit.ServiceCredentials;
import dev.cirrus.testkit.TestInfrastructure;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;
import tools.jackson.databind.json.JsonMapper;

/**
 * The ingestion benchmark (not part of the test suite; run it with {@code mvn -B -q test -pl billing -Pbench}):
 *
 * <ol>
 *   <li>pre-fills the billing topics with {@code bench.events} (default 1,000,000) usage events: 95% Functions
 *       executions, the rest VM power transitions, container group and App Service plan transitions and Logic Apps
 *       runs, over the resources of 20 subscriptions, in time order;</li>
 *   <li>starts the billing service against a fresh database (testkit PostgreSQL and Kafka) and measures events/s from
 *       the topic to committed meters: the events divided by the time between the first and the last batch
 *       transaction (inbox {@code applied_at}), and by the wall time from the start of the service until all are
 *       committed;</li>
 *   <li>then produces a steady {@code bench.rate} events/s (default 5,000) for {@code bench.seconds} (default 60) and
 *       samples the consumer lag (end offsets minus committed offsets of group billing-meter) every 100 ms, reporting
 *       its p50, p99 and maximum.</li>
 * </ol>
 * The figures go to {@code bench-results/ingestion.md}.
 */
class IngestionBenchmark {

    static final JsonMapper json = JsonMapper.builder().build();
    static final List<String> TOPICS = List.of(Topics.COMPUTE_VM, Topics.COMPUTE_CONTAINER, Topics.APP_SERVICE,
            Topics.SERVERLESS);

    @Test
    void ingest() throws Exception {
        int events = Integer.getInteger("bench.events", 1_000_000);
        int rate = Integer.getInteger("bench.rate", 5_000);
        int seconds = Integer.getInteger("bench.seconds", 60);
        String loadAtStart = load();
        String bootstrap = TestInfrastructure.kafkaBootstrapServers();
        String db = TestInfrastructure.postgres().newDatabase("billing_bench");
        createTopics(bootstrap);
        Map<TopicPartition, Long> before = null;
        for (int attempt = 0; before == null; attempt++) {   // new topics take a moment to be served
            try {
                before = endOffsets(bootstrap);
            } catch (ExecutionException e) {
                if (attempt == 40) {
                    throw e;
                }
                Thread.sleep(250);
            }
        }
        long already = before.values().stream().mapToLong(Long::longValue).sum();

        Generator generator = new Generator(new Random(42));
        long produceStart = System.nanoTime();
        try (KafkaProducer<String, String> producer = producer(bootstrap)) {
            for (int i = 0; i < events; i++) {
                generator.send(producer);
            }
            producer.flush();
        }
        double produceSeconds = (System.nanoTime() - produceStart) / 1e9;

        long start = System.nanoTime();
        try (ConfigurableApplicationContext app = new SpringApplicationBuilder(BillingApplication.class).run(
                "--server.port=0", "--cirrus.service-credential=" + ServiceCredentials.value(), "--spring.datasource.url=" + db,
                "--spring.datasource.username=" + TestInfrastructure.postgres().username(),
                "--spring.datasource.password=" + TestInfrastructure.postgres().password(),
                "--cirrus.kafka.bootstrap-servers=" + bootstrap)) {
            JdbcTemplate jdbc = app.getBean(JdbcTemplate.class);
            long expected = already + events;   // a fresh database re-reads whatever the topics held before
            while (count(jdbc) < expected) {
                Thread.sleep(200);
            }
            double wall = (System.nanoTime() - start) / 1e9;
            Map<String, Object> span = jdbc.queryForMap("select extract(epoch from max(applied_at) - min(applied_at)) "
                    + "as seconds, count(distinct applied_at) as batches from inbox where consumer = 'billing-meter'");
            double applying = ((Number) span.get("seconds")).doubleValue();

            // steady phase: a paced producer, the lag sampled every 100 ms
            List<Long> lags = Collections.synchronizedList(new ArrayList<>());
            long steadyStart = System.nanoTime();
            long sent = 0;
            try (KafkaProducer<String, String> producer = producer(bootstrap);
                 Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
                long nextSample = System.nanoTime();
                while (System.nanoTime() - steadyStart < seconds * 1_000_000_000L) {
                    long due = (long) ((System.nanoTime() - steadyStart) / 1e9 * rate);
                    while (sent < due) {
                        generator.send(producer);
                        sent++;
                    }
                    if (System.nanoTime() >= nextSample) {
                        producer.flush();
                        lags.add(lag(admin));
                        nextSample += 100_000_000L;
                    }
                    Thread.sleep(1);
                }
                producer.flush();
            }
            List<Long> sorted = new ArrayList<>(lags);
            Collections.sort(sorted);
            long p50 = sorted.get((int) Math.floor(0.50 * (sorted.size() - 1)));
            long p99 = sorted.get((int) Math.floor(0.99 * (sorted.size() - 1)));
            long max = sorted.getLast();

            String report = """
                    # Billing ingestion benchmark

                    Command: `cd /work/main && JAVA_HOME=/usr/lib/jvm/temurin-25-jdk-amd64 mvn -B -q test -pl billing -Pbench`
                    Run: %s, %d cores, testkit PostgreSQL and Kafka (%s), max-poll-records 2000 (default).
                    Load average (1 min) at the start and the end of the run: %s / %s (other builds share the machine).

                    ## Pre-filled topics to committed meters
                    - events: %,d (95%% Functions executions; VM, container group, plan transitions and Logic Apps runs)
                      %s
                    - produced in %.1f s
                    - applied in %.1f s between the first and the last batch commit: **%,.0f events/s**
                      (%,d batch transactions)
                    - wall time from the service's start (Spring, Flyway, consumer group join) to the last commit:
                      %.1f s, %,.0f events/s

                    ## Steady %,d events/s for %d s
                    - events produced: %,d
                    - consumer lag (end offsets - committed offsets of billing-meter), sampled every 100 ms (%d samples):
                      p50 %,d events, **p99 %,d events** (%.0f ms at that rate), max %,d
                    """.formatted(Instant.now(), Runtime.getRuntime().availableProcessors(),
                    System.getenv("CIRRUS_TEST_KAFKA_BOOTSTRAP_SERVERS") != null ? "from the environment" : "embedded or containers",
                    loadAtStart, load(),
                    events, already > 0 ? "(plus " + already + " events the topics held before, re-read too)" : "",
                    produceSeconds, applying, expected / applying, ((Number) span.get("batches")).longValue(), wall,
                    expected / wall, rate, seconds, sent, sorted.size(), p50, p99, p99 * 1000.0 / rate, max);
            Path out = Path.of("bench-results", "ingestion.md");
            Files.createDirectories(out.getParent());
            Files.writeString(out, report);
            System.out.println(report);
        }
    }

    static String load() throws IOException {
        Path loadavg = Path.of("/proc/loadavg");
        return Files.exists(loadavg) ? Files.readString(loadavg).split(" ")[0] : "unknown";
    }

    static long count(JdbcTemplate jdbc) {
        return jdbc.queryForObject("select count(*) from inbox where consumer = 'billing-meter'", Long.class);
    }

    static long lag(Admin admin) throws Exception {
        Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets("billing-meter")
                .partitionsToOffsetAndMetadata().get(10, TimeUnit.SECONDS);
        Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
        for (TopicPartition tp : committed.keySet()) {
            latest.put(tp, OffsetSpec.latest());
        }
        long lag = 0;
        for (var e : admin.listOffsets(latest).all().get(10, TimeUnit.SECONDS).entrySet()) {
            OffsetAndMetadata c = committed.get(e.getKey());
            lag += e.getValue().offset() - (c == null ? 0 : c.offset());
        }
        return lag;
    }

    static Map<TopicPartition, Long> endOffsets(String bootstrap) throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
            for (var d : admin.describeTopics(TOPICS).allTopicNames().get(30, TimeUnit.SECONDS).values()) {
                d.partitions().forEach(p -> latest.put(new TopicPartition(d.name(), p.partition()), OffsetSpec.latest()));
            }
            Map<TopicPartition, Long> out = new HashMap<>();
            for (Map.Entry<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> e
                    : admin.listOffsets(latest).all().get(30, TimeUnit.SECONDS).entrySet()) {
                out.put(e.getKey(), e.getValue().offset());
            }
            return out;
        }
    }

    static void createTopics(String bootstrap) throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            for (String topic : TOPICS) {
                try {
                    admin.createTopics(List.of(new NewTopic(topic, 3, (short) 1))).all().get(30, TimeUnit.SECONDS);
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof TopicExistsException)) {
                        throw e;
                    }
                }
            }
        }
    }

    static KafkaProducer<String, String> producer(String bootstrap) {
        return new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ProducerConfig.ACKS_CONFIG, "all", ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
                ProducerConfig.LINGER_MS_CONFIG, 5, ProducerConfig.BATCH_SIZE_CONFIG, 262_144,
                ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4",
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class,
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class));
    }

    /**
     * A mixed stream of 20 subscriptions, each with 10 function apps, 30 VMs, 10 container groups and 10 workflows,
     * moving through November 2026 in time order (2 s of event time per event).
     */
    static final class Generator {
        final Random r;
        final Instant month = Instant.parse("2026-11-01T00:00:00Z");
        final String[] subs = new String[20];
        final String[] states = {"running", "stopped", "deallocated", "running"};

        Generator(Random r) {
            this.r = r;
            for (int i = 0; i < subs.length; i++) {
                subs[i] = new UUID(0x5eedL, i).toString();
            }
        }

        long sent;

        /** Events move through the month in time order, a little jittered, as a live stream does. */
        void send(KafkaProducer<String, String> producer) {
            String sub = subs[r.nextInt(subs.length)];
            Instant time = month.plusMillis(sent++ * 2_000 + r.nextInt(1_000));
            int kind = r.nextInt(100);
            Map<String, Object> data = new HashMap<>();
            data.put("subscriptionId", sub);
            data.put("location", "eastus");
            String topic;
            String type;
            String subject = "/subscriptions/" + sub + "/resourceGroups/rg/providers/";
            if (kind < 95) {
                int app = r.nextInt(10);
                topic = Topics.SERVERLESS;
                type = "Microsoft.Web.FunctionExecuted";
                subject += "Microsoft.Web/sites/fn-" + app;
                data.put("name", "fn-" + app);
                data.put("functionName", "f");
                data.put("executionId", UUID.randomUUID().toString());
                data.put("durationMs", (long) r.nextInt(3000));
                data.put("memoryMb", 64 + r.nextInt(1024));
                data.put("status", "Succeeded");
            } else if (kind < 98) {
                int vm = r.nextInt(30);
                topic = Topics.COMPUTE_VM;
                type = "Microsoft.Compute.VirtualMachinePowerStateChanged";
                subject += "Microsoft.Compute/virtualMachines/vm-" + vm;
                data.put("name", "vm-" + vm);
                data.put("vmSize", "Standard_D2s_v5");
                data.put("powerState", states[r.nextInt(states.length)]);
            } else if (kind < 99) {
                int cg = r.nextInt(10);
                topic = Topics.COMPUTE_CONTAINER;
                boolean running = r.nextBoolean();
                type = running ? "Microsoft.ContainerInstance.ContainerGroupStarted"
                        : "Microsoft.ContainerInstance.ContainerGroupStopped";
                subject += "Microsoft.ContainerInstance/containerGroups/cg-" + cg;
                data.put("name", "cg-" + cg);
                data.put("cpu", 1);
                data.put("memoryInGB", 1.5);
                data.put("state", running ? "Running" : "Stopped");
            } else {
                int wf = r.nextInt(10);
                topic = Topics.SERVERLESS;
                type = "Microsoft.Logic.WorkflowRunCompleted";
                subject += "Microsoft.Logic/workflows/wf-" + wf;
                data.put("name", "wf-" + wf);
                data.put("runId", UUID.randomUUID().toString());
                data.put("status", "Succeeded");
                data.put("triggerExecutions", 1);
                data.put("builtInActions", r.nextInt(8));
                data.put("standardConnectorActions", r.nextInt(3));
                data.put("enterpriseConnectorActions", 0);
            }
            data.put("resourceGroup", "rg");
            Map<String, Object> event = new LinkedHashMap<>();
            event.put("specversion", "1.0");
            event.put("id", UUID.randomUUID().toString());
            event.put("source", "/cirrus/bench");
            event.put("type", type);
            event.put("subject", subject);
            event.put("time", time.toString());
            event.put("datacontenttype", "application/json");
            event.put("data", data);
            producer.send(new ProducerRecord<>(topic, subject.toLowerCase(), json.writeValueAsString(event)));
        }
    }
}
