package dev.cirrus.gateway.support;

import java.util.concurrent.Callable;

import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * Runs blocking work (JDBC) off the event loop, on Reactor's bounded elastic scheduler.
 *
 * <p>An {@link Error} thrown by the work (a {@code LinkageError}, a {@code StackOverflowError}, even an
 * {@code OutOfMemoryError} of one oversized allocation) reaches the request as a failure, which the ARM error handler
 * answers with a 500: Reactor treats JVM errors as fatal and rethrows them on the worker thread instead of signalling
 * them, which would leave the request without any answer until the client gives up.
 */
public final class Blocking {

    private Blocking() {
    }

    public static <T> Mono<T> call(Callable<T> work) {
        return Mono.fromCallable(() -> {
            try {
                return work.call();
            } catch (Error e) {
                throw new WorkFailed(e);
            }
        }).subscribeOn(Schedulers.boundedElastic());
    }

    /** Blocking work failed with a JVM {@link Error} (its cause). */
    public static final class WorkFailed extends RuntimeException {

        WorkFailed(Error cause) {
            super("blocking work failed: " + cause, cause);
        }
    }
}
