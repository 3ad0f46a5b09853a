package dev.cirrus.gateway.faults;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * Loads the stored rules at start (so they apply again after a restart) and removes the expired ones every
 * {@code cirrus.faults.sweep-every}, recovering a region outage's racks.
 */
@Component
class FaultExpiry implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(FaultExpiry.class);

    private final FaultRules rules;
    private final FaultsProperties properties;
    private volatile ScheduledExecutorService timer;

    FaultExpiry(FaultRules rules, FaultsProperties properties) {
        this.rules = rules;
        this.properties = properties;
    }

    @Override
    public void start() {
        rules.reload();
        ScheduledExecutorService t = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread thread = new Thread(r, "gateway-fault-expiry");
            thread.setDaemon(true);
            return thread;
        });
        long every = properties.sweepEvery().toMillis();
        t.scheduleWithFixedDelay(() -> {
            try {
                rules.sweep();
            } catch (RuntimeException e) {
                log.warn("the sweep of expired fault rules failed: {}", e.toString());
            }
        }, every, every, TimeUnit.MILLISECONDS);
        timer = t;
    }

    @Override
    public void stop() {
        ScheduledExecutorService t = timer;
        if (t != null) {
            t.shutdownNow();
            timer = null;
        }
    }

    @Override
    public boolean isRunning() {
        return timer != null;
    }
}
