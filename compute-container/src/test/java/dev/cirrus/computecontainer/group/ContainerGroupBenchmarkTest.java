package dev.cirrus.computecontainer.group;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import dev.cirrus.computecontainer.ContainerGroupTestSupport;
import dev.cirrus.computecontainer.TestDocker;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Time from a container group's PUT to its container's {@code Running} state, for the locally built busybox image,
 * p50 / p99 over {@code bench.container-groups.samples} (50) groups one after the other, compared in the same run with
 * {@code docker run} of the same image through the same engine (create + start until the engine says running): the
 * difference is what Cirrus adds (validation, the image check, the placement engine, the database, the outbox).
 * Target: at most 150 ms at p50. Not part of the test suite (tag {@code bench}):
 * {@code mvn -B -pl compute-container -am verify -Dcirrus.test.groups=bench -Dcirrus.test.excludedGroups=
 * -Dtest=ContainerGroupBenchmarkTest -Dsurefire.failIfNoSpecifiedTests=false}; figures go to
 * {@code compute-container/bench-results/container-groups.md}.
 */
@Tag("bench")
class ContainerGroupBenchmarkTest extends ContainerGroupTestSupport {

    static final int SAMPLES = Integer.getInteger("bench.container-groups.samples", 50);

    @Test
    void putToRunningAgainstDockerRun() throws IOException {
        TestDocker.requireEngine();
        var client = TestDocker.engine().client();
        List<Double> cirrus = new ArrayList<>();
        List<Double> docker = new ArrayList<>();
        String sub = newSubscription();
        for (int i = 0; i < SAMPLES + 3; i++) {
            String path = groupPath(sub, "bench", "g" + i);
            long start = System.nanoTime();
            assertThat(put(path, groupBody("Always", "[\"/bin/sleep\", \"3600\"]")).statusCode()).isEqualTo(201);
            while (!json(get(path)).path("properties").path("containers").get(0).path("properties")
                    .path("instanceView").path("currentState").path("state").asString().equals("Running")) {
                Thread.onSpinWait();
            }
            double cirrusMs = (System.nanoTime() - start) / 1e6;
            assertThat(delete(path).statusCode()).isEqualTo(200);

            start = System.nanoTime();
            String id = client.createContainerCmd(TestDocker.BUSYBOX).withEntrypoint("/bin/sleep", "3600")
                    .withLabels(Map.of("dev.cirrus.owner", OWNER)).exec().getId();
            client.startContainerCmd(id).exec();
            while (!Boolean.TRUE.equals(client.inspectContainerCmd(id).exec().getState().getRunning())) {
                Thread.onSpinWait();
            }
            double dockerMs = (System.nanoTime() - start) / 1e6;
            client.removeContainerCmd(id).withForce(true).exec();
            if (i >= 3) { // the first runs warm the JIT, the connections and the engine's caches
                cirrus.add(cirrusMs);
                docker.add(dockerMs);
            }
        }
        Collections.sort(cirrus);
        Collections.sort(docker);
        double p50 = percentile(cirrus, 50);
        double dockerP50 = percentile(docker, 50);
        String figures = String.format(Locale.ROOT, """
                # Container groups: PUT to Running (%s)

                %d groups one after the other, image %s (local), one container of 0.5 vCPU / 0.5 GB, through
                compute-container directly (no gateway), against `docker run` of the same image on the same engine.

                | | p50 ms | p99 ms |
                |---|---|---|
                | Cirrus: PUT to container Running | %.1f | %.1f |
                | docker run (create + start to running) | %.1f | %.1f |
                | what Cirrus adds | %.1f | |

                Target: Cirrus adds at most 150 ms at p50: %s.
                """, Instant.now(), SAMPLES, TestDocker.BUSYBOX, p50, percentile(cirrus, 99), dockerP50,
                percentile(docker, 99), p50 - dockerP50, p50 - dockerP50 <= 150 ? "met" : "NOT met");
        Path out = Path.of("bench-results", "container-groups.md");
        Files.createDirectories(out.getParent());
        Files.writeString(out, figures);
        System.out.println(figures);
    }

    static double percentile(List<Double> sorted, int p) {
        int index = (int) Math.ceil(p / 100.0 * sorted.size()) - 1;
        return sorted.get(Math.max(0, Math.min(sorted.size() - 1, index)));
    }
}
