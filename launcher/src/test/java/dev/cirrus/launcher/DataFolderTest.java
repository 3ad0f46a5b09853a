package dev.cirrus.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DataFolderTest {

    @TempDir
    Path tmp;

    @Test
    void resetWipesAFolderAPlatformUsedBefore() throws Exception {
        Path data = tmp.resolve("data");
        DataFolder.lock(data).close();
        Files.createDirectories(DataFolder.postgresDir(data).resolve("base"));
        Files.writeString(DataFolder.postgresDir(data).resolve("base").resolve("1"), "rows");
        Files.createDirectories(DataFolder.logDir(data));
        Files.writeString(DataFolder.logDir(data).resolve("gateway.log"), "log");

        assertThat(DataFolder.reset(data)).isEqualTo(DataFolder.ResetOutcome.WIPED);
        assertThat(data).doesNotExist();
    }

    @Test
    void resetRefusesWhileAPlatformRunsOnTheFolderAndKeepsEverything() throws Exception {
        Path data = tmp.resolve("data");
        try (DataFolder.Lock running = DataFolder.lock(data)) {
            Files.writeString(data.resolve("keep"), "x");

            assertThatThrownBy(() -> DataFolder.reset(data))
                    .isInstanceOf(PlatformStartException.class)
                    .hasMessageContaining("already running")
                    .hasMessageContaining("pid " + ProcessHandle.current().pid());
            assertThat(data.resolve("keep")).exists();
        }
    }

    @Test
    void theLauncherSaysWhyItRefusedAResetAndExitsWithAFailure() {
        Path data = tmp.resolve("data");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PlatformConfig config = PlatformConfig.builder().dataDir(data).build();
        int exit;
        try (DataFolder.Lock running = DataFolder.lock(data)) {
            exit = Launcher.reset(config, new PrintStream(out, true, StandardCharsets.UTF_8),
                    new PrintStream(err, true, StandardCharsets.UTF_8));
        }

        assertThat(exit).isEqualTo(1);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("already running");
        assertThat(data).exists();
        assertThat(Launcher.reset(config, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8))).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("Wiped " + data);
    }

    @Test
    void resetRefusesAFolderThatCirrusDidNotCreate() throws Exception {
        Path home = tmp.resolve("home");
        Files.createDirectories(home);
        Files.writeString(home.resolve("thesis.tex"), "precious");

        assertThatThrownBy(() -> DataFolder.reset(home))
                .isInstanceOf(PlatformStartException.class)
                .hasMessageContaining("does not look like a Cirrus data folder");
        assertThat(home.resolve("thesis.tex")).exists();
    }

    @Test
    void resetOfAFolderThatDoesNotExistHasNothingToDo() {
        assertThat(DataFolder.reset(tmp.resolve("never-used"))).isEqualTo(DataFolder.ResetOutcome.NOTHING_TO_WIPE);
    }

    @Test
    void aSecondPlatformCannotLockAFolderInUseButCanOnceItIsFree() {
        Path data = tmp.resolve("data");
        DataFolder.Lock first = DataFolder.lock(data);

        assertThatThrownBy(() -> DataFolder.lock(data)).hasMessageContaining("already running on " + data);

        first.close();
        DataFolder.lock(data).close();
    }

    @Test
    void theServiceCredentialIsRandomOwnerOnlyAndKeptAcrossRuns(@TempDir Path data) throws Exception {
        String first = DataFolder.serviceCredential(data);

        assertThat(first).matches("[0-9a-f]{64}");
        assertThat(DataFolder.serviceCredential(data)).isEqualTo(first);
        assertThat(java.nio.file.Files.getPosixFilePermissions(DataFolder.serviceCredentialFile(data)))
                .containsExactlyInAnyOrder(java.nio.file.attribute.PosixFilePermission.OWNER_READ,
                        java.nio.file.attribute.PosixFilePermission.OWNER_WRITE);
        assertThat(DataFolder.serviceCredential(data.resolve("other"))).isNotEqualTo(first);
    }
}
