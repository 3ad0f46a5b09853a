package dev.cirrus.launcher;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * Finds the runnable jar of each service: {@code {repoRoot}/{module}/target/{module}-*-exec.jar}, the jar the
 * Spring Boot plugin repackages next to the plain one. When several versions lie there, the newest file wins.
 */
public final class ServiceJars {

    private ServiceJars() {
    }

    /** The runnable jar of every service in {@code modules}, or a failure naming every missing one. */
    public static Map<ServiceModule, Path> find(Path repoRoot, Iterable<ServiceModule> modules) {
        Map<ServiceModule, Path> jars = new EnumMap<>(ServiceModule.class);
        List<String> missing = new ArrayList<>();
        for (ServiceModule m : modules) {
            Path jar = find(repoRoot, m);
            if (jar == null) {
                missing.add(repoRoot.resolve(m.moduleName()).resolve("target")
                        .resolve(m.moduleName() + "-*-exec.jar").toString());
            } else {
                jars.put(m, jar);
            }
        }
        if (!missing.isEmpty()) {
            throw new PlatformStartException("no runnable jar for " + missing.size() + " service(s): "
                    + String.join(", ", missing) + "\nBuild them first: mvn -B -q -DskipTests install (or ./cirrus build)");
        }
        return jars;
    }

    /** The newest {@code {module}-*-exec.jar} in the module's target directory, or null. */
    public static Path find(Path repoRoot, ServiceModule module) {
        Path target = repoRoot.resolve(module.moduleName()).resolve("target");
        if (!Files.isDirectory(target)) {
            return null;
        }
        List<Path> candidates = new ArrayList<>();
        try (DirectoryStream<Path> jars = Files.newDirectoryStream(target, module.moduleName() + "-*-exec.jar")) {
            for (Path jar : jars) {
                if (Files.isRegularFile(jar)) {
                    candidates.add(jar);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return candidates.stream().max(Comparator.comparing(ServiceJars::modified)).orElse(null);
    }

    private static FileTime modified(Path file) {
        try {
            return Files.getLastModifiedTime(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
