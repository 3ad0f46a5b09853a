package dev.cirrus.computevm.monitor;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The metrics and load model ({@code cirrus.monitor.*}), checked at start-up.
 *
 * @param clockRate how many times faster than the service's clock monitor time runs (samples, autoscale windows and
 *                  cooldowns): default 1, real time. A rate of 60 makes a minute of metrics pass in a second, for
 *                  tests and demos; monitor time then starts from the service's clock at each start.
 * @param retention how long samples are kept: default P93D, Azure Monitor's platform-metric retention
 * @param catchUp   how many missed minutes a restarted sampler fills in for the VMs running when it restarts
 *                  (default PT10M; longer outages leave gaps, as an agentless VM's metrics do)
 */
@ConfigurationProperties("cirrus.monitor")
public record MonitorProperties(Double clockRate, Duration retention, Duration catchUp) {

    public MonitorProperties {
        clockRate = clockRate == null ? 1.0 : clockRate;
        retention = retention == null ? Duration.ofDays(93) : retention;
        catchUp = catchUp == null ? Duration.ofMinutes(10) : catchUp;
        if (clockRate.isNaN() || clockRate < 1 || clockRate > 3600) {
            throw new IllegalArgumentException("cirrus.monitor.clock-rate must be between 1 and 3600; it is " + clockRate);
        }
        if (retention.compareTo(Duration.ofHours(1)) < 0) {
            throw new IllegalArgumentException("cirrus.monitor.retention must be at least PT1H");
        }
        if (catchUp.isNegative()) {
            throw new IllegalArgumentException("cirrus.monitor.catch-up must not be negative");
        }
    }
}
