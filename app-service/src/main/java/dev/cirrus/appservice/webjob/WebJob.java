package dev.cirrus.appservice.webjob;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * A WebJob found in a site's deployed content, {@code App_Data/jobs/{triggered|continuous}/{name}/} (any casing): its
 * entry file — {@code run.sh}, {@code run.js}, {@code run.py} or {@code run.jar} first, else the first {@code .sh},
 * {@code .js}, {@code .py} or {@code .jar} in name order — and its {@code settings.job} ({@code schedule}, an NCRONTAB
 * of six fields, for a triggered job; {@code is_singleton} for a continuous one). A job whose entry or settings are
 * wrong is still listed, with its {@code error}, and never runs.
 *
 * @param type      {@code triggered} or {@code continuous}
 * @param entry     the file it runs (null when none: see {@code error})
 * @param schedule  the parsed schedule, or null (no schedule, or a wrong one)
 * @param error     why the job cannot run or be scheduled, or null
 */
public record WebJob(String name, String type, Path dir, Path entry, String scheduleText, Ncrontab schedule,
                     boolean singleton, String error) {

    public static final String TRIGGERED = "triggered";
    public static final String CONTINUOUS = "continuous";
    /** Kudu's job names: letters, digits, '-' and '_'. */
    public static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_-]{0,63}");
    private static final List<String> RUN_FILES = List.of("run.sh", "run.js", "run.py", "run.jar");
    private static final List<String> EXTENSIONS = List.of(".sh", ".js", ".py", ".jar");

    public boolean triggered() {
        return TRIGGERED.equals(type);
    }

    /** The command that runs the entry: {@code sh}, {@code node}, {@code python3} or {@code java -jar}. */
    public List<String> command(String java, String node, String python) {
        String file = entry.getFileName().toString();
        String lower = file.toLowerCase(Locale.ROOT);
        if (lower.endsWith(".sh")) {
            return List.of("sh", file);
        }
        if (lower.endsWith(".js")) {
            return List.of(node, file);
        }
        if (lower.endsWith(".py")) {
            return List.of(python, file);
        }
        return List.of(java, "-jar", file);
    }

    /** The jobs of one type in a deployed folder, in name order (none when the folder has no such layout). */
    public static List<WebJob> discover(Path content, String type, ObjectMapper json) {
        Optional<Path> root = child(content, "app_data").flatMap(p -> child(p, "jobs")).flatMap(p -> child(p, type));
        if (root.isEmpty()) {
            return List.of();
        }
        List<WebJob> jobs = new ArrayList<>();
        try (Stream<Path> dirs = Files.list(root.get())) {
            for (Path dir : dirs.filter(Files::isDirectory).sorted().toList()) {
                String name = dir.getFileName().toString();
                if (NAME.matcher(name).matches()) {
                    jobs.add(read(dir, name, type, json));
                }
            }
        } catch (IOException e) {
            return List.of();
        }
        return jobs;
    }

    /** The job in {@code dir}: its entry and its settings. */
    public static WebJob read(Path dir, String name, String type, ObjectMapper json) {
        Path entry = entry(dir);
        String error = entry == null ? "No runnable script file was found: add run.sh, run.js, run.py or a .jar."
                : null;
        String scheduleText = null;
        Ncrontab schedule = null;
        boolean singleton = false;
        Optional<Path> settings = child(dir, "settings.job");
        if (settings.isPresent()) {
            try {
                JsonNode node = json.readTree(Files.readString(settings.get()));
                JsonNode s = node.path("schedule");
                if (!s.isMissingNode() && !s.isNull()) {
                    scheduleText = s.asString("");
                    if (TRIGGERED.equals(type)) {
                        try {
                            schedule = Ncrontab.parse(scheduleText);
                        } catch (IllegalArgumentException e) {
                            error = invalidSchedule(scheduleText, e.getMessage());
                        }
                    }
                }
                singleton = node.path("is_singleton").asBoolean(false);
            } catch (IOException | RuntimeException e) {
                error = "settings.job is not JSON: " + e.getMessage();
            }
        }
        return new WebJob(name, type, dir, entry, scheduleText, schedule, singleton, error);
    }

    /** Azure's message for a schedule that is not an NCRONTAB expression. */
    public static String invalidSchedule(String schedule, String reason) {
        return "The schedule expression '" + schedule + "' was not recognized as a valid cron expression: " + reason
                + ".";
    }

    private static Path entry(Path dir) {
        try (Stream<Path> files = Files.list(dir)) {
            List<Path> all = files.filter(Files::isRegularFile).sorted().toList();
            for (String run : RUN_FILES) {
                for (Path f : all) {
                    if (f.getFileName().toString().equalsIgnoreCase(run)) {
                        return f;
                    }
                }
            }
            for (Path f : all) {
                String lower = f.getFileName().toString().toLowerCase(Locale.ROOT);
                if (EXTENSIONS.stream().anyMatch(lower::endsWith)) {
                    return f;
                }
            }
        } catch (IOException e) {
            return null;
        }
        return null;
    }

    /** A child of {@code dir} by name, any casing (Windows paths in packages: {@code App_Data}). */
    static Optional<Path> child(Path dir, String name) {
        if (!Files.isDirectory(dir)) {
            return Optional.empty();
        }
        try (Stream<Path> children = Files.list(dir)) {
            return children.filter(c -> c.getFileName().toString().equalsIgnoreCase(name)).findFirst();
        } catch (IOException e) {
            return Optional.empty();
        }
    }
}
