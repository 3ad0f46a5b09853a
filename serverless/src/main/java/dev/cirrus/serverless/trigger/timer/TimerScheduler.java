package dev.cirrus.serverless.trigger.timer;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import dev.cirrus.serverless.function.FunctionDefinition;
import dev.cirrus.serverless.function.FunctionRepository;
import dev.cirrus.serverless.runtime.AppDefinition;
import dev.cirrus.serverless.runtime.AppDirectory;
import dev.cirrus.serverless.runtime.FunctionHost;
import dev.cirrus.serverless.runtime.Invocation;
import jakarta.annotation.PreDestroy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Timer triggers. Each poll it finds the timer functions of running apps, and for each whose next tick (NCRONTAB,
 * UTC, from the injected clock) has come, claims the tick by inserting {@code (app, function, tick)} into
 * {@code timer_ticks}: the primary key lets exactly one replica win, so a tick runs once however many instances
 * run. A function seen for the first time with {@code runOnStartup: true} runs once at once (as Azure does when a
 * host starts). Missed ticks while the service was down are not caught up: the next tick counts from now.
 */
@Component
class TimerScheduler {

    private static final Logger log = LoggerFactory.getLogger(TimerScheduler.class);

    private final FunctionRepository functions;
    private final AppDirectory directory;
    private final FunctionHost host;
    private final JdbcTemplate jdbc;
    private final ObjectMapper json;
    private final Clock clock;
    private final Map<String, Instant> nextTicks = new ConcurrentHashMap<>();
    private final ExecutorService runner = Executors.newVirtualThreadPerTaskExecutor();

    TimerScheduler(FunctionRepository functions, AppDirectory directory, FunctionHost host, JdbcTemplate jdbc,
                   ObjectMapper json, Clock clock) {
        this.functions = functions;
        this.directory = directory;
        this.host = host;
        this.jdbc = jdbc;
        this.json = json;
        this.clock = clock;
    }

    @Scheduled(fixedDelayString = "${cirrus.functions.timer-poll-interval:1s}")
    void poll() {
        Instant now = clock.instant();
        Set<String> seen = new HashSet<>();
        for (FunctionDefinition function : functions.all()) {
            if (!function.config().triggerKind().equals("timer") || function.config().disabled()) {
                continue;
            }
            var trigger = function.config().trigger();
            String schedule = trigger.text("schedule", null);
            String key = function.appKey() + "|" + function.name().toLowerCase(java.util.Locale.ROOT) + "|" + schedule;
            seen.add(key);
            NCrontab crontab = NCrontab.parse(schedule);
            Instant next = nextTicks.get(key);
            if (next == null) {
                nextTicks.put(key, crontab.next(now));
                if (trigger.raw().path("runOnStartup").asBoolean(false)) {
                    fire(function, now, false);
                }
                continue;
            }
            if (!now.isBefore(next)) {
                nextTicks.put(key, crontab.next(now));
                int claimed = jdbc.update("insert into timer_ticks(app_id, function_key, tick) values (?,?,?) on conflict do nothing",
                        function.appKey(), function.name().toLowerCase(java.util.Locale.ROOT), Timestamp.from(next));
                if (claimed == 1) {
                    fire(function, next, now.isAfter(next.plusSeconds(1)));
                }
            }
        }
        nextTicks.keySet().retainAll(seen);
    }

    private void fire(FunctionDefinition function, Instant tick, boolean pastDue) {
        runner.submit(() -> {
            try {
                String appName = jdbc.queryForObject("select name from function_apps where id = ?", String.class, function.appKey());
                AppDefinition definition = directory.byName(appName).orElse(null);
                if (definition == null) {
                    return;
                }
                ObjectNode timer = json.createObjectNode();
                timer.put("isPastDue", pastDue);
                timer.putObject("scheduleStatus").put("last", tick.toString());
                ObjectNode bindings = json.createObjectNode();
                String name = function.config().trigger().name();
                bindings.set(name, timer);
                host.execute(definition, function, new Invocation(UUID.randomUUID().toString(), name, bindings, json.createObjectNode()));
            } catch (RuntimeException e) {
                log.warn("timer execution of {} failed to start: {}", function.name(), e.getMessage());
            }
        });
    }

    @PreDestroy
    void stop() {
        runner.shutdownNow();
    }
}
