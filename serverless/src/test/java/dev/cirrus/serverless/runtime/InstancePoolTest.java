package dev.cirrus.serverless.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;

import dev.cirrus.plumbing.arm.ArmException;
import dev.cirrus.serverless.function.FunctionConfig;
import dev.cirrus.serverless.function.FunctionDefinition;
import dev.cirrus.serverless.functionapp.FunctionApp;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

/** The pool over the real GraalJS runtime: how instances are added, capped, reused and scaled to zero. */
class InstancePoolTest {

    static final JsonMapper JSON = JsonMapper.builder().build();
    static JavaScriptRuntime runtime;

    @BeforeAll
    static void start() {
        runtime = new JavaScriptRuntime(JSON, Duration.ofMillis(5));
    }

    @AfterAll
    static void stop() {
        runtime.close();
    }

    static InstancePool pool(int maxInstances, Duration scaleOutInterval, Duration idleTimeout, Duration instanceWait) {
        return new InstancePool(List.of(runtime), new FunctionsProperties(maxInstances, scaleOutInterval, idleTimeout,
                instanceWait, null, null, null, null, null, null, null, null, null, null, null, null, null), Clock.systemUTC());
    }

    static AppDefinition app(String name, Map<String, String> settings) {
        FunctionApp app = new FunctionApp("/subscriptions/s/resourceGroups/rg/providers/Microsoft.Web/sites/" + name, "s", "rg",
                name, "westeurope", "functionapp", FunctionApp.RUNNING, null, Map.of(), settings,
                JSON.createObjectNode(), JSON.createObjectNode(), "m", Map.of("default", "h"), Map.of(), Instant.EPOCH,
                Instant.EPOCH, "\"e\"", 1);
        FunctionDefinition function = new FunctionDefinition(app.key(), "f",
                FunctionConfig.parse(JSON.readTree("{\"bindings\":[{\"type\":\"httpTrigger\",\"direction\":\"in\",\"name\":\"req\"}]}")),
                Map.of("index.js", "module.exports = async () => 1;"), Map.of("default", "k"));
        return new AppDefinition(app, List.of(function));
    }

    @Test
    void concurrentCallsAddColdInstancesUpToTheMaximumAndTheNextCallerWaitsThenGets429() {
        InstancePool pool = pool(2, Duration.ZERO, Duration.ofMinutes(5), Duration.ofMillis(200));
        AppDefinition app = app("capped", Map.of());
        InstancePool.Lease first = pool.acquire(app);
        InstancePool.Lease second = pool.acquire(app);
        assertThat(first.cold()).isTrue();
        assertThat(second.cold()).isTrue();
        assertThat(pool.instanceCount(app.app().key())).isEqualTo(2);
        assertThatThrownBy(() -> pool.acquire(app)).isInstanceOfSatisfying(ArmException.class,
                e -> assertThat(e.error().code()).isEqualTo("TooManyRequests"));
        assertThat(pool.instances(app.app().key())).extracting(InstancePool.InstanceView::state).containsExactly("Busy", "Busy");
        pool.release(first, app.version());
        InstancePool.Lease third = pool.acquire(app);
        assertThat(third.cold()).isFalse();
        assertThat(third.instance()).isSameAs(first.instance());
        assertThat(pool.instanceCount(app.app().key())).isEqualTo(2);
    }

    @Test
    void theAppsScaleLimitSettingLowersItsMaximumBelowTheServiceDefault() {
        InstancePool pool = pool(200, Duration.ZERO, Duration.ofMinutes(5), Duration.ofMillis(100));
        AppDefinition app = app("limited", Map.of(InstancePool.SCALE_LIMIT_SETTING, "1"));
        assertThat(pool.maxInstances(app.app())).isEqualTo(1);
        assertThat(pool.maxInstances(app("unlimited", Map.of()).app())).isEqualTo(200);
        pool.acquire(app);
        assertThatThrownBy(() -> pool.acquire(app)).isInstanceOf(ArmException.class);
    }

    @Test
    void aNewInstanceStartsAtMostOncePerScaleOutIntervalSoAWaitingCallerGetsTheWarmOne() {
        InstancePool pool = pool(200, Duration.ofHours(1), Duration.ofMinutes(5), Duration.ofSeconds(30));
        AppDefinition app = app("rate", Map.of());
        InstancePool.Lease first = pool.acquire(app);
        AtomicReference<Thread> waiter = new AtomicReference<>();
        CompletableFuture<InstancePool.Lease> second = CompletableFuture.supplyAsync(() -> {
            waiter.set(Thread.currentThread());
            return pool.acquire(app);
        });
        // the second caller waits: the interval forbids a second instance, though the maximum would allow it
        await().atMost(Duration.ofSeconds(10)).until(() -> waiter.get() != null
                && waiter.get().getState() == Thread.State.TIMED_WAITING);
        assertThat(second).isNotDone();
        assertThat(pool.instanceCount(app.app().key())).isEqualTo(1);
        pool.release(first, app.version());
        InstancePool.Lease warm = second.join();
        assertThat(warm.cold()).isFalse();
        assertThat(warm.instance()).isSameAs(first.instance());
    }

    @Test
    void idleInstancesAreClosedByTheReaperAfterTheIdleTimeoutAndTheNextCallIsAColdStart() {
        InstancePool pool = pool(200, Duration.ZERO, Duration.ZERO, Duration.ofSeconds(30));
        AppDefinition app = app("idle", Map.of());
        InstancePool.Lease lease = pool.acquire(app);
        pool.release(lease, app.version());
        assertThat(pool.instances(app.app().key())).extracting(InstancePool.InstanceView::state).containsExactly("Idle");
        pool.reapIdle();
        assertThat(pool.instanceCount(app.app().key())).isZero();
        assertThat(lease.instance().usable()).isFalse();
        InstancePool.Lease next = pool.acquire(app);
        assertThat(next.cold()).isTrue();
        pool.release(next, app.version());
    }

    @Test
    void anInstanceOfAnOldVersionIsRetiredWhenItComesBack() {
        InstancePool pool = pool(200, Duration.ZERO, Duration.ofMinutes(5), Duration.ofSeconds(30));
        AppDefinition app = app("versions", Map.of());
        InstancePool.Lease lease = pool.acquire(app);
        pool.release(lease, app.version() + 1);
        assertThat(pool.instanceCount(app.app().key())).isZero();
    }
}
