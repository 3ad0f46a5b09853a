package dev.cirrus.placement.maintenance;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Planned maintenance settings, {@code cirrus.placement.maintenance.*}, checked when bound.
 *
 * @param pause      the default pause between waves (a request may ask for another)
 * @param rebootTime how long a wave's reboots take before the wave completes
 * @param tick       how often the engine looks for a maintenance step that is due
 */
@ConfigurationProperties("cirrus.placement.maintenance")
public record MaintenanceProperties(Duration pause, Duration rebootTime, Duration tick) {

    public MaintenanceProperties {
        // Azure gives each rebooted update domain 30 minutes to recover before the next one starts
        pause = pause == null ? Duration.ofMinutes(30) : pause;
        // a VM reboot takes about a minute in Azure
        rebootTime = rebootTime == null ? Duration.ofMinutes(1) : rebootTime;
        // a second is fine-grained enough for pauses of seconds (demos) and minutes
        tick = tick == null ? Duration.ofSeconds(1) : tick;
        if (pause.isNegative()) {
            throw new IllegalArgumentException("cirrus.placement.maintenance.pause must not be negative, got " + pause);
        }
        if (rebootTime.isNegative()) {
            throw new IllegalArgumentException(
                    "cirrus.placement.maintenance.reboot-time must not be negative, got " + rebootTime);
        }
        if (tick.isNegative() || tick.isZero()) {
            throw new IllegalArgumentException("cirrus.placement.maintenance.tick must be positive, got " + tick);
        }
    }
}
