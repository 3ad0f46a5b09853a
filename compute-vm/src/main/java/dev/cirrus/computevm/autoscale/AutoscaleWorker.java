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

    /** One round over every enabled setting; answers the decisions taken (for tests and the benchmark). */
    int evaluateAll() {
        int scaled = 0;
        for (String key : settings.enabledKeys()) {
            try {
                if (evaluate(key)) {
                    scaled++;
                }
            } catch (RuntimeException e) {
                log.warn("autoscale evaluation of {} failed: {}", key, e.toString());
            }
        }
        return scaled;
    }

    private boolean evaluate(String key) {
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
                    settings.evaluated(key, now, false);
                    return null;
                }
                AutoscaleDecider.Decision decision = AutoscaleDecider.decide(setting, now, set.capacity(),
                        this::value, stored.lastScaleTime());
                if (!(decision instanceof AutoscaleDecider.Scale scale)) {
                    settings.evaluated(key, now, false);
                    return null;
                }
                failure[0] = new Object[] {stored, set, scale};
                scaleSets.scaleTo(target.subscriptionId(), target.resourceGroup(), target.name(), scale.to());
                AutoscaleHistory.Entry entry = entry(stored, set, scale, now, "Succeeded", scale.reason(), setting);
                history.insert(entry);
                settings.evaluated(key, now, true);
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
                    settings.evaluated(key, now, false);
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

    private OptionalDouble value(AutoscaleSetting.Rule rule, Instant now) {
        String key = rule.metricResourceUri().toLowerCase(Locale.ROOT);
        return metrics.windowValue(key, true, rule.metric(), rule.timeGrain(), rule.statistic(), rule.timeWindow(),
                rule.timeAggregation(), now);
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
