package dev.cirrus.serverless.functionapp;

import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

import dev.cirrus.contracts.events.CloudEvent;
import dev.cirrus.contracts.events.EventTypes;
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
 * The App Service plans function apps run on, as app-service announces them ({@code Microsoft.Web.ServerFarmWritten}
 * and {@code …Deleted} on {@code cirrus.appservice}, data {@code AppServicePlanData}), kept in this service's
 * {@code hosting_plan} table: app-service owns the plans, serverless only needs their SKU.
 *
 * <p>An app is on the Consumption plan when it names no plan, or names a Dynamic one (SKU {@code Y1}, what ARM
 * templates create for a consumption function app): its executions are billed per execution and GB-second, so its
 * {@code Microsoft.Web.FunctionExecuted} events carry no {@code serverFarmId}; on any other plan the plan's instances
 * are the bill. A plan this service has not heard of yet (its event still on the way) counts as dedicated, as it did
 * before this service knew plans at all.
 */
@Component
public class HostingPlans implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(HostingPlans.class);
    static final String CONSUMER = "serverless-hosting-plans";
    private static final Set<String> HANDLED = Set.of(EventTypes.APP_SERVICE_PLAN_WRITTEN,
            EventTypes.APP_SERVICE_PLAN_DELETED);
    /** The Consumption plan's SKU (tier Dynamic). */
    static final String DYNAMIC_SKU = "Y1";

    private final JdbcTemplate jdbc;
    private final TransactionTemplate tx;
    private final ObjectMapper json;
    private final String bootstrap;
    private volatile InboxConsumer consumer;
    /**
     * The SKUs read so far by plan key (empty: not announced), so an execution does not query the table; an applied
     * plan event drops its entry once its transaction has committed.
     */
    private final java.util.concurrent.ConcurrentMap<String, Optional<String>> skus =
            new java.util.concurrent.ConcurrentHashMap<>();

    HostingPlans(JdbcTemplate jdbc, TransactionTemplate tx, ObjectMapper json,
                 @Value("${cirrus.kafka.bootstrap-servers:}") String bootstrap) {
        this.jdbc = jdbc;
        this.tx = tx;
        this.json = json;
        this.bootstrap = bootstrap;
    }

    /** Whether the app runs on the Consumption plan: no plan named, or a Dynamic one. */
    public boolean consumption(FunctionApp app) {
        return app.serverFarmId() == null || dynamic(app.serverFarmId());
    }

    /** The plan an execution of the app is billed through: its {@code serverFarmId}, or null on Consumption. */
    public String billedPlan(FunctionApp app) {
        return consumption(app) ? null : app.serverFarmId();
    }

    boolean dynamic(String serverFarmId) {
        return sku(serverFarmId).map(DYNAMIC_SKU::equalsIgnoreCase).orElse(false);
    }

    /** The SKU of a plan, if app-service announced it. */
    Optional<String> sku(String serverFarmId) {
        return skus.computeIfAbsent(serverFarmId.toLowerCase(Locale.ROOT), key -> jdbc.queryForList(
                "select sku_name from hosting_plan where plan_key = ?", String.class, key).stream().findFirst());
    }

    /** Applies one plan event; runs inside the inbox's transaction. */
    void apply(CloudEvent event) {
        if (event.subject() == null) {
            return;
        }
        String key = event.subject().toLowerCase(Locale.ROOT);
        org.springframework.transaction.support.TransactionSynchronizationManager.registerSynchronization(
                new org.springframework.transaction.support.TransactionSynchronization() {
                    @Override
                    public void afterCommit() {
                        skus.remove(key);
                    }
                });
        if (EventTypes.APP_SERVICE_PLAN_DELETED.equals(event.type())) {
            jdbc.update("delete from hosting_plan where plan_key = ?", key);
            return;
        }
        String sku = event.data() == null ? null : event.data().path("skuName").asString(null);
        if (sku == null || sku.isBlank()) {
            log.warn("a plan event without skuName for {}: ignored", event.subject());
            return;
        }
        jdbc.update("insert into hosting_plan (plan_key, sku_name, updated_at) values (?, ?, ?) on conflict (plan_key)"
                + " do update set sku_name = excluded.sku_name, updated_at = excluded.updated_at"
                + " where hosting_plan.updated_at <= excluded.updated_at",
                key, sku, java.sql.Timestamp.from(event.time()));
    }

    @Override
    public synchronized void start() {
        if (bootstrap == null || bootstrap.isBlank() || consumer != null) {
            return;
        }
        consumer = new InboxConsumer(CONSUMER, List.of(Topics.APP_SERVICE), bootstrap, jdbc, tx, json,
                HANDLED::contains, this::apply);
        consumer.start();
    }

    @Override
    public synchronized void stop() {
        if (consumer != null) {
            consumer.close();
            consumer = null;
        }
    }

    @Override
    public boolean isRunning() {
        return consumer != null;
    }
}
