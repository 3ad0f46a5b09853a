package dev.cirrus.appservice.runtime;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

import dev.cirrus.appservice.site.SiteProperties;
import dev.cirrus.plumbing.arm.ArmException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * How a deployed package runs: the stack the site's configuration names ({@code linuxFxVersion} {@code JAVA|…},
 * {@code NODE|…}, {@code PYTHON|…}, {@code STATIC}, or {@code javaVersion} / {@code nodeVersion} /
 * {@code pythonVersion}), else the one its content shows, in this order:
 * <pre>
 *   app.jar, or the one *.jar at the root   → java:   {java} -jar app.jar        (PORT and SERVER_PORT set)
 *   package.json (main) or server.js/app.js/index.js → node: {node} main.js
 *   app.py, application.py or main.py       → python: {python3} app.py
 *   a default document (index.html, …)      → static: served by the front end itself, no process
 * </pre>
 * A package that gives its stack no entry point (a Java site without a jar, a package with none of the above) is 400
 * {@code InvalidZip}. A stack whose runtime is not on this machine ({@code php}, {@code dotnetcore}, a
 * {@code python3} that is not installed, …) is a failed deployment ({@link DeploymentFailure}) saying which.
 * {@code appCommandLine}, when set, is the start command instead ({@code sh -c}), as Azure's startup command.
 *
 * @param name    static, java, node or python
 * @param command the process's command line (empty for static content)
 */
record Stack(String name, List<String> command) {

    static final String STATIC = "static";

    boolean isStatic() {
        return name.equals(STATIC);
    }

    /** The stack of the package in {@code dir} for a site configured with {@code configured} (null: none). */
    static Stack of(Path dir, String configured, String appCommandLine, SiteProperties p, ObjectMapper json) {
        String stack = configured == null ? detect(dir) : normalise(configured);
        if (stack == null) {
            throw ArmException.badRequest("InvalidZip", "The package has no entry point: no app.jar (or other .jar) "
                    + "at its root for Java, no package.json / server.js for Node.js, no app.py for Python, and no "
                    + "default document (index.html, …) for static content.", null);
        }
        List<String> command = switch (stack) {
            case STATIC -> {
                if (detectDocument(dir) == null && !hasFiles(dir)) {
                    throw ArmException.badRequest("InvalidZip", "The package holds no file to serve.", null);
                }
                yield List.of();
            }
            // the entry point first: a package without one is bad input (400) whatever this machine has
            case "java" -> {
                String jar = jar(dir);
                yield List.of(runtime(p.javaCommand(), "java", "cirrus.appservice.sites.java-command"), "-jar", jar);
            }
            case "node" -> {
                String entry = nodeEntry(dir, json);
                yield List.of(runtime(p.nodeCommand(), "node", "cirrus.appservice.sites.node-command"), entry);
            }
            case "python" -> {
                String entry = pythonEntry(dir);
                yield List.of(runtime(p.pythonCommand(), "python", "cirrus.appservice.sites.python-command"), entry);
            }
            default -> throw new DeploymentFailure("The stack '" + stack + "' cannot run on this machine: Cirrus runs "
                    + "Java (an executable jar), Node.js, Python and static content.");
        };
        if (!command.isEmpty() && appCommandLine != null && !appCommandLine.isBlank()) {
            command = List.of("sh", "-c", appCommandLine);
        }
        return new Stack(stack, command);
    }

    private static String normalise(String configured) {
        String s = configured.toLowerCase(Locale.ROOT);
        return switch (s) {
            case "java", "tomcat", "jbosseap" -> "java";
            case "node" -> "node";
            case "python" -> "python";
            case STATIC -> STATIC;
            default -> s;
        };
    }

    private static String detect(Path dir) {
        if (findJar(dir) != null) {
            return "java";
        }
        if (Files.isRegularFile(dir.resolve("package.json")) || Files.isRegularFile(dir.resolve("server.js"))
                || Files.isRegularFile(dir.resolve("app.js"))) {
            return "node";
        }
        if (pythonFile(dir) != null) {
            return "python";
        }
        return detectDocument(dir) != null ? STATIC : null;
    }

    /** The first default document at the root, or null. */
    static String detectDocument(Path dir) {
        for (String doc : List.of("index.html", "index.htm", "default.html", "default.htm", "Default.htm",
                "Default.html", "hostingstart.html")) {
            if (Files.isRegularFile(dir.resolve(doc))) {
                return doc;
            }
        }
        return null;
    }

    private static boolean hasFiles(Path dir) {
        try (Stream<Path> all = Files.walk(dir)) {
            return all.anyMatch(Files::isRegularFile);
        } catch (IOException e) {
            return false;
        }
    }

    private static String jar(Path dir) {
        String jar = findJar(dir);
        if (jar == null) {
            throw ArmException.badRequest("InvalidZip", "The package has no entry point for Java: put the executable "
                    + "jar at its root as app.jar (or as its only .jar).", "app.jar");
        }
        return jar;
    }

    private static String findJar(Path dir) {
        if (Files.isRegularFile(dir.resolve("app.jar"))) {
            return "app.jar";
        }
        try (Stream<Path> files = Files.list(dir)) {
            List<String> jars = files.map(f -> f.getFileName().toString()).filter(n -> n.endsWith(".jar")).toList();
            return jars.size() == 1 ? jars.getFirst() : null;
        } catch (IOException e) {
            return null;
        }
    }

    private static String nodeEntry(Path dir, ObjectMapper json) {
        Path pkg = dir.resolve("package.json");
        if (Files.isRegularFile(pkg)) {
            try {
                JsonNode main = json.readTree(Files.readString(pkg)).get("main");
                if (main != null && main.isString() && Files.isRegularFile(dir.resolve(main.asString()).normalize())
                        && dir.resolve(main.asString()).normalize().startsWith(dir)) {
                    return main.asString();
                }
            } catch (IOException | RuntimeException e) {
                throw ArmException.badRequest("InvalidZip", "package.json is not valid JSON.", "package.json");
            }
        }
        for (String entry : List.of("server.js", "app.js", "index.js")) {
            if (Files.isRegularFile(dir.resolve(entry))) {
                return entry;
            }
        }
        throw ArmException.badRequest("InvalidZip", "The package has no entry point for Node.js: package.json's main, "
                + "or server.js, app.js or index.js at its root.", "package.json");
    }

    private static String pythonEntry(Path dir) {
        String file = pythonFile(dir);
        if (file == null) {
            throw ArmException.badRequest("InvalidZip", "The package has no entry point for Python: app.py, "
                    + "application.py or main.py at its root.", "app.py");
        }
        return file;
    }

    private static String pythonFile(Path dir) {
        for (String entry : List.of("app.py", "application.py", "main.py")) {
            if (Files.isRegularFile(dir.resolve(entry))) {
                return entry;
            }
        }
        return null;
    }

    /** The runtime's command if this machine has it (a path that is executable, or a name on the PATH). */
    private static String runtime(String command, String stack, String property) {
        if (command.contains("/") || command.contains(File.separator)) {
            if (Files.isExecutable(Path.of(command))) {
                return command;
            }
        } else {
            String path = System.getenv("PATH");
            for (String folder : path == null ? new String[0] : path.split(File.pathSeparator)) {
                if (!folder.isEmpty() && Files.isExecutable(Path.of(folder, command))) {
                    return command;
                }
            }
        }
        throw new DeploymentFailure("The stack '" + stack + "' needs '" + command + "', which is not installed on "
                + "this machine (" + property + "): install it, or deploy a package of another stack.");
    }
}
