package dev.cirrus.computecontainer.group;

import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;

import dev.cirrus.computecontainer.operation.Operation;
import dev.cirrus.computecontainer.operation.OperationRepository;
import dev.cirrus.contracts.arm.Preconditions;
import dev.cirrus.contracts.events.CloudEvent;
import dev.cirrus.contracts.events.EventTypes;
import dev.cirrus.contracts.events.PlacementData;
import dev.cirrus.contracts.events.Topics;
import dev.cirrus.plumbing.events.InboxConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.SmartLifecycle;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.ObjectMapper;

/**
 * What the platform does to container groups on its own, as the placement engine announces it on
 * {@code cirrus.placement} (inbox {@code compute-container-platform}, {@code cirrus.container.platform-consumer}:
 * each event applied once, in the transaction of
 * its effect): {@code VmServiceHealed} and {@code VmMigrated} about a group's platform id mean its host (or rack)
 * failed or was drained and the engine moved the group to another host: a running group is restarted there
 * ({@link ContainerGroup#rehosted}, a Restart operation for the worker). Events about other ids (VMs, deleted groups)
 * are ignored; a group the engine strands (no host could take it) is left as it is.
 */
@Component
class PlatformEvents implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(PlatformEvents.class);
    static final String CONSUMER = "compute-container-platform";

    private final ContainerGroupRepository groups;
    private final OperationRepository operations;
    private final WorkSignal worker;
    private final JdbcTemplate jdbc;
    private final TransactionTemplate tx;
    private final ObjectMapper json;
    private final Clock clock;
    private final String bootstrap;
    private final String consumerName;
    private volatile InboxConsumer consumer;

    PlatformEvents(ContainerGroupRepository groups, OperationRepository operations, WorkSignal worker,
                   JdbcTemplate jdbc, TransactionTemplate tx, ObjectMapper json, Clock clock,
                   @Value("${cirrus.kafka.bootstrap-servers:}") String bootstrap,
                   // the consumer group and inbox name; one per deployment of the service (tests run several)
                   @Value("${cirrus.container.platform-consumer:" + CONSUMER + "}") String consumerName) {
        this.consumerName = consumerName;
        this.groups = groups;
        this.operations = operations;
        this.worker = worker;
        this.jdbc = jdbc;
        this.tx = tx;
        this.json = json;
        this.clock = clock;
        this.bootstrap = bootstrap;
    }

    /** Applies one placement event; runs inside the inbox's transaction. */
    void apply(CloudEvent event) {
        if (!(EventTypes.VM_SERVICE_HEALED.equals(event.type()) || EventTypes.VM_MIGRATED.equals(event.type()))
                || event.data() == null) {
            return;
        }
        PlacementData data = json.treeToValue(event.data(), PlacementData.class);
        UUID groupId;
        try {
            groupId = UUID.fromString(data.vmId());
        } catch (RuntimeException notOurs) {
            return;
        }
        groups.findByGroupId(groupId).flatMap(g -> groups.findForUpdate(g.key())).ifPresent(g -> {
            if (g.placement() != null && g.placement().host().equals(data.host())) {
                return; // already there
            }
            Instant now = clock.instant().truncatedTo(ChronoUnit.MICROS);
            UUID operationId = UUID.randomUUID();
            ContainerGroup.Transition t = g.rehosted(new ContainerGroup.Placement(data.host(), data.rack(),
                    data.cluster(), data.faultDomain()), operationId, now, Preconditions.newEtag());
            if (t.group() == g) {
                return;
            }
            groups.update(t.group());
            if (operationId.equals(t.group().operationId())) {
                log.info("container group {} moved to host {} (its host failed): restarting it there", g.resourceId(),
                        data.host());
                operations.insert(Operation.start(operationId, g.subscriptionId(), g.location(), g.key(),
                        Operation.Kind.Restart, now), now);
                worker.wakeUpAfterCommit();
            }
        });
    }

    @Override
    public void start() {
        if (bootstrap == null || bootstrap.isBlank()) {
            return;
        }
        consumer = new InboxConsumer(consumerName, List.of(Topics.PLACEMENT), bootstrap, jdbc, tx, json, this::apply);
        consumer.start();
    }

    @Override
    public void stop() {
        InboxConsumer c = consumer;
        if (c != null) {
            c.close();
            consumer = null;
        }
    }

    @Override
    public boolean isRunning() {
        return consumer != null;
    }
}
