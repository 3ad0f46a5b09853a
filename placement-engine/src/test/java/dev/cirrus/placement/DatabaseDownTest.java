package dev.cirrus.placement;

import static dev.cirrus.placement.GrpcAssertions.statusOf;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;

import dev.cirrus.contracts.placement.v1.Allocation;
import dev.cirrus.embedded.EmbeddedPostgresServer;
import io.grpc.Status;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The engine's own PostgreSQL goes down and comes back: calls fail with UNAVAILABLE (which clients retry), never
 * UNKNOWN or INTERNAL, and succeed again once the database is back.
 */
class DatabaseDownTest {

    @TempDir
    Path data;

    @Test
    void whileTheDatabaseIsDownEveryCallIsUnavailableAndAfterwardsTheyWorkAgain() throws Exception {
        int port;
        try (ServerSocket free = new ServerSocket(0)) {
            port = free.getLocalPort();
        }
        EmbeddedPostgresServer postgres = EmbeddedPostgresServer.start(data, port);
        postgres.ensureDatabase("placement");
        TestVm placed = TestVm.in("koreacentral").size(2, 2048);
        try (RunningEngine engine = RunningEngine.start(postgres.jdbcUrl("placement"), EmbeddedPostgresServer.USER,
                EmbeddedPostgresServer.PASSWORD, "classpath:inventory/two-hosts.yaml")) {
            Allocation allocation = engine.placement().place(placed.place()).getAllocation();

            postgres.close();

            // the first call finds its pooled connection broken; the pool then drops the others, and the later calls
            // cannot open a new one (after connection-timeout: 3000)
            for (int i = 0; i < 2; i++) {
                Status place = statusOf(() -> engine.placement().place(TestVm.in("koreacentral").place()));
                assertThat(place.getCode()).isEqualTo(Status.Code.UNAVAILABLE);
                assertThat(place.getDescription())
                        .isEqualTo("the placement engine cannot reach its database; retry later");
            }
            assertThat(statusOf(() -> engine.placement().getAllocation(placed.get())).getCode())
                    .isEqualTo(Status.Code.UNAVAILABLE);
            assertThat(statusOf(() -> engine.placement().release(placed.release())).getCode())
                    .isEqualTo(Status.Code.UNAVAILABLE);

            postgres = EmbeddedPostgresServer.start(data, port);

            await().atMost(Duration.ofSeconds(60)).ignoreExceptions().untilAsserted(() ->
                    assertThat(engine.placement().getAllocation(placed.get())).isEqualTo(allocation));
            assertThat(engine.placement().release(placed.release()).getReleased()).isTrue();
        } finally {
            postgres.close();
        }
    }
}
