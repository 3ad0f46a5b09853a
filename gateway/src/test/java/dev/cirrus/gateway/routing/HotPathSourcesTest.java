package dev.cirrus.gateway.routing;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

/**
 * The gateway runs on public APIs only: no class of an internal package (Netty's {@code io.netty.util.internal},
 * the JDK's {@code sun.*} / {@code jdk.internal.*}, any library's {@code .internal.} or {@code .impl.}), and no
 * per-thread state on the reactive server (a request moves between threads; {@code ThreadLocal},
 * {@code FastThreadLocal} and {@code ThreadLocalRandom} tie work to whichever thread runs it).
 */
class HotPathSourcesTest {

    static final Pattern INTERNAL = Pattern.compile("(?m)^import\\s+(static\\s+)?([\\w.]*\\.(internal|impl)\\.|sun\\.|jdk\\.internal\\.|com\\.sun\\.)");
    static final Pattern PER_THREAD = Pattern.compile("\\b(ThreadLocal|FastThreadLocal|ThreadLocalRandom|InheritableThreadLocal)\\b");

    static List<Path> sources() throws IOException {
        try (Stream<Path> files = Files.walk(Path.of("src/main/java"))) {
            return files.filter(f -> f.toString().endsWith(".java")).toList();
        }
    }

    @Test
    void noSourceOfTheGatewayUsesAnInternalPackage() throws IOException {
        List<Path> sources = sources();
        assertThat(sources).hasSizeGreaterThan(50);
        assertThat(sources).filteredOn(f -> INTERNAL.matcher(read(f)).find()).isEmpty();
    }

    @Test
    void noSourceOfTheGatewayKeepsStatePerThread() throws IOException {
        assertThat(sources()).filteredOn(f -> PER_THREAD.matcher(read(f)).find()).isEmpty();
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
