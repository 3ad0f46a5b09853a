package dev.cirrus.embedded;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;

import kafka.server.BrokerServer;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import kafka.tools.StorageTool;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.metadata.BrokerState;

/**
 * A real single-node Kafka broker in KRaft mode (broker and controller in one process), run inside this JVM.
 * It can be stopped and started again on the same ports and log directory, which is how tests simulate a Kafka
 * outage and how the local run keeps its events across restarts.
 */
public final class EmbeddedKafkaServer implements AutoCloseable {

    private final Path logDir;
    private final int port;
    private final int controllerPort;
    private final int partitions;
    private final boolean temporary;
    private KafkaRaftServer server;
    /** The broker inside {@link #server}: its state tells whether it still serves. */
    private BrokerServer broker;
    /** True once {@link #haltBrokerBehindItsOwnersBack()} ended it: {@link #stop()} has nothing left to shut down. */
    private boolean halted;

    private EmbeddedKafkaServer(Path logDir, boolean temporary, int port, int controllerPort, int partitions) {
        this.logDir = logDir;
        this.temporary = temporary;
        this.port = port;
        this.controllerPort = controllerPort;
        this.partitions = partitions;
    }

    /**
     * Creates (but does not start) a broker.
     *
     * @param logDir     where the log lives; {@code null} for a throw-away directory
     * @param port       client port; 0 picks a free one (kept across restarts)
     * @param partitions default partitions of auto-created topics
     */
    public static EmbeddedKafkaServer create(Path logDir, int port, int partitions) {
        return create(logDir, port, 0, partitions);
    }

    /**
     * Creates (but does not start) a broker whose KRaft controller listens on {@code controllerPort} (0 picks a free
     * one, kept across restarts).
     */
    public static EmbeddedKafkaServer create(Path logDir, int port, int controllerPort, int partitions) {
        try {
            Path dir = logDir != null ? logDir : Files.createTempDirectory("cirrus-kafka");
            return new EmbeddedKafkaServer(dir, logDir == null, port > 0 ? port : freePort(),
                    controllerPort > 0 ? controllerPort : freePort(), partitions);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static EmbeddedKafkaServer start(Path logDir, int port) {
        EmbeddedKafkaServer kafka = create(logDir, port, 3);
        kafka.start();
        return kafka;
    }

    public synchronized void start() {
        if (server != null) {
            return;
        }
        try {
            Files.createDirectories(logDir);
            Properties props = properties();
            if (!Files.exists(logDir.resolve("meta.properties"))) {
                Path config = logDir.resolveSibling(logDir.getFileName() + ".properties");
                try (var out = Files.newOutputStream(config)) {
                    props.store(out, "cirrus embedded kafka");
                }
                ByteArrayOutputStream log = new ByteArrayOutputStream();
                int rc = StorageTool.execute(new String[] {"format", "-t", "cirrus-local-kafka-000", "-c",
                        config.toString(), "--ignore-formatted"}, new PrintStream(log, true, StandardCharsets.UTF_8));
                Files.deleteIfExists(config);
                if (rc != 0) {
                    throw new IllegalStateException("kafka storage format failed: " + log);
                }
            }
            KafkaRaftServer s = new KafkaRaftServer(KafkaConfig.fromProps(props, false), Time.SYSTEM);
            s.startup();
            server = s;
            broker = brokerOf(s);
            halted = false;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public synchronized void stop() {
        if (server != null) {
            if (!halted) {
                server.shutdown();
                server.awaitShutdown();
            }
            server = null;
            broker = null;
            halted = false;
        }
    }

    /**
     * The broker's own state: {@code RUNNING} while it serves; {@code NOT_RUNNING} when it was never started, was
     * stopped, or ended by itself (what a supervisor watches for: the broker runs inside this JVM, so there is no
     * process whose exit would tell).
     */
    public synchronized BrokerState brokerState() {
        return broker == null ? BrokerState.NOT_RUNNING : broker.brokerState();
    }

    /** True from {@link #start()} until the broker shuts down, whoever asked for it (starting counts as alive). */
    public synchronized boolean brokerAlive() {
        if (server == null || broker == null || halted) {
            return false;
        }
        BrokerState state = broker.brokerState();
        return state != BrokerState.NOT_RUNNING && state != BrokerState.SHUTTING_DOWN
                && state != BrokerState.PENDING_CONTROLLED_SHUTDOWN;
    }

    /**
     * Test-only: shuts the broker down without telling this object, as a fatal error inside the broker would end it
     * ({@link #running()} stays true, {@link #brokerAlive()} turns false). The tests of the launcher's supervision
     * use it: a broker in the launcher's JVM cannot be killed like a process. {@link #stop()} and {@link #start()}
     * work afterwards as after any end of the broker.
     */
    public synchronized void haltBrokerBehindItsOwnersBack() {
        if (server != null && !halted) {
            server.shutdown();
            server.awaitShutdown();
            halted = true;
        }
    }

    public synchronized boolean running() {
        return server != null;
    }

    public String bootstrapServers() {
        return "127.0.0.1:" + port;
    }

    public int port() {
        return port;
    }

    /** Stops the broker; a throw-away log directory is deleted. */
    @Override
    public void close() {
        stop();
        if (temporary) {
            try (var paths = Files.walk(logDir)) {
                paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            } catch (IOException e) {
                // best effort: it is a temporary directory
            }
        }
    }

    private Properties properties() {
        Properties p = new Properties();
        p.put("process.roles", "broker,controller");
        p.put("node.id", "1");
        p.put("controller.quorum.voters", "1@127.0.0.1:" + controllerPort);
        p.put("listeners", "PLAINTEXT://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controllerPort);
        p.put("advertised.listeners", "PLAINTEXT://127.0.0.1:" + port);
        p.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
        p.put("controller.listener.names", "CONTROLLER");
        p.put("inter.broker.listener.name", "PLAINTEXT");
        p.put("log.dirs", logDir.toAbsolutePath().toString());
        p.put("num.partitions", Integer.toString(partitions));
        p.put("auto.create.topics.enable", "true");
        p.put("offsets.topic.replication.factor", "1");
        p.put("offsets.topic.num.partitions", "5");
        p.put("transaction.state.log.replication.factor", "1");
        p.put("transaction.state.log.min.isr", "1");
        p.put("share.coordinator.state.topic.replication.factor", "1");
        p.put("share.coordinator.state.topic.min.isr", "1");
        p.put("group.initial.rebalance.delay.ms", "0");
        p.put("log.flush.interval.messages", "1");
        return p;
    }

    /** {@code KafkaRaftServer} keeps its broker private; its state is the one sign of life an in-JVM broker gives. */
    private static BrokerServer brokerOf(KafkaRaftServer server) {
        try {
            var field = KafkaRaftServer.class.getDeclaredField("broker");
            field.setAccessible(true);
            scala.Option<?> option = (scala.Option<?>) field.get(server);
            return option.isDefined() ? (BrokerServer) option.get() : null;
        } catch (ReflectiveOperationException | RuntimeException e) {
            throw new IllegalStateException("cannot read the state of Kafka's broker (KafkaRaftServer.broker): " + e, e);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            s.setReuseAddress(true);
            return s.getLocalPort();
        }
    }
}
