package dev.cirrus.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ChildJvmTest {

    static final Duration READY = Duration.ofSeconds(60);

    @TempDir
    Path dir;

    static ChildJvm.Builder program(String... args) {
        return ChildJvm.mainClass(ChildProgram.class.getName(), List.of(Path.of("target", "test-classes")))
                .jvmOptions(List.of("-Xmx32m", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC"))
                .arguments(args);
    }

    @Test
    void aChildIsReadyWhenItsUrlAnswers200AndItsOutputAndErrorsGoToOneFile() throws Exception {
        int port = ChildJvm.freePort();
        Path output = dir.resolve("child.log");
        try (ChildJvm child = program("http=" + port).output(output)
                .readyWhenGetAnswers200(URI.create("http://127.0.0.1:" + port + "/ready")).start(READY)) {
            assertThat(child.alive()).isTrue();
            assertThat(child.output()).isEqualTo(output);
            assertThat(child.pid()).isNotEqualTo(ProcessHandle.current().pid());
            await().atMost(READY).untilAsserted(() ->
                    assertThat(Files.readString(output)).contains("started", "on stderr"));
        }
    }

    @Test
    void aChildIsReadyWhenItsPortAcceptsConnections() {
        int port = ChildJvm.freePort();
        try (ChildJvm child = program("listen=" + port).output(dir.resolve("child.log"))
                .readyWhenPortAnswers(port).start(READY)) {
            assertThat(child.alive()).isTrue();
        }
    }

    @Test
    void aChildThatExitsBeforeItIsReadyFailsTheWaitAtOnceNamingItsOutputFile() {
        int port = ChildJvm.freePort();
        Path output = dir.resolve("exits.log");
        long started = System.nanoTime();
        assertThatThrownBy(() -> program("exit=3").output(output).readyWhenPortAnswers(port).start(READY))
                .hasStackTraceContaining("exited with 3 before it was ready")
                .hasStackTraceContaining(output.toAbsolutePath().toString());
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(READY);
    }

    @Test
    void stoppingAChildRunsItsShutdownHooks() throws Exception {
        int port = ChildJvm.freePort();
        Path output = dir.resolve("stopped.log");
        ChildJvm child = program("listen=" + port).output(output).readyWhenPortAnswers(port).start(READY);
        child.stop(Duration.ofSeconds(30));
        assertThat(child.alive()).isFalse();
        assertThat(Files.readString(output)).contains("shutdown hook ran");
    }

    @Test
    void killingAChildEndsItWithoutRunningItsShutdownHooks() throws Exception {
        int port = ChildJvm.freePort();
        Path output = dir.resolve("killed.log");
        ChildJvm child = program("listen=" + port).output(output).readyWhenPortAnswers(port).start(READY);
        child.kill();
        assertThat(child.alive()).isFalse();
        assertThat(child.exitCode()).isEqualTo(137); // 128 + SIGKILL
        assertThat(Files.readString(output)).contains("started").doesNotContain("shutdown hook ran");
    }

    @Test
    void theCpuTimeOfABusyChildGrows() {
        int port = ChildJvm.freePort();
        try (ChildJvm child = program("listen=" + port, "burn").output(dir.resolve("busy.log"))
                .readyWhenPortAnswers(port).start(READY)) {
            long before = child.cpuNanos();
            await().atMost(READY).until(() -> child.cpuNanos() > before + Duration.ofMillis(200).toNanos());
        }
    }

    @Test
    void theTestClassPathWithoutThisModuleKeepsTheLibrariesAndLeavesOutItsOwnOutputFolders() {
        List<Path> classpath = ChildJvm.testClassPathWithoutThisModule();
        Path target = Path.of("target").toAbsolutePath();
        assertThat(classpath).noneMatch(p -> p.startsWith(target));
        assertThat(classpath).anyMatch(p -> p.getFileName().toString().startsWith("awaitility"));
    }
}
