package dev.cirrus.computevm.autoscale;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.OptionalDouble;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import dev.cirrus.computevm.monitor.Metrics;
import dev.cirrus.computevm.monitor.MinuteStats;
import dev.cirrus.computevm.monitor.MonitorClock;
import dev.cirrus.computevm.scaleset.ScaleSetCapacity;
import dev.cirrus.contracts.arm.ArmErrorException;
import dev.cirrus.contracts.arm.ResourceId;
import dev.cirrus.contracts.events.AutoscaleActionData;
import dev.cirrus.contracts.events.CloudEvent;
import dev.cirrus.contracts.events.EventTypes;
import dev.cirrus.contracts.events.Topics;
import dev.cirrus.plumbing.events.Outbox;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The autoscale engine: every {@code cirrus.monitor.autoscale-interval} of monitor time (default PT30S, Azure's
 * 30–60 s) each enabled setting is evaluated under its row lock — load (the setting, the target's capacity, the
 * rules' metrics) → decide ({@link AutoscaleDecider}) → save (the scale set's capacity through
 * {@link ScaleSetCapacity}, the history entry, the event, in one transaction) → notify (webhooks POSTed with Azure's
 * payload after the commit; e-mails recorded). A refused scale action is recorded as Failed and retried at the next
 * evaluation.
 */
@Component
class AutoscaleWorker implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(AutoscaleWorker.class);

    private final AutoscaleSettings settings;
    private final AutoscaleHistory history;
    private final ScaleSetCapacity scaleSets;
    private final Metrics metrics;
    private final MonitorClock clock;
    private final Outbox outbox;
    private final TransactionTemplate tx;
    private final ObjectMapper json;
    private final Duration interval;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private volatile ExecutorService notifier;
    private volatile Thread thread;
    private volatile boolean running;

    AutoscaleWorker(AutoscaleSettings settings, AutoscaleHistory history, ScaleSetCapacity scaleSets, Metrics metrics,
                    MonitorClock clock, Outbox outbox, TransactionTemplate tx, ObjectMapper json,
                    @Value("${cirrus.monitor.autoscale-interval:PT30S}") Duration interval) {
        if (interval.isNegative() || interval.isZero()) {
            throw new IllegalArgumentException("cirrus.monitor.autoscale-interval must be positive, not " + interval);
        }
        this.settings = settings;
        this.history = history;
        this.scaleSets = scaleSets;
        this.metrics = metrics;
        this.clock = clock;
        this.outbox = outbox;
        this.tx = tx;
        this.json = json;
        this.interval = interval;
    }

    /**
     * One round over every enabled setting: the settings with their targets' capacities and the minute statistics of
     * every rule's scale set are read in two queries, each setting decided in memory; only a setting that must scale
     * is taken again under its row lock ({@link #act}), decided again on fresh figures and acted on. Answers the
     * number of scale actions taken.
     */
    int evaluateAll() {
        Instant now = clock.now();
        List<AutoscaleSettings.Candidate> candidates = settings.enabled();
        List<String> unknown = candidates.stream().filter(c -> {
            java.util.Map.Entry<String, AutoscaleSetting> cached = parsedByKey.get(c.key());
            return cached == null || !cached.getKey().equals(c.etag());
        }).map(AutoscaleSettings.Candidate::key).toList();
        settings.properties(unknown).forEach((key, body) -> parsedByKey.put(key,
                java.util.Map.entry(body[0], AutoscaleSettingJson.parse((ObjectNode) json.readTree(body[1])))));
        java.util.Map<String, AutoscaleSetting> parsed = new java.util.HashMap<>();
        java.util.Set<String> sources = new java.util.HashSet<>();
        Duration longest = Duration.ofMinutes(5);
        for (AutoscaleSettings.Candidate c : candidates) {
            java.util.Map.Entry<String, AutoscaleSetting> cached = parsedByKey.get(c.key());
            if (cached == null) {
                continue; // deleted since the first query
            }
            AutoscaleSetting setting = cached.getValue();
            parsed.put(c.key(), setting);
            for (AutoscaleSetting.Profile p : setting.profiles()) {
                for (AutoscaleSetting.Rule r : p.rules()) {
                    sources.add(r.metricResourceUri().toLowerCase(Locale.ROOT));
                    longest = r.timeWindow().compareTo(longest) > 0 ? r.timeWindow() : longest;
                }
            }
        }
        java.util.Map<String, List<MinuteStats>> stats = metrics.minuteStats(sources, now.minus(longest), now);
        int scaled = 0;
        for (AutoscaleSettings.Candidate c : candidates) {
            if (c.capacity() == null || !parsed.containsKey(c.key())) {
                continue;
            }
            AutoscaleDecider.Decision decision = AutoscaleDecider.decide(parsed.get(c.key()), now, c.capacity(),
                    (rule, t) -> value(stats, rule, t), c.lastScaleTime());
            if (!(decision instanceof AutoscaleDecider.Scale)) {
                continue;
            }
            try {
                if (act(c.key())) {
                    scaled++;
                }
            } catch (RuntimeException e) {
                log.warn("autoscale evaluation of {} failed: {}", c.key(), e.toString());
            }
        }
        if (parsedByKey.size() > candidates.size()) {
            java.util.Set<String> live = new java.util.HashSet<>(parsed.keySet());
            parsedByKey.keySet().retainAll(live);
        }
        return scaled;
    }

    private final java.util.Map<String, java.util.Map.Entry<String, AutoscaleSetting>> parsedByKey =
            new java.util.concurrent.ConcurrentHashMap<>();

    private static OptionalDouble value(java.util.Map<String, List<MinuteStats>> stats, AutoscaleSetting.Rule rule,
                                        Instant now) {
        List<MinuteStats> minutes = stats.get(rule.metricResourceUri().toLowerCase(Locale.ROOT));
        return minutes == null ? OptionalDouble.empty() : Metrics.windowValue(minutes, rule.metric(), rule.timeGrain(),
                rule.statistic(), rule.timeWindow(), rule.timeAggregation(), now);
    }

    /** Load → decide → save under the setting's row lock, on fresh figures; true when it scaled. */
    private boolean act(String key) {
        Instant now = clock.now();
        record Acted(AutoscaleHistory.Entry entry, AutoscaleSetting setting) {
        }
        Object[] failure = new Object[1];
        Acted acted;
        try {
            acted = tx.execute(status -> {
                AutoscaleSettings.Stored stored = settings.lockForEvaluation(key).orElse(null);
                if (stored == null) {
                    return null;
                }
                AutoscaleSetting setting = stored.setting();
                if (!setting.enabled()) {
                    return null;
                }
                ResourceId target = ResourceId.require(setting.targetResourceUri(), "properties.targetResourceUri");
                ScaleSetCapacity.Target set = scaleSets.find(target.subscriptionId(), target.resourceGroup(),
                        target.name()).orElse(null);
                if (set == null) {
                    return null;
                }
                java.util.Set<String> sources = new java.util.HashSet<>();
                Duration longest = Duration.ofMinutes(5);
                for (AutoscaleSetting.Profile p : setting.profiles()) {
                    for (AutoscaleSetting.Rule r : p.rules()) {
                        sources.add(r.metricResourceUri().toLowerCase(Locale.ROOT));
                        longest = r.timeWindow().compareTo(longest) > 0 ? r.timeWindow() : longest;
                    }
                }
                java.util.Map<String, List<MinuteStats>> stats = metrics.minuteStats(sources, now.minus(longest), now);
                AutoscaleDecider.Decision decision = AutoscaleDecider.decide(setting, now, set.capacity(),
                        (rule, t) -> value(stats, rule, t), stored.lastScaleTime());
                if (!(decision instanceof AutoscaleDecider.Scale scale)) {
                    return null;
                }
                failure[0] = new Object[] {stored, set, scale};
                scaleSets.scaleTo(target.subscriptionId(), target.resourceGroup(), target.name(), scale.to());
                AutoscaleHistory.Entry entry = entry(stored, set, scale, now, "Succeeded", scale.reason(), setting);
                history.insert(entry);
                settings.scaled(key, now);
                publish(stored, set, scale, entry);
                return new Acted(entry, setting);
            });
        } catch (ArmErrorException refused) {
            if (failure[0] instanceof Object[] f) {
                AutoscaleSettings.Stored stored = (AutoscaleSettings.Stored) f[0];
                AutoscaleDecider.Scale scale = (AutoscaleDecider.Scale) f[2];
                tx.executeWithoutResult(status -> {
                    AutoscaleHistory.Entry entry = entry(stored, (ScaleSetCapacity.Target) f[1], scale, now, "Failed",
                            refused.getMessage(), null);
                    history.insert(entry);
                    publish(stored, (ScaleSetCapacity.Target) f[1], scale, entry);
                });
            }
            return false;
        }
        if (acted == null) {
            return false;
        }
        notifyAll(acted.entry(), acted.setting());
        return true;
    }

    private AutoscaleHistory.Entry entry(AutoscaleSettings.Stored stored, ScaleSetCapacity.Target set,
                                         AutoscaleDecider.Scale scale, Instant now, String status, String reason,
                                         AutoscaleSetting setting) {
        String what = scale.up() ? "increase" : "decrease";
        String description = "Succeeded".equals(status)
                ? "The autoscale engine attempting to scale resource '" + set.id() + "' from " + scale.from()
                + " instances count to " + scale.to() + " instances count. " + scale.reason()
                : "The autoscale engine failed to " + what + " resource '" + set.id() + "' from " + scale.from()
                + " to " + scale.to() + " instances: " + reason;
        ObjectNode notes = json.createObjectNode();
        ArrayNode emails = notes.putArray("emails");
        notes.putArray("webhooks");
        if (setting != null) {
            for (AutoscaleSetting.Notification n : setting.notifications()) {
                if (n.sendToSubscriptionAdministrator()) {
                    emails.add("subscription administrator");
                }
                if (n.sendToSubscriptionCoAdministrators()) {
                    emails.add("subscription co-administrators");
                }
                n.customEmails().forEach(emails::add);
            }
        }
        return new AutoscaleHistory.Entry(UUID.randomUUID(), stored.subscriptionId(), stored.resourceGroup(),
                stored.id(), set.id(), now, scale.up() ? "Scaleup" : "Scaledown", status, scale.from(), scale.to(),
                description, scale.profile().name(), json.writeValueAsString(notes));
    }

    private void publish(AutoscaleSettings.Stored stored, ScaleSetCapacity.Target set, AutoscaleDecider.Scale scale,
                         AutoscaleHistory.Entry entry) {
        String type = "Failed".equals(entry.status()) ? EventTypes.AUTOSCALE_SCALE_FAILED
                : scale.up() ? EventTypes.AUTOSCALE_SCALED_OUT : EventTypes.AUTOSCALE_SCALED_IN;
        AutoscaleActionData data = new AutoscaleActionData(stored.subscriptionId(), stored.resourceGroup(),
                stored.name(), set.id(), scale.profile().name(), scale.from(), scale.to(),
                "Failed".equals(entry.status()) ? entry.description() : scale.reason(), entry.status());
        outbox.append(Topics.COMPUTE_VM, CloudEvent.of("compute-vm", type, stored.id(), entry.time(),
                json.valueToTree(data)));
    }

    /** Azure's autoscale webhook payload, POSTed to each webhook after the commit; the outcome is recorded. */
    private void notifyAll(AutoscaleHistory.Entry entry, AutoscaleSetting setting) {
        List<AutoscaleSetting.Webhook> hooks = setting.notifications().stream()
                .flatMap(n -> n.webhooks().stream()).toList();
        if (hooks.isEmpty()) {
            return;
        }
        notifier.submit(() -> {
            ObjectNode notes = (ObjectNode) json.readTree(entry.notifications());
            ArrayNode sent = (ArrayNode) notes.get("webhooks");
            for (AutoscaleSetting.Webhook hook : hooks) {
                ObjectNode payload = payload(entry, hook);
                ObjectNode outcome = sent.addObject().put("serviceUri", hook.serviceUri());
                try {
                    HttpResponse<Void> response = http.send(HttpRequest.newBuilder(URI.create(hook.serviceUri()))
                                    .timeout(Duration.ofSeconds(10)).header("Content-Type", "application/json")
                                    .POST(HttpRequest.BodyPublishers.ofString(json.writeValueAsString(payload))).build(),
                            HttpResponse.BodyHandlers.discarding());
                    outcome.put("status", response.statusCode());
                } catch (Exception e) {
                    if (e instanceof InterruptedException) {
                        Thread.currentThread().interrupt();
                    }
                    outcome.put("error", e.toString());
                }
            }
            try {
                history.notified(entry.id(), json.writeValueAsString(notes));
            } catch (RuntimeException e) {
                log.warn("could not record the webhooks of autoscale event {}: {}", entry.id(), e.toString());
            }
        });
    }

    private ObjectNode payload(AutoscaleHistory.Entry entry, AutoscaleSetting.Webhook hook) {
        ResourceId target = ResourceId.require(entry.targetId(), "targetResourceUri");
        ObjectNode p = json.createObjectNode();
        p.put("version", "1.0");
        p.put("status", "Activated");
        p.put("operation", entry.newCapacity() > entry.oldCapacity() ? "Scale Out" : "Scale In");
        ObjectNode c = p.putObject("context");
        c.put("timestamp", entry.time().toString());
        c.put("id", entry.settingId());
        c.put("name", entry.settingId().substring(entry.settingId().lastIndexOf('/') + 1));
        c.put("details", "Autoscale successfully started scale operation for resource '" + target.name()
                + "' from capacity '" + entry.oldCapacity() + "' to capacity '" + entry.newCapacity() + "'");
        c.put("subscriptionId", entry.subscriptionId());
        c.put("resourceGroupName", target.resourceGroup());
        c.put("resourceName", target.name());
        c.put("resourceType", "microsoft.compute/virtualmachinescalesets");
        c.put("resourceId", entry.targetId());
        c.put("portalLink", "");
        c.put("oldCapacity", Integer.toString(entry.oldCapacity()));
        c.put("newCapacity", Integer.toString(entry.newCapacity()));
        ObjectNode props = p.putObject("properties");
        hook.properties().forEach(props::put);
        return p;
    }

    private void loop() {
        while (running) {
            try {
                evaluateAll();
            } catch (RuntimeException e) {
                log.warn("autoscale round failed: {}", e.toString());
            }
            try {
                Duration pause = clock.real(interval);
                Thread.sleep(pause.compareTo(Duration.ofMillis(50)) < 0 ? Duration.ofMillis(50) : pause);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    @Override
    public synchronized void start() {
        notifier = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "autoscale-webhooks");
            t.setDaemon(true);
            return t;
        });
        running = true;
        thread = Thread.ofPlatform().name("autoscale-engine").daemon(true).start(this::loop);
    }

    @Override
    public synchronized void stop() {
        running = false;
        Thread t = thread;
        if (t != null) {
            t.interrupt();
            try {
                t.join(5000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        notifier.shutdownNow();
    }

    @Override
    public boolean isRunning() {
        return running;
    }
}
