package dev.cirrus.gateway.resourcegroup;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import dev.cirrus.gateway.arm.ArmPath;
import dev.cirrus.gateway.provider.ProviderRegistry;
import dev.cirrus.gateway.resourceindex.ResourceIndex;
import dev.cirrus.gateway.routing.ServiceEndpoints;
import dev.cirrus.plumbing.security.ServiceCredential;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;
import org.springframework.web.util.UriComponentsBuilder;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * Deletes the resource groups whose DELETE was accepted ({@code Deleting}). First the group is swept: every service
 * that lists a resource type per group (the provider registry says which) is asked for the group's resources, and
 * what the index does not know yet (created at the service directly, not through the gateway) is indexed. Then
 * every resource the {@link ResourceIndex} places in the group (what routed PUTs created, the lifecycle events
 * reported and the sweep found) is deleted
 * through its owning service with an ARM DELETE, whose asynchronous operation is followed ({@code
 * Azure-AsyncOperation}, else {@code Location}) to its end, and the group is swept again; when a sweep finds nothing
 * and the index names nothing the group goes and
 * {@code ResourceGroupDeleted} is published ({@link ResourceGroupService#finishDeletion}).
 *
 * <p>A service that refuses or cannot be reached (409 while a resource is busy, 5xx, a refused connection, an
 * operation that fails, a list it cannot answer) leaves the group Deleting: the next pass, {@code poll-interval} later, tries again, as ARM
 * retries refusals. A group is never lost and never removed while the index still names something in it.
 * One pass at a time per gateway instance; DELETEs are idempotent, so two instances working on one group only repeat
 * each other.
 */
@Component
class ResourceGroupDeleter implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(ResourceGroupDeleter.class);
    private static final int PAGE = 1000;
    /** sweep-and-delete rounds per pass before the next pass takes over */
    private static final int ROUNDS_PER_PASS = 3;
    /** a bound on a service's nextLink chain (1000 pages of its lists), against a service that loops */
    private static final int MAX_LIST_PAGES = 1000;

    private final ResourceGroupService groups;
    private final ResourceIndex index;
    private final ServiceEndpoints services;
    private final ResourceGroupDeletionProperties properties;
    private final ObjectMapper json;
    private final HttpClient http;
    private final Clock clock;
    private final ProviderRegistry registry;
    private final ServiceCredential credential;
    private volatile ScheduledExecutorService worker;

    ResourceGroupDeleter(ResourceGroupService groups, ResourceIndex index, ServiceEndpoints services,
                         ResourceGroupDeletionProperties properties, ObjectMapper json, Clock clock,
                         ProviderRegistry registry, ServiceCredential credential) {
        this.clock = clock;
        this.registry = registry;
        this.credential = credential;
        this.groups = groups;
        this.index = index;
        this.services = services;
        this.properties = properties;
        this.json = json;
        this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                // the gateway's own connect bound for routed calls
                .connectTimeout(Duration.ofSeconds(2)).build();
    }

    /** One pass over every group being deleted. */
    void pass() {
        for (ResourceGroup group : groups.deleting()) {
            try {
                if (deleteContents(group)) {
                    groups.finishDeletion(group);
                    log.info("resource group {} deleted", group.id());
                }
            } catch (RuntimeException e) {
                log.warn("deleting resource group {} failed this pass, retrying: {}", group.id(), e.toString());
            }
        }
    }

    /**
     * Sweeps the group at its services and deletes what the index then names in it, round after round (resources
     * a deletion lets go, e.g. an availability set refused while its VMs existed), until a sweep finds nothing
     * left; true then. False when a service could not be swept or a deletion is not done yet: the next pass goes on.
     */
    private boolean deleteContents(ResourceGroup group) {
        for (int round = 0; round < ROUNDS_PER_PASS; round++) {
            Optional<String> sweepFailure = sweep(group);
            List<ResourceIndex.Entry> contents = indexed(group);
            if (contents.isEmpty()) {
                sweepFailure.ifPresent(why -> log.info("sweeping resource group {}: {} (retrying)", group.id(), why));
                return sweepFailure.isEmpty();
            }
            if (!delete(group, contents)) {
                return false;
            }
        }
        return false;
    }

    /**
     * Lists the group at every service that lists a type per group ({@link ProviderRegistry#listedInGroups()}) and
     * indexes what the index does not know yet (created at the service behind the gateway's back, or whose events
     * the gateway has not read yet). A 404 is an empty list (a service that does not serve that list). Empty when
     * every service answered, else why not.
     */
    private Optional<String> sweep(ResourceGroup group) {
        String failure = null;
        for (ProviderRegistry.ResourceType listed : registry.listedInGroups()) {
            for (String owner : listed.owners()) {
                URI base = services.byModule().get(owner);
                if (base == null) {
                    continue;
                }
                String[] t = {listed.namespace(), listed.name()};
                String type = listed.fullName();
                String version = listed.apiVersions().getFirst();
                URI next = UriComponentsBuilder.fromUri(base)
                        .pathSegment("subscriptions", group.subscriptionId(), "resourceGroups", group.name(),
                                "providers", t[0], t[1])
                        .queryParam("api-version", version).build().encode().toUri();
                for (int page = 0; next != null && page < MAX_LIST_PAGES; page++) {
                    try {
                        HttpResponse<String> response = http.send(HttpRequest.newBuilder(next).GET()
                                        .timeout(properties.requestTimeout())
                                        .header(ServiceCredential.HEADER, credential.value()).build(),
                                HttpResponse.BodyHandlers.ofString());
                        if (response.statusCode() == 404) {
                            break;
                        }
                        if (response.statusCode() != 200) {
                            failure = owner + " answered " + response.statusCode() + " to the list of " + type + ": "
                                    + abbreviate(response.body());
                            break;
                        }
                        next = indexListed(group, type, owner, next, response.body());
                    } catch (IOException e) {
                        failure = owner + " unreachable listing " + type + ": " + e;
                        break;
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        return Optional.of("interrupted");
                    }
                }
            }
        }
        return Optional.ofNullable(failure);
    }

    /** Indexes the listed resources of the group the index does not know; the next page's URL, if any. */
    private URI indexListed(ResourceGroup group, String type, String owner, URI listed, String body) {
        JsonNode list;
        try {
            list = json.readTree(body);
        } catch (RuntimeException e) {
            return null;
        }
        for (JsonNode item : list.path("value")) {
            String id = item.path("id").asString("");
            ArmPath path = new ArmPath(List.of(id.split("/")));
            List<String> s = path.segments();
            // only a top-level resource of the type, in this group
            if (s.size() != 8 || !path.isInsideResourceGroup()
                    || !path.subscriptionId().orElseThrow().equalsIgnoreCase(group.subscriptionId())
                    || !path.resourceGroup().orElseThrow().equalsIgnoreCase(group.name())
                    || !(s.get(5) + "/" + s.get(6)).equalsIgnoreCase(type)
                    || index.ownerOf(id).isPresent()) {
                continue;
            }
            Map<String, String> tags = new LinkedHashMap<>();
            item.path("tags").properties().forEach(e -> tags.put(e.getKey(), e.getValue().asString("")));
            String location = item.path("location").isString()
                    ? item.path("location").asString().replaceAll("\\s+", "").toLowerCase(Locale.ROOT) : null;
            index.put("/" + String.join("/", s), type, owner, location,
                    item.path("kind").isString() ? item.path("kind").asString() : null, tags, clock.instant());
            log.info("resource group {}: found {} at {}, not indexed: indexed and deleted with the group",
                    group.id(), id, owner);
        }
        String nextLink = list.path("nextLink").isString() ? list.path("nextLink").asString() : null;
        return nextLink == null || nextLink.isBlank() ? null : listed.resolve(nextLink);
    }

    private List<ResourceIndex.Entry> indexed(ResourceGroup group) {
        List<ResourceIndex.Entry> contents = new ArrayList<>();
        String after = null;
        while (true) {
            List<ResourceIndex.Entry> page = index.list(group.subscriptionId(), group.name(), null, after, PAGE);
            contents.addAll(page);
            if (page.size() < PAGE) {
                return contents;
            }
            after = page.getLast().id().toLowerCase(Locale.ROOT);
        }
    }

    /** Deletes the resources through their owners and follows the accepted deletions; true when all are gone. */
    private boolean delete(ResourceGroup group, List<ResourceIndex.Entry> contents) {
        // first every DELETE (the services work in parallel), then follow the accepted ones
        Map<ResourceIndex.Entry, URI> pending = new LinkedHashMap<>();
        boolean allGone = true;
        for (ResourceIndex.Entry resource : contents) {
            Outcome outcome = delete(resource);
            switch (outcome) {
                case Outcome.Gone gone -> index.remove(resource.id());
                case Outcome.Accepted accepted -> pending.put(resource, accepted.poll());
                case Outcome.NotYet notYet -> {
                    allGone = false;
                    log.info("deleting {} in group {}: {} (retrying)", resource.id(), group.id(), notYet.why());
                }
            }
        }
        long deadline = System.nanoTime() + properties.operationTimeout().toNanos();
        while (!pending.isEmpty() && System.nanoTime() < deadline && !Thread.currentThread().isInterrupted()) {
            pause();
            for (var it = pending.entrySet().iterator(); it.hasNext(); ) {
                var entry = it.next();
                Outcome outcome = poll(entry.getValue());
                switch (outcome) {
                    case Outcome.Gone gone -> {
                        index.remove(entry.getKey().id());
                        it.remove();
                    }
                    case Outcome.Accepted accepted -> entry.setValue(accepted.poll());
                    case Outcome.NotYet notYet -> {
                        log.info("deleting {} in group {}: {} (retrying)", entry.getKey().id(), group.id(),
                                notYet.why());
                        it.remove();
                        allGone = false;
                    }
                }
            }
        }
        return allGone && pending.isEmpty();
    }

    sealed interface Outcome {
        record Gone() implements Outcome {
        }

        record Accepted(URI poll) implements Outcome {
        }

        record NotYet(String why) implements Outcome {
        }
    }

    private Outcome delete(ResourceIndex.Entry resource) {
        URI base = services.byModule().get(resource.owner());
        if (base == null) {
            return new Outcome.NotYet("no service '" + resource.owner() + "' owns it");
        }
        String[] type = resource.type().split("/", 2);
        String version = registry.type(type[0], type[1]).map(t -> t.apiVersions().getFirst())
                // a type the registry does not list: its namespace's service still checks only the shape
                .orElse("2024-07-01");
        URI uri = UriComponentsBuilder.fromUri(base).path(resource.id()).queryParam("api-version", version).build()
                .encode().toUri();
        try {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(uri).DELETE()
                    .timeout(properties.requestTimeout()).header(ServiceCredential.HEADER, credential.value()).build(),
                    HttpResponse.BodyHandlers.ofString());
            int status = response.statusCode();
            if (status == 200 || status == 204 || status == 404) {
                return new Outcome.Gone();
            }
            if (status == 201 || status == 202) {
                Optional<URI> poll = response.headers().firstValue("Azure-AsyncOperation")
                        .or(() -> response.headers().firstValue("Location")).map(u -> uri.resolve(u));
                return poll.<Outcome>map(Outcome.Accepted::new).orElseGet(() -> new Outcome.Accepted(null));
            }
            return new Outcome.NotYet(resource.owner() + " answered " + status + " " + abbreviate(response.body()));
        } catch (IOException e) {
            return new Outcome.NotYet(resource.owner() + " unreachable: " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Outcome.NotYet("interrupted");
        }
    }

    /**
     * One look at an accepted deletion: an Azure-AsyncOperation status ({@code Succeeded} → gone; {@code Failed},
     * {@code Canceled} → not yet), or a Location (200/204 → gone, 202 → still running). With no URL at all the next
     * DELETE tells.
     */
    private Outcome poll(URI url) {
        if (url == null) {
            return new Outcome.NotYet("accepted without an operation to follow");
        }
        try {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(url).GET()
                    .timeout(properties.requestTimeout()).header(ServiceCredential.HEADER, credential.value()).build(),
                    HttpResponse.BodyHandlers.ofString());
            int status = response.statusCode();
            if (status == 202) {
                return new Outcome.Accepted(response.headers().firstValue("Location").map(url::resolve).orElse(url));
            }
            if (status == 204) {
                return new Outcome.Gone();
            }
            if (status == 200) {
                String state = statusOf(response.body());
                if (state == null || state.equalsIgnoreCase("Succeeded")) {
                    return new Outcome.Gone();
                }
                if (state.equalsIgnoreCase("Failed") || state.equalsIgnoreCase("Canceled")) {
                    return new Outcome.NotYet("the deletion ended " + state + ": " + abbreviate(response.body()));
                }
                return new Outcome.Accepted(url);
            }
            return new Outcome.NotYet("its operation answered " + status + " " + abbreviate(response.body()));
        } catch (IOException e) {
            return new Outcome.NotYet("its operation is unreachable: " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Outcome.NotYet("interrupted");
        }
    }

    /** The {@code status} of an Azure-AsyncOperation body, or null for a Location's final answer. */
    private String statusOf(String body) {
        if (body == null || body.isBlank()) {
            return null;
        }
        try {
            JsonNode node = json.readTree(body);
            return node.path("status").isString() ? node.path("status").asString() : null;
        } catch (RuntimeException e) {
            return null;
        }
    }

    private void pause() {
        try {
            Thread.sleep(properties.pollInterval().toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static String abbreviate(String body) {
        return body == null ? "" : body.length() > 300 ? body.substring(0, 300) + "…" : body;
    }

    @Override
    public void start() {
        ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "resource-group-deleter");
            t.setDaemon(true);
            return t;
        });
        long period = properties.pollInterval().toMillis();
        executor.scheduleWithFixedDelay(() -> {
            try {
                pass();
            } catch (RuntimeException e) {
                // the database may be down: the next pass tries again
                log.warn("resource group deletion pass failed: {}", e.toString());
            }
        }, period, period, TimeUnit.MILLISECONDS);
        worker = executor;
    }

    @Override
    public void stop() {
        ScheduledExecutorService executor = worker;
        if (executor != null) {
            executor.shutdownNow();
            worker = null;
        }
    }

    @Override
    public boolean isRunning() {
        return worker != null;
    }
}
