package dev.cirrus.gateway.resourcegroup;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
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

import dev.cirrus.gateway.provider.ProviderCatalogue;
import dev.cirrus.gateway.resourceindex.ResourceIndex;
import dev.cirrus.gateway.routing.ServiceEndpoints;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;
import org.springframework.web.util.UriComponentsBuilder;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * Deletes the resource groups whose DELETE was accepted ({@code Deleting}): every resource the
 * {@link ResourceIndex} places in the group (what routed PUTs created and the lifecycle events reported) is deleted
 * through its owning service with an ARM DELETE, whose asynchronous operation is followed ({@code
 * Azure-AsyncOperation}, else {@code Location}) to its end; when nothing is left the group goes and
 * {@code ResourceGroupDeleted} is published ({@link ResourceGroupService#finishDeletion}).
 *
 * <p>A service that refuses or cannot be reached (409 while a resource is busy, 5xx, a refused connection, an
 * operation that fails) leaves the group Deleting: the next pass, {@code poll-interval} later, tries again, as ARM
 * retries refusals. A group is never lost and never removed while the index still names something in it.
 * One pass at a time per gateway instance; DELETEs are idempotent, so two instances working on one group only repeat
 * each other.
 */
@Component
class ResourceGroupDeleter implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(ResourceGroupDeleter.class);
    private static final int PAGE = 1000;

    private final ResourceGroupService groups;
    private final ResourceIndex index;
    private final ServiceEndpoints services;
    private final ResourceGroupDeletionProperties properties;
    private final ObjectMapper json;
    private final HttpClient http;
    private volatile ScheduledExecutorService worker;

    ResourceGroupDeleter(ResourceGroupService groups, ResourceIndex index, ServiceEndpoints services,
                         ResourceGroupDeletionProperties properties, ObjectMapper json) {
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

    /** Deletes what the index names in the group; true when nothing is left. */
    private boolean deleteContents(ResourceGroup group) {
        List<ResourceIndex.Entry> contents = new ArrayList<>();
        String after = null;
        while (true) {
            List<ResourceIndex.Entry> page = index.list(group.subscriptionId(), group.name(), null, after, PAGE);
            contents.addAll(page);
            if (page.size() < PAGE) {
                break;
            }
            after = page.getLast().id().toLowerCase(Locale.ROOT);
        }
        if (contents.isEmpty()) {
            return true;
        }
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
        String version = ProviderCatalogue.apiVersions(type[0], type[1]).map(List::getFirst)
                // a type the catalogue does not list: its namespace's service still checks only the shape
                .orElse("2024-07-01");
        URI uri = UriComponentsBuilder.fromUri(base).path(resource.id()).queryParam("api-version", version).build()
                .encode().toUri();
        try {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(uri).DELETE()
                    .timeout(properties.requestTimeout()).build(), HttpResponse.BodyHandlers.ofString());
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
                    .timeout(properties.requestTimeout()).build(), HttpResponse.BodyHandlers.ofString());
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
