package dev.cirrus.placement.maintenance;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/** Advances the running maintenances every tick, in the background, while the engine runs. */
@Component
class MaintenanceRunner implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(MaintenanceRunner.class);

    private final Maintenances maintenances;
    private final MaintenanceProperties properties;
    private volatile ScheduledExecutorService timer;

    MaintenanceRunner(Maintenances maintenances, MaintenanceProperties properties) {
        this.maintenances = maintenances;
        this.properties = properties;
    }

    @Override
    public synchronized void start() {
        timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "maintenance");
            t.setDaemon(true);
            return t;
        });
        long tick = properties.tick().toMillis();
        timer.scheduleWithFixedDelay(this::tick, tick, tick, TimeUnit.MILLISECONDS);
    }

    private void tick() {
        try {
            maintenances.advanceDue();
        } catch (RuntimeException e) {
            // the database may be down for a while: the next tick tries again
            log.warn("maintenance step failed, retrying next tick: {}", e.getMessage());
        }
    }

    @Override
    public synchronized void stop() {
        if (timer != null) {
            timer.shutdownNow();
            timer = null;
        }
    }

    @Override
    public boolean isRunning() {
        return timer != null;
    }
}
