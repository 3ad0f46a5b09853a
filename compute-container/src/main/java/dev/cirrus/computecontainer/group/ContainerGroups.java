package dev.cirrus.computecontainer.group;

import java.math.BigDecimal;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import dev.cirrus.computecontainer.operation.Operation;
import dev.cirrus.computecontainer.operation.OperationRepository;
import dev.cirrus.computecontainer.placement.PlacementClient;
import dev.cirrus.computecontainer.runtime.DockerEngine;
import dev.cirrus.computecontainer.runtime.EngineUnavailableException;
import dev.cirrus.computecontainer.runtime.ImageInaccessibleException;
import dev.cirrus.contracts.arm.ArmJson;
import dev.cirrus.contracts.arm.ArmTags;
import dev.cirrus.contracts.arm.Preconditions;
import dev.cirrus.plumbing.arm.ArmException;
import dev.cirrus.plumbing.arm.DependencyFailureException;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.JsonNode;

/**
 * The use cases of container groups behind the ARM API: read and check the request, load (locked), decide (the
 * {@link ContainerGroup}), save the group, its operation and its events in one transaction, wake the worker after
 * the commit. Work on the Docker engine and the placement engine happens outside transactions: the images of a new
 * group are checked before it is stored (an image that cannot be had is Azure's 400 {@code InaccessibleImage} and
 * leaves nothing behind), the containers of a stopped or deleted group are removed before the group changes.
 */
@Service
public class ContainerGroups {

    public static final String TYPE = ContainerGroupRequests.TYPE;

    /** The result of a PUT: the group as stored, and the create operation when the PUT created it. */
    public record PutResult(ContainerGroup group, Operation created) {
    }

    /** One page of a list, and the key the next page starts after (null on the last page). */
    public record Page(List<ContainerGroup> groups, String lastKey) {
    }

    private final ContainerGroupRepository groups;
    private final OperationRepository operations;
    private final ContainerGroupRequests requests;
    private final GroupEvents events;
    private final WorkSignal worker;
    private final DockerEngine engine;
    private final PlacementClient placement;
    private final ContainerGroupProperties properties;
    private final TransactionTemplate tx;
    private final Clock clock;

    ContainerGroups(ContainerGroupRepository groups, OperationRepository operations, ContainerGroupRequests requests,
                    GroupEvents events, WorkSignal worker, DockerEngine engine, PlacementClient placement,
                    ContainerGroupProperties properties, TransactionTemplate tx, Clock clock) {
        this.groups = groups;
        this.operations = operations;
        this.requests = requests;
        this.events = events;
        this.worker = worker;
        this.engine = engine;
        this.placement = placement;
        this.properties = properties;
        this.tx = tx;
        this.clock = clock;
    }

    public static String resourceId(String sub, String rg, String name) {
        return "/subscriptions/" + sub + "/resourceGroups/" + rg + "/providers/" + TYPE + "/" + name;
    }

    /** PUT: creates the group (201, provisioning continues in the worker), or re-tags the existing one (200). */
    public PutResult createOrUpdate(String sub, String rg, String name, JsonNode body, Preconditions preconditions) {
        ContainerGroupRequests.Put put = requests.put(name, body);
        String id = resourceId(sub, rg, name);
        Optional<ContainerGroup> existing = groups.find(id);
        if (existing.isPresent()) {
            return new PutResult(update(id, put, preconditions), null);
        }
        preconditions.checkPut(null);
        checkImages(name, put.spec());
        try {
            return tx.execute(status -> {
                groups.lockSubscription(sub);
                Optional<ContainerGroup> raced = groups.findForUpdate(id);
                if (raced.isPresent()) {
                    return new PutResult(update(id, put, preconditions), null);
                }
                checkQuota(sub, put.location(), put.spec().cpu());
                ContainerGroup g = ContainerGroup.create(id, sub, rg, name, put.location(), put.spec(), put.tags(),
                        UUID.randomUUID(), UUID.randomUUID(), now(), Preconditions.newEtag());
                checkDnsLabel(g);
                groups.insert(g);
                for (ContainerGroupSpec.Container c : g.spec().containers()) {
                    groups.saveView(g.key(), ContainerInstanceView.waiting(c.name()));
                }
                Operation op = Operation.start(g.operationId(), sub, g.location(), g.key(), Operation.Kind.Create,
                        g.createdAt());
                operations.insert(op, g.createdAt());
                worker.wakeUpAfterCommit();
                return new PutResult(g, op);
            });
        } catch (DuplicateKeyException e) {
            // two PUTs created the same group, or took the same DNS name label, at once
            throw conflictOnInsert(name, put);
        }
    }

    /** PATCH: the tags; nothing else of a container group changes by PATCH. */
    public ContainerGroup patch(String sub, String rg, String name, JsonNode body, Preconditions preconditions) {
        ArmJson.requireObject(body);
        Map<String, String> tags = body.has("tags") ? ArmTags.read(body) : null;
        return tx.execute(status -> {
            ContainerGroup g = groups.findForUpdate(resourceId(sub, rg, name)).orElseThrow(() -> notFound(rg, name));
            preconditions.checkExisting(g.etag());
            if (tags == null || tags.equals(g.tags())) {
                return g;
            }
            ContainerGroup changed = g.retagged(tags, now(), Preconditions.newEtag());
            groups.update(changed);
            return changed;
        });
    }

    public ContainerGroup get(String sub, String rg, String name) {
        return groups.find(resourceId(sub, rg, name)).orElseThrow(() -> notFound(rg, name));
    }

    public Map<String, ContainerInstanceView> views(ContainerGroup g) {
        return groups.views(g.key());
    }

    public Page list(String sub, String rg, String after, int size) {
        List<ContainerGroup> rows = groups.list(sub, rg, after, size + 1);
        boolean more = rows.size() > size;
        List<ContainerGroup> shown = more ? rows.subList(0, size) : rows;
        return new Page(shown, more ? shown.getLast().key() : null);
    }

    /**
     * DELETE: the group's containers removed, its host released, then the group forgotten (its meter stops).
     * Empty when there was no such group (204); the group as it was (200) otherwise. A deletion during a create
     * or start wins: the worker finds the group gone and removes what it started.
     */
    public Optional<ContainerGroup> delete(String sub, String rg, String name, Preconditions preconditions) {
        String id = resourceId(sub, rg, name);
        Optional<ContainerGroup> existing = groups.find(id);
        if (existing.isEmpty()) {
            return Optional.empty();
        }
        preconditions.checkDelete(existing.get().etag());
        ContainerGroup g = existing.get();
        if (engine.answers()) {
            engine.removeGroup(g.groupId());
        }
        if (!placement.release(g.groupId())) {
            throw new DependencyFailureException("The placement engine did not answer: the container group '" + name
                    + "' still holds its host. Retry the deletion.", false, null);
        }
        return tx.execute(status -> {
            Optional<ContainerGroup> current = groups.findForUpdate(id);
            if (current.isEmpty()) {
                return existing; // deleted meanwhile by another request
            }
            Instant now = now();
            events.publish(current.get().delete(now).events());
            operations.cancelAll(current.get().key(), now);
            groups.delete(current.get().key());
            return current;
        });
    }

    /** POST …/stop: containers removed, host released, the meter stops (Azure answers 204). */
    public void stop(String sub, String rg, String name) {
        String id = resourceId(sub, rg, name);
        ContainerGroup g = groups.find(id).orElseThrow(() -> notFound(rg, name));
        g.refuseWhileBusy();
        if (engine.answers()) {
            engine.removeGroup(g.groupId());
        }
        tx.executeWithoutResult(status -> {
            ContainerGroup current = groups.findForUpdate(id).orElseThrow(() -> notFound(rg, name));
            ContainerGroup.Transition t = current.stop(now(), Preconditions.newEtag());
            if (t.group() != current) {
                groups.update(t.group());
                for (ContainerInstanceView v : groups.views(current.key()).values()) {
                    if (v.currentState() != null && !"Terminated".equals(v.currentState().state())) {
                        groups.saveView(current.key(), v.moved(null, v.restartCount(), new ContainerInstanceView.State(
                                "Terminated", v.currentState().startTime(), null, now(), "Stopped"))
                                .withEvent("Killing", "Stopping container " + v.containerName(), now()));
                    }
                }
            }
            events.publish(t.events());
        });
        placement.release(g.groupId());
    }

    /** POST …/start or …/restart: Updating until the worker has placed and started the containers again (202). */
    public Operation redeploy(String sub, String rg, String name, boolean restart) {
        return tx.execute(status -> {
            ContainerGroup g = groups.findForUpdate(resourceId(sub, rg, name)).orElseThrow(() -> notFound(rg, name));
            Instant now = now();
            UUID operationId = UUID.randomUUID();
            ContainerGroup.Transition t = g.beginRedeploy(restart, operationId, now, Preconditions.newEtag());
            groups.update(t.group());
            events.publish(t.events());
            Operation op = Operation.start(operationId, sub, g.location(), g.key(),
                    restart ? Operation.Kind.Restart : Operation.Kind.Start, now);
            operations.insert(op, now);
            worker.wakeUpAfterCommit();
            return op;
        });
    }

    /** A container's logs: its output since it started, or the last {@code tail} lines. */
    public String logs(String sub, String rg, String name, String container, Integer tail, boolean timestamps) {
        ContainerGroup g = get(sub, rg, name);
        if (g.spec().containers().stream().noneMatch(c -> c.name().equals(container))) {
            throw ArmException.notFound("ContainerNotFound", "The container '" + ContainerGroupRequests.printable(
                    container) + "' was not found in container group '" + name + "'.");
        }
        ContainerInstanceView view = groups.views(g.key()).get(container);
        if (view == null || view.dockerId() == null) {
            return "";
        }
        if (!engine.answers()) {
            throw new DependencyFailureException(new EngineUnavailableException(engine.host(), null).getMessage(),
                    false, null);
        }
        return engine.logs(view.dockerId(), tail, timestamps);
    }

    private ContainerGroup update(String id, ContainerGroupRequests.Put put, Preconditions preconditions) {
        return tx.execute(status -> {
            ContainerGroup g = groups.findForUpdate(id).orElseThrow();
            preconditions.checkPut(g.etag());
            if (!put.location().equals(g.location())) {
                throw new ArmException(409, "InvalidResourceLocation", "The resource '" + g.name() + "' already exists "
                        + "in location '" + g.location() + "' in resource group '" + g.resourceGroup() + "'. A resource "
                        + "with the same name cannot be created in location '" + put.location() + "'. Please select a "
                        + "new resource name.", "location");
            }
            if (!put.spec().equals(g.spec())) {
                throw ArmException.badRequest("InvalidContainerGroupUpdate", "The updates on container group '"
                        + g.name() + "' are invalid: this Cirrus changes only the tags of an existing container group. "
                        + "To change its containers, resources, ports, volumes or policies, delete it first and then "
                        + "create a new one.", "properties");
            }
            if (put.tags().equals(g.tags())) {
                return g;
            }
            ContainerGroup changed = g.retagged(put.tags(), now(), Preconditions.newEtag());
            groups.update(changed);
            return changed;
        });
    }

    /** Every image of a new group present or pullable, when an engine answers (without one the worker fails it). */
    private void checkImages(String name, ContainerGroupSpec spec) {
        if (!engine.answers()) {
            return;
        }
        List<String> images = new ArrayList<>();
        spec.initContainers().forEach(c -> images.add(c.image()));
        spec.containers().forEach(c -> images.add(c.image()));
        for (String image : images.stream().distinct().toList()) {
            try {
                engine.ensureImage(image, spec.imageRegistryCredentials());
            } catch (ImageInaccessibleException e) {
                throw ArmException.badRequest("InaccessibleImage", "The image '" + image + "' in container group '"
                        + name + "' is not accessible. Please check the image and registry credential. ("
                        + e.getMessage() + ")", null);
            } catch (EngineUnavailableException e) {
                return; // the engine went away meanwhile: the worker fails the group with the reason
            }
        }
    }

    private void checkQuota(String sub, String location, BigDecimal cpu) {
        BigDecimal used = groups.cpuInRegion(sub, location);
        if (used.add(cpu).compareTo(properties.regionalCores()) > 0) {
            throw new ArmException(409, "ContainerGroupQuotaReached", "Resource type 'Microsoft.ContainerInstance/"
                    + "containerGroups' has reached the quota of 'StandardCores' in location '" + location + "': "
                    + "limit " + properties.regionalCores().toPlainString() + ", in use " + used.toPlainString()
                    + ", requested " + cpu.toPlainString() + ". Delete container groups in " + location + " or raise "
                    + "cirrus.container.groups.regional-cores.", null);
        }
    }

    private void checkDnsLabel(ContainerGroup g) {
        String label = g.dnsLabelKey();
        if (label != null && groups.findByDnsLabel(label).isPresent()) {
            throw dnsLabelTaken(g.name(), g.spec().ipAddress().dnsNameLabel());
        }
    }

    private static ArmException dnsLabelTaken(String name, String label) {
        return ArmException.badRequest("DnsNameLabelNotAvailable", "The DNS name label '" + label + "' in container "
                + "group '" + name + "' not available. Try using a different label.", "properties.ipAddress.dnsNameLabel");
    }

    private ArmException conflictOnInsert(String name, ContainerGroupRequests.Put put) {
        if (put.spec().ipAddress() != null && put.spec().ipAddress().dnsNameLabel() != null) {
            String key = (put.spec().ipAddress().dnsNameLabel() + "." + put.location()).toLowerCase();
            Optional<ContainerGroup> holder = groups.findByDnsLabel(key);
            if (holder.isPresent() && !holder.get().name().equals(name)) {
                return dnsLabelTaken(name, put.spec().ipAddress().dnsNameLabel());
            }
        }
        return ArmException.conflict("AnotherOperationInProgress", "The container group '" + name + "' is being "
                + "created by another request. Retry after it completes.");
    }

    static ArmException notFound(String rg, String name) {
        return ArmException.notFound("ResourceNotFound", "The Resource '" + TYPE + "/" + name
                + "' under resource group '" + rg + "' was not found.");
    }

    /** Now, to the database's precision (microseconds), so a group reads back as it was answered. */
    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MICROS);
    }
}
