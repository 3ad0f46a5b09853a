package dev.cirrus.computecontainer.group;

import java.time.Duration;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/** Wakes the {@link GroupWorker} when a transaction that queued work commits, instead of at its next poll. */
@Component
class WorkSignal {

    private final Semaphore permits = new Semaphore(0);

    /** Inside a transaction: wake the worker once it commits (a rollback queues nothing, so wakes nobody). */
    void wakeUpAfterCommit() {
        if (TransactionSynchronizationManager.isSynchronizationActive()) {
            TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
                @Override
                public void afterCommit() {
                    permits.release();
                }
            });
        } else {
            permits.release();
        }
    }

    /** Waits until woken or the timeout passes. */
    void await(Duration timeout) throws InterruptedException {
        if (permits.tryAcquire(Math.max(1, timeout.toMillis()), TimeUnit.MILLISECONDS)) {
            permits.drainPermits();
        }
    }
}
