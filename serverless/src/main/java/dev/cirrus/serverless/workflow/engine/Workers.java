package dev.cirrus.serverless.workflow.engine;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

import dev.cirrus.serverless.workflow.LogicProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * The engine's worker threads ({@code cirrus.logic.workers}) and its scheduler thread. A worker executes steps while
 * there are runnable actions, then sleeps until woken by new work or for {@code cirrus.logic.poll-interval} (due
 * retries and Waits, and the work other replicas leave); the scheduler fires due Recurrence and polling triggers
 * and starts the consumers of the topics CirrusEvent triggers watch.
 */
@Component
class Workers implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(Workers.class);

    private final Engine engine;
    private final TriggerScheduler scheduler;
    private final CirrusEventTriggers events;
    private final int count;
    private final Duration poll;
    private final Semaphore signal = new Semaphore(0);
    private final List<Thread> threads = new ArrayList<>();
    private volatile boolean running;

    Workers(Engine engine, TriggerScheduler scheduler, CirrusEventTriggers events, LogicProperties properties) {
        this.engine = engine;
        this.scheduler = scheduler;
        this.events = events;
        this.count = properties.workers();
        this.poll = properties.pollInterval();
    }

    @Override
    public synchronized void start() {
        running = true;
        engine.onWork(() -> signal.release(count));
        for (int i = 0; i < count; i++) {
            Thread t = Thread.ofPlatform().daemon().name("workflow-worker-" + i).start(this::work);
            threads.add(t);
        }
        threads.add(Thread.ofPlatform().daemon().name("workflow-scheduler").start(this::schedule));
    }

    private void work() {
        while (running) {
            try {
                if (!engine.step()) {
                    signal.tryAcquire(poll.toMillis(), TimeUnit.MILLISECONDS);
                    signal.drainPermits();
                }
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                if (!running) {
                    return;
                }
                log.warn("workflow step failed, retried: {}", e.toString());
                pause();
            }
        }
    }

    private void schedule() {
        while (running) {
            try {
                scheduler.tick();
                events.refresh();
                Thread.sleep(poll.toMillis());
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                if (!running) {
                    return;
                }
                log.warn("workflow scheduler tick failed, retried: {}", e.toString());
                pause();
            }
        }
    }

    private void pause() {
        try {
            Thread.sleep(poll.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public synchronized void stop() {
        running = false;
        threads.forEach(Thread::interrupt);
        for (Thread t : threads) {
            try {
                t.join(5000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        threads.clear();
        events.close();
    }

    @Override
    public boolean isRunning() {
        return running;
    }
}
