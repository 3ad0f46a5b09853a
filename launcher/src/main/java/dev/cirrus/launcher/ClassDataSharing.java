package dev.cirrus.launcher;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Class data sharing for the services: the JVM maps the classes a service loaded in an earlier run from an archive
 * instead of reading, parsing and verifying them again, which is most of a Spring service's start-up CPU.
 *
 * <p>An archive needs a class path of plain jars, so each exec jar is first extracted (Spring Boot's
 * {@code -Djarmode=tools extract}, under a second) to {@code {data}/cds/{module}/app/}. The JVM writes the archive
 * {@code {data}/cds/{module}/app.jsa} itself when the service exits normally ({@code -XX:+AutoCreateSharedArchive});
 * the next start uses it. A rebuilt jar (another size or time stamp) is extracted afresh and its archive dropped; a
 * JDK that cannot use an archive simply ignores it and writes a new one.
 */
final class ClassDataSharing {

    private static final String STAMP = "source.txt";

    private ClassDataSharing() {
    }

    /** What to run: the extracted jar and the options that read and write the archive. */
    record Prepared(Path jar, List<String> jvmOptions) {
    }

    static Prepared prepare(Path java, Path execJar, Path cacheDir) {
        try {
            Path app = cacheDir.resolve("app");
            Path jar = app.resolve(execJar.getFileName());
            String stamp = execJar.toAbsolutePath() + "\n" + Files.size(execJar) + "\n"
                    + Files.getLastModifiedTime(execJar).toMillis() + "\n";
            Path stampFile = cacheDir.resolve(STAMP);
            if (!Files.isRegularFile(jar) || !Files.exists(stampFile) || !Files.readString(stampFile).equals(stamp)) {
                delete(cacheDir);
                Files.createDirectories(cacheDir);
                extract(java, execJar, app);
                Files.writeString(stampFile, stamp);
            }
            Path archive = cacheDir.resolve("app.jsa");
            return new Prepared(jar, List.of("-XX:SharedArchiveFile=" + archive, "-XX:+AutoCreateSharedArchive"));
        } catch (IOException e) {
            throw new UncheckedIOException("could not prepare " + execJar + " for class data sharing", e);
        }
    }

    private static void extract(Path java, Path execJar, Path destination) throws IOException {
        Path log = destination.resolveSibling("extract.log");
        Process extract = new ProcessBuilder(java.toString(), "-Djarmode=tools", "-jar", execJar.toString(),
                "extract", "--destination", destination.toString())
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        try {
            if (!extract.waitFor(2, TimeUnit.MINUTES)) {
                extract.destroyForcibly();
                throw new PlatformStartException("extracting " + execJar + " took more than 2 minutes");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            extract.destroyForcibly();
            throw new PlatformStartException("interrupted while extracting " + execJar, e);
        }
        if (extract.exitValue() != 0) {
            throw new PlatformStartException("could not extract " + execJar + " (exit " + extract.exitValue() + "):\n"
                    + ServiceProcess.tail(log, 20));
        }
    }

    private static void delete(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        Files.walkFileTree(dir, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                Files.delete(file);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path d, IOException e) throws IOException {
                if (e != null) {
                    throw e;
                }
                Files.delete(d);
                return FileVisitResult.CONTINUE;
            }
        });
    }
}
