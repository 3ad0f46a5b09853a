package dev.cirrus.computevm.monitor;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Takes a sample of every running VM for every minute of monitor time ({@link MonitorClock}) that has ended: the
 * effective load profile ({@link LoadProfiles#effective}) evaluated at the minute's middle. Load → decide → save in
 * one transaction that also moves the sampler's mark ({@code metric_sampler_state}), so a restart resumes after the
 * last stored minute and fills at most {@link MonitorProperties#catchUp()} of missed minutes.
 */
@Component
class MetricSampler implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(MetricSampler.class);
    private static final long MIB = 1024L * 1024L;

    private final MetricSamples samples;
    private final LoadProfiles profiles;
    private final MonitoredResources resources;
    private final MonitorClock clock;
    private final MonitorProperties properties;
    private final TransactionTemplate tx;
    private volatile Thread thread;
    private volatile boolean running;

    MetricSampler(MetricSamples samples, LoadProfiles profiles, MonitoredResources resources, MonitorClock clock,
                  MonitorProperties properties, TransactionTemplate tx) {
        this.samples = samples;
        this.profiles = profiles;
        this.resources = resources;
        this.clock = clock;
        this.properties = properties;
        this.tx = tx;
    }

    /** One round: samples the minutes that ended since the mark; answers how many samples it stored. */
    int sampleEndedMinutes() {
        Integer stored = tx.execute(status -> {
            Instant current = clock.now().truncatedTo(ChronoUnit.MINUTES); // the minute in progress
            Instant mark = samples.lockLastMinute().orElse(null);
            Instant first = mark == null ? current.minus(1, ChronoUnit.MINUTES) : mark.plus(1, ChronoUnit.MINUTES);
            Instant earliest = current.minus(properties.catchUp()).truncatedTo(ChronoUnit.MINUTES);
            if (first.isBefore(earliest)) {
                first = earliest;
            }
            if (!first.isBefore(current)) {
                return 0;
            }
            Map<String, LoadProfile> all = profiles.all();
            List<MonitoredResources.Running> vms = resources.running();
            List<MetricSamples.Sample> batch = new ArrayList<>();
            for (Instant minute = first; minute.isBefore(current); minute = minute.plus(1, ChronoUnit.MINUTES)) {
                for (MonitoredResources.Running vm : vms) {
                    batch.add(sample(LoadProfiles.effective(all, vm.key(), vm.scaleSetKey()), vm, minute));
                }
            }
            samples.insert(batch);
            samples.saveLastMinute(current.minus(1, ChronoUnit.MINUTES));
            return batch.size();
        });
        return stored == null ? 0 : stored;
    }

    /** The sample of one VM for the minute starting at {@code minute}. Pure. */
    static MetricSamples.Sample sample(LoadProfile profile, MonitoredResources.Running vm, Instant minute) {
        Instant middle = minute.plusSeconds(30);
        LoadProfile.Traffic t = profile.traffic();
        double memory = vm.memoryMib() * MIB * (1 - t.memoryPercent() / 100.0);
        return new MetricSamples.Sample(vm.key(), vm.scaleSetKey(), vm.displayName(), minute,
                profile.percentCpuAt(middle), t.networkInBytesPerSecond() * 60, t.networkOutBytesPerSecond() * 60,
                memory);
    }

    private void loop() {
        Duration pause = clock.real(Duration.ofSeconds(5));
        if (pause.compareTo(Duration.ofMillis(100)) < 0) {
            pause = Duration.ofMillis(100);
        }
        Instant nextPurge = Instant.MIN;
        while (running) {
            try {
                sampleEndedMinutes();
                Instant now = clock.now();
                if (now.isAfter(nextPurge)) {
                    samples.purgeBefore(now.minus(properties.retention()));
                    profiles.removeOrphans();
                    nextPurge = now.plus(Duration.ofHours(1));
                }
            } catch (RuntimeException e) {
                log.warn("metric sampling failed, retrying: {}", e.toString());
            }
            try {
                Thread.sleep(pause);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    @Override
    public synchronized void start() {
        running = true;
        thread = Thread.ofPlatform().name("metric-sampler").daemon(true).start(this::loop);
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
    }

    @Override
    public boolean isRunning() {
        return running;
    }
}
