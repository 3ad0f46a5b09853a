package dev.cirrus.computecontainer;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;

import com.github.dockerjava.api.command.BuildImageResultCallback;
import com.github.dockerjava.api.exception.NotFoundException;
import dev.cirrus.computecontainer.runtime.DockerEngine;
import dev.cirrus.computecontainer.runtime.DockerProperties;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.junit.jupiter.api.Assumptions;

/**
 * The Docker engine of the tests: the one {@code DOCKER_HOST} names (`.ci/run` starts one on a private socket), or
 * none. Tests that need containers call {@link #requireEngine()}, which skips them with the reason when no engine
 * answers, and run the image {@link #BUSYBOX}, built once per engine {@code FROM scratch} with the machine's static
 * busybox ({@code /bin/busybox}, Debian's busybox-static): no registry is needed.
 */
public final class TestDocker {

    /** sh, httpd, sleep, wget, … of busybox, every applet linked in /bin. */
    public static final String BUSYBOX = "cirrus-test/busybox:1";

    private static DockerEngine engine;
    private static Boolean answers;
    private static boolean built;

    private TestDocker() {
    }

    public static synchronized DockerEngine engine() {
        if (engine == null) {
            engine = new DockerEngine(new DockerProperties(null, "cirrus-test-probe", null));
        }
        return engine;
    }

    public static synchronized boolean answers() {
        if (answers == null) {
            answers = engine().answers();
        }
        return answers;
    }

    /** Skips the calling test (a JUnit assumption, with the reason printed) unless an engine answers. */
    public static void requireEngine() {
        if (!answers()) {
            String reason = "no Docker engine answers at " + engine().host() + " (set DOCKER_HOST; .ci/run starts one "
                    + "as root): the container tests are skipped";
            System.out.println("SKIPPED: " + reason);
            Assumptions.abort(reason);
        }
        busybox();
    }

    /** Builds {@link #BUSYBOX} once, unless the engine has it already. */
    public static synchronized void busybox() {
        if (built) {
            return;
        }
        try {
            engine().client().inspectImageCmd(BUSYBOX).exec();
            built = true;
            return;
        } catch (NotFoundException absent) {
            // built below
        }
        Path busybox = Path.of("/bin/busybox");
        if (!Files.isExecutable(busybox)) {
            String reason = "no static busybox at /bin/busybox (apt-get install busybox-static) to build the test image";
            System.out.println("SKIPPED: " + reason);
            Assumptions.abort(reason);
        }
        try {
            byte[] binary = Files.readAllBytes(busybox);
            byte[] dockerfile = ("FROM scratch\nCOPY busybox /bin/busybox\n"
                    + "RUN [\"/bin/busybox\", \"--install\", \"-s\", \"/bin\"]\n"
                    + "RUN [\"/bin/busybox\", \"mkdir\", \"-p\", \"/www\", \"/tmp\"]\n").getBytes(StandardCharsets.UTF_8);
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            try (TarArchiveOutputStream tar = new TarArchiveOutputStream(bytes)) {
                tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
                add(tar, "Dockerfile", dockerfile, 0644);
                add(tar, "busybox", binary, 0755);
            }
            engine().client().buildImageCmd().withTarInputStream(new ByteArrayInputStream(bytes.toByteArray()))
                    .withTags(Set.of(BUSYBOX)).exec(new BuildImageResultCallback()).awaitImageId();
            built = true;
        } catch (IOException e) {
            throw new IllegalStateException("could not build " + BUSYBOX, e);
        }
    }

    private static void add(TarArchiveOutputStream tar, String name, byte[] content, int mode) throws IOException {
        TarArchiveEntry entry = new TarArchiveEntry(name);
        entry.setSize(content.length);
        entry.setMode(mode);
        tar.putArchiveEntry(entry);
        tar.write(content);
        tar.closeArchiveEntry();
    }
}
