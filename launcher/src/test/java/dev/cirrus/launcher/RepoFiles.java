package dev.cirrus.launcher;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;

/** Reads the repository's own files for the tests that check them against each other. */
final class RepoFiles {

    static final Path ROOT = PlatformConfig.locateRepoRoot(Path.of(""));

    private RepoFiles() {
    }

    static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Every document of a YAML file (YAML merge keys resolved). */
    static List<Object> yamlDocuments(Path file) {
        List<Object> documents = new ArrayList<>();
        for (Object doc : new Yaml(new LoaderOptions()).loadAll(read(file))) {
            if (doc != null) {
                documents.add(doc);
            }
        }
        return documents;
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> yaml(Path file) {
        return (Map<String, Object>) yamlDocuments(file).get(0);
    }

    /** The value at a dotted path of nested maps, e.g. {@code server.port}; null when absent. */
    @SuppressWarnings("unchecked")
    static Object at(Map<String, Object> map, String path) {
        Object current = map;
        for (String key : path.split("\\.")) {
            if (!(current instanceof Map<?, ?> m)) {
                return null;
            }
            current = ((Map<String, Object>) m).get(key);
        }
        return current;
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> map(Object value) {
        return (Map<String, Object>) value;
    }

    /** The {@code server.port} of a service's application.yml. */
    static int serverPort(ServiceModule module) {
        Path yml = ROOT.resolve(module.moduleName()).resolve("src/main/resources/application.yml");
        if (!Files.exists(yml)) {
            throw new AssertionError(module + " has no " + yml + ": every service must declare its server.port there");
        }
        Object port = at(yaml(yml), "server.port");
        if (port == null) {
            throw new AssertionError(yml + " declares no server.port");
        }
        return Integer.parseInt(port.toString());
    }

    /** {@code cirrus.placement.grpc-port} of the placement engine's application.yml. */
    static int placementGrpcPort() {
        Path yml = ROOT.resolve("placement-engine/src/main/resources/application.yml");
        Object port = at(yaml(yml), "cirrus.placement.grpc-port");
        if (port == null) {
            throw new AssertionError(yml + " declares no cirrus.placement.grpc-port");
        }
        return Integer.parseInt(port.toString());
    }
}
