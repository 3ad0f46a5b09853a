package dev.cirrus.appservice.plan;

import java.util.List;
import java.util.Locale;
import java.util.Set;

import dev.cirrus.contracts.events.CloudEvent;
import dev.cirrus.contracts.events.EventTypes;
import dev.cirrus.contracts.events.FunctionAppData;
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
 * The apps that run on plans, learnt from their owners' lifecycle events: function apps from serverless on
 * {@code cirrus.serverless} ({@code FunctionApp*}, whose data names the app's {@code serverFarmId}); inbox
 * {@code app-service-plan-sites}, each event applied once in the transaction of its effect. The latest event of an
 * app says where it runs (the events of one app share a partition, so they arrive in order): on a plan, on none
 * (Consumption: no {@code serverFarmId}), or nowhere once deleted. A plan's {@code numberOfSites}, its tier's apps per
 * plan when it changes tier, and the refusal to delete a plan that still has apps read what this records.
 */
@Component
class PlanSites implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(PlanSites.class);
    static final String CONSUMER = "app-service-plan-sites";
    private static final Set<String> HANDLED = Set.of(EventTypes.FUNCTION_APP_CREATED, EventTypes.FUNCTION_APP_UPDATED,
            EventTypes.FUNCTION_APP_STOPPED, EventTypes.FUNCTION_APP_STARTED, EventTypes.FUNCTION_APP_DELETED);

    private final AppServicePlanRepository repository;
    private final JdbcTemplate jdbc;
    private final TransactionTemplate tx;
    private final ObjectMapper json;
    private final String bootstrap;
    private volatile InboxConsumer consumer;

    PlanSites(AppServicePlanRepository repository, JdbcTemplate jdbc, TransactionTemplate tx, ObjectMapper json,
              @Value("${cirrus.kafka.bootstrap-servers:}") String bootstrap) {
        this.repository = repository;
        this.jdbc = jdbc;
        this.tx = tx;
        this.json = json;
        this.bootstrap = bootstrap;
    }

    /** Applies one event; runs inside the inbox's transaction. */
    void apply(CloudEvent event) {
        if (!HANDLED.contains(event.type()) || event.data() == null) {
            return; // executions, storage accounts, workflows: not about where an app runs
        }
        FunctionAppData data = json.treeToValue(event.data(), FunctionAppData.class);
        String plan = data.serverFarmId();
        boolean onAPlan = plan != null && plan.toLowerCase(Locale.ROOT).contains("/providers/microsoft.web/serverfarms/");
        if (EventTypes.FUNCTION_APP_DELETED.equals(event.type()) || !onAPlan) {
            repository.removeSite(event.subject());
        } else {
            repository.putSite(event.subject(), plan);
        }
    }

    @Override
    public synchronized void start() {
        if (bootstrap == null || bootstrap.isBlank() || consumer != null) {
            return;
        }
        // only where apps run: a function's executions leave no inbox row here
        consumer = new InboxConsumer(CONSUMER, List.of(Topics.SERVERLESS), bootstrap, jdbc, tx, json, HANDLED::contains,
                this::apply);
        consumer.start();
        log.info("following the apps on plans on {}", Topics.SERVERLESS);
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
