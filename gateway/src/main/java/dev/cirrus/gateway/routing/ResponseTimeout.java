package dev.cirrus.gateway.routing;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;

import io.netty.channel.EventLoop;
import io.netty.util.concurrent.ScheduledFuture;
import org.reactivestreams.Subscription;
import org.springframework.cloud.gateway.support.TimeoutException;
import org.springframework.http.server.reactive.ServerHttpRequestDecorator;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.CoreSubscriber;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Operators;
import reactor.core.scheduler.Schedulers;
import reactor.netty.Connection;
import reactor.util.context.Context;

/**
 * The response timeout of a routed call: the call fails with Spring Cloud Gateway's {@link TimeoutException} (which
 * {@code ServiceCallFilter} answers with 504) and is cancelled (its connection closed) unless it ends within the
 * timeout of being subscribed to. One subscriber and one timer per call, where Reactor's {@code timeout} operator
 * adds a delay publisher, its subscriber and, on every call, a description of the whole upstream chain for its error
 * message (together about 7 % of the gateway's CPU per routed GET).
 *
 * <p>The timer runs on the Netty event loop of the client's connection to the gateway (the thread that runs the
 * call), as Reactor Netty's own timeouts do: an event loop keeps its timers in a queue of its own thread, where
 * Reactor's default timer (the {@code parallel} scheduler, a {@code ScheduledThreadPoolExecutor}) takes a lock and
 * wakes its own thread for each timeout set and cancelled. The loop is found through public API only (the request's
 * native Reactor Netty request is its {@link Connection}); without one (or while it shuts down) the timer falls back
 * to {@code parallel}.
 */
final class ResponseTimeout {

    private ResponseTimeout() {
    }

    static Mono<Void> of(Mono<Void> call, Duration timeout, ServerWebExchange exchange) {
        EventLoop loop = eventLoop(exchange);
        return call.transform(Operators.<Void, Void>lift(
                (scannable, actual) -> new TimedSubscriber(actual, timeout, loop)));
    }

    /** The event loop of the client's connection to the gateway, or null when the request is not Reactor Netty's. */
    static EventLoop eventLoop(ServerWebExchange exchange) {
        Object nativeRequest;
        try {
            nativeRequest = ServerHttpRequestDecorator.getNativeRequest(exchange.getRequest());
        } catch (IllegalArgumentException | IllegalStateException e) {
            return null; // a request that wraps no server's request (a test's mock)
        }
        return nativeRequest instanceof Connection connection ? connection.channel().eventLoop() : null;
    }

    private static Disposable onEventLoop(EventLoop loop, Runnable task, Duration delay) {
        if (loop == null || loop.isShuttingDown()) {
            return Schedulers.parallel().schedule(task, delay.toNanos(), TimeUnit.NANOSECONDS);
        }
        ScheduledFuture<?> scheduled = loop.schedule(task, delay.toNanos(), TimeUnit.NANOSECONDS);
        return () -> scheduled.cancel(false);
    }

    static final class TimedSubscriber implements CoreSubscriber<Void>, Subscription {

        private static final AtomicIntegerFieldUpdater<TimedSubscriber> DONE =
                AtomicIntegerFieldUpdater.newUpdater(TimedSubscriber.class, "done");

        private final CoreSubscriber<? super Void> actual;
        private final Duration timeout;
        private final EventLoop loop;
        private Subscription upstream;
        private Disposable timer;
        /** 1 once the call ended, timed out or was cancelled: only the first of those is passed on. */
        private volatile int done;

        TimedSubscriber(CoreSubscriber<? super Void> actual, Duration timeout, EventLoop loop) {
            this.actual = actual;
            this.timeout = timeout;
            this.loop = loop;
        }

        @Override
        public Context currentContext() {
            return actual.currentContext();
        }

        @Override
        public void onSubscribe(Subscription s) {
            if (Operators.validate(upstream, s)) {
                upstream = s;
                timer = onEventLoop(loop, this::expire, timeout);
                actual.onSubscribe(this);
            }
        }

        @Override
        public void onNext(Void value) {
            actual.onNext(value);
        }

        @Override
        public void onError(Throwable t) {
            if (DONE.compareAndSet(this, 0, 1)) {
                timer.dispose();
                actual.onError(t);
            } else {
                Operators.onErrorDropped(t, actual.currentContext());
            }
        }

        @Override
        public void onComplete() {
            if (DONE.compareAndSet(this, 0, 1)) {
                timer.dispose();
                actual.onComplete();
            }
        }

        private void expire() {
            if (DONE.compareAndSet(this, 0, 1)) {
                upstream.cancel();
                actual.onError(new TimeoutException("Response took longer than timeout: " + timeout));
            }
        }

        @Override
        public void request(long n) {
            upstream.request(n);
        }

        @Override
        public void cancel() {
            if (DONE.compareAndSet(this, 0, 1)) {
                timer.dispose();
            }
            upstream.cancel();
        }
    }
}
