package dev.cirrus.serverless.trigger.kafka;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

import dev.cirrus.serverless.function.FunctionConfig;
import dev.cirrus.serverless.function.FunctionDefinition;
import dev.cirrus.serverless.function.FunctionRepository;
import dev.cirrus.serverless.functionapp.FunctionApp;
import dev.cirrus.serverless.functionapp.FunctionAppRepository;
import dev.cirrus.serverless.runtime.AppDirectory;
import dev.cirrus.serverless.runtime.FunctionHost;
import dev.cirrus.serverless.runtime.FunctionsProperties;
import dev.cirrus.serverless.runtime.KafkaOutput;
import jakarta.annotation.PreDestroy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import tools.jackson.databind.ObjectMapper;

/**
 * Kafka triggers: keeps one {@link KafkaTriggerConsumer} per enabled {@code kafkaTrigger} function of a running
 * app, re-reading the functions every {@code cirrus.functions.trigger-refresh}. A new, changed, stopped or deleted
 * function starts, replaces or stops its consumer at the next refresh. The consumer group is the binding's
 * {@code consumerGroup}, or, when absent or {@code $Default}, {@code cirrus-functions.{app}.{function}}: one group per
 * function, shared by every replica of this service, so Kafka splits the partitions between them. The binding's
 * {@code brokerList} (and credentials) are ignored: every trigger reads the platform's Kafka
 * ({@code cirrus.kafka.bootstrap-servers}).
 */
@Component
class KafkaTriggers {

    private static final Logger log = LoggerFactory.getLogger(KafkaTriggers.class);

    private final FunctionRepository functions;
    private final FunctionAppRepository apps;
    private final AppDirectory directory;
    private final FunctionHost host;
    private final KafkaOutput output;
    private final FunctionsProperties properties;
    private final ObjectMapper json;
    private final Map<String, KafkaTriggerConsumer> consumers = new HashMap<>();
    private volatile boolean closed;

    KafkaTriggers(FunctionRepository functions, FunctionAppRepository apps, AppDirectory directory, FunctionHost host,
                  KafkaOutput output, FunctionsProperties properties, ObjectMapper json) {
        this.functions = functions;
        this.apps = apps;
        this.directory = directory;
        this.host = host;
        this.output = output;
        this.properties = properties;
        this.json = json;
    }

    @Scheduled(fixedDelayString = "${cirrus.functions.trigger-refresh:2s}")
    synchronized void refresh() {
        if (closed || !output.available()) {
            return;
        }
        Map<String, KafkaTriggerConsumer.Spec> wanted = new HashMap<>();
        Map<String, FunctionApp> appsByKey = new HashMap<>();
        for (FunctionDefinition function : functions.all()) {
            FunctionConfig config = function.config();
            if (!config.triggerKind().equals("kafka") || config.disabled()) {
                continue;
            }
            FunctionApp app = appsByKey.computeIfAbsent(function.appKey(), key -> apps.find(key).orElse(null));
            if (app == null || !app.running()) {
                continue;
            }
            FunctionConfig.Binding trigger = config.trigger();
            String group = trigger.text("consumerGroup", "$Default");
            if (group.equals("$Default")) {
                group = "cirrus-functions." + app.name().toLowerCase(Locale.ROOT) + "." + function.name().toLowerCase(Locale.ROOT);
            }
            String key = function.appKey() + "|" + function.name().toLowerCase(Locale.ROOT);
            wanted.put(key, new KafkaTriggerConsumer.Spec(app.name(), function.name(), trigger.text("topic", null), group,
                    trigger.text("autoOffsetReset", "earliest").toLowerCase(Locale.ROOT),
                    config.retry() != null ? config.retry() : properties.defaultKafkaRetry(), host.timeoutOf(app)));
        }
        consumers.entrySet().removeIf(entry -> {
            if (entry.getValue().spec().equals(wanted.get(entry.getKey())) && entry.getValue().alive()) {
                return false;
            }
            log.info("stopping the Kafka trigger of {}/{}", entry.getValue().spec().appName(), entry.getValue().spec().functionName());
            entry.getValue().stop();
            return true;
        });
        wanted.forEach((key, spec) -> consumers.computeIfAbsent(key, k -> {
            log.info("starting the Kafka trigger of {}/{} on topic {} (group {})", spec.appName(), spec.functionName(),
                    spec.topic(), spec.consumerGroup());
            KafkaTriggerConsumer consumer = new KafkaTriggerConsumer(spec, output.bootstrapServers(), directory, host, output, json);
            consumer.start();
            return consumer;
        }));
    }

    @PreDestroy
    synchronized void stop() {
        closed = true;
        consumers.values().forEach(KafkaTriggerConsumer::stop);
        consumers.values().forEach(consumer -> consumer.awaitStopped(java.time.Duration.ofSeconds(10)));
        consumers.clear();
    }
}
