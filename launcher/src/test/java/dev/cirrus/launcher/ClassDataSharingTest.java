package dev.cirrus.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ClassDataSharingTest {

    @TempDir
    Path tmp;

    private Path execJar() throws Exception {
        Path built = ServiceJars.find(RepoFiles.ROOT, ServiceModule.COMPUTE_CONTAINER);
        assertThat(built).as("compute-container's exec jar (build it first)").isNotNull();
        Path copy = tmp.resolve("jars").resolve(built.getFileName());
        Files.createDirectories(copy.getParent());
        return Files.copy(built, copy);
    }

    @Test
    void anExecJarIsExtractedOnceAndRunWithAnArchiveBesideIt() throws Exception {
        Path jar = execJar();
        Path cache = tmp.resolve("cds");

        ClassDataSharing.Prepared prepared = ClassDataSharing.prepare(PlatformConfig.currentJava(), jar, cache);

        assertThat(prepared.jar()).isEqualTo(cache.resolve("app").resolve(jar.getFileName())).isRegularFile();
        assertThat(cache.resolve("app/lib")).isDirectoryContaining(p -> p.getFileName().toString().startsWith("spring-core"));
        assertThat(prepared.jvmOptions()).containsExactly("-XX:SharedArchiveFile=" + cache.resolve("app.jsa"),
                "-XX:+AutoCreateSharedArchive");

        FileTime extracted = Files.getLastModifiedTime(prepared.jar());
        Files.writeString(cache.resolve("app.jsa"), "an archive of an earlier run");
        ClassDataSharing.prepare(PlatformConfig.currentJava(), jar, cache);
        assertThat(Files.getLastModifiedTime(prepared.jar())).isEqualTo(extracted);
        assertThat(cache.resolve("app.jsa")).exists();
    }

    @Test
    void aRebuiltJarIsExtractedAfreshAndItsOldArchiveDropped() throws Exception {
        Path jar = execJar();
        Path cache = tmp.resolve("cds");
        ClassDataSharing.prepare(PlatformConfig.currentJava(), jar, cache);
        Files.writeString(cache.resolve("app.jsa"), "an archive of the old jar");

        Files.setLastModifiedTime(jar, FileTime.from(Instant.now().plusSeconds(60)));
        ClassDataSharing.Prepared prepared = ClassDataSharing.prepare(PlatformConfig.currentJava(), jar, cache);

        assertThat(cache.resolve("app.jsa")).doesNotExist();
        assertThat(prepared.jar()).isRegularFile();
    }
}
