package dev.cirrus.launcher;

import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The launcher's command line: {@code [up|reset|status|help] [--option=value ...]}.
 *
 * <pre>
 *   --data=DIR               data folder (default: $CIRRUS_DATA, else ./.cirrus-data)
 *   --repo=DIR               repository root with the built jars (default: the current directory)
 *   --port-offset=N          add N to every port
 *   --free-ports             pick free ports instead (tests, side-by-side runs)
 *   --port.NAME=P            one port: a service module name, gateway-https, placement-grpc, kafka,
 *                            kafka-controller or postgres
 *   --services=a,b           run only these services (default: all)
 *   --readiness-timeout=S    seconds each service may take to become ready (default 180)
 *   --stop-timeout=S         seconds services get after SIGTERM before a kill (default 20)
 *   --stagger-ms=N           pause between launching two services (default 0: all at once)
 *   --cds[=true|false]       class data sharing archives for the services (default true)
 * </pre>
 *
 * @param command what to do
 * @param config  the platform configuration the options describe
 */
public record LauncherArguments(Command command, PlatformConfig config) {

    public enum Command { UP, RESET, STATUS, HELP }

    public static final String DATA_ENV = "CIRRUS_DATA";

    public static final String USAGE = """
            usage: cirrus-launcher [up|reset|status|help] [options]
              up      start PostgreSQL, Kafka and every service; Ctrl-C stops them all (the default)
              reset   wipe the data folder (refused while a platform runs on it)
              status  every process of the platform running on the data folder: state, pid, port, restarts
            options:
              --data=DIR             data folder (default: $CIRRUS_DATA, else ./.cirrus-data)
              --repo=DIR             repository root holding {module}/target/{module}-*-exec.jar (default: .)
              --port-offset=N        add N to every port (gateway 8080 and HTTPS 8443, services 8081-8086,
                                     placement gRPC 9090, Kafka 9092 and controller 9093, PostgreSQL 5432)
              --free-ports           use any free ports instead
              --port.NAME=P          set one port; NAME is a service (e.g. gateway), gateway-https, placement-grpc,
                                     kafka, kafka-controller or postgres
              --services=a,b         run only these services (default: all seven)
              --readiness-timeout=S  seconds a service may take to become ready (default 180)
              --stop-timeout=S       seconds services get to stop before they are killed (default 20)
              --stagger-ms=N         pause between launching two services (default 0)
              --cds=false            no class data sharing (by default each service keeps an archive of its
                                     classes in the data folder and starts about twice as fast from the second
                                     run on, for about 130 MB of disk per service)
            """;

    /**
     * Parses the arguments.
     *
     * @param env the environment (for {@code CIRRUS_DATA})
     * @throws IllegalArgumentException with a message for the user when an argument is wrong
     */
    public static LauncherArguments parse(List<String> args, Map<String, String> env) {
        Command command = null;
        // the command line reuses one data folder run after run, where the class data sharing archives pay off
        PlatformConfig.Builder config = PlatformConfig.builder().classDataSharing(true);
        String data = env.get(DATA_ENV);
        Integer offset = null;
        boolean freePorts = false;
        Map<String, Integer> single = new java.util.LinkedHashMap<>();
        for (String arg : args) {
            if (!arg.startsWith("--")) {
                if (command != null) {
                    throw new IllegalArgumentException("more than one command: " + command.name().toLowerCase() + " and " + arg);
                }
                command = switch (arg) {
                    case "up" -> Command.UP;
                    case "reset" -> Command.RESET;
                    case "status" -> Command.STATUS;
                    case "help" -> Command.HELP;
                    default -> throw new IllegalArgumentException("unknown command '" + arg + "'");
                };
                continue;
            }
            int eq = arg.indexOf('=');
            String name = eq < 0 ? arg.substring(2) : arg.substring(2, eq);
            String value = eq < 0 ? null : arg.substring(eq + 1);
            switch (name) {
                case "help" -> command = Command.HELP;
                case "data" -> data = required(name, value);
                case "repo" -> config.repoRoot(Path.of(required(name, value)));
                case "port-offset" -> offset = integer(name, value);
                case "free-ports" -> {
                    if (value != null) {
                        throw new IllegalArgumentException("--free-ports takes no value");
                    }
                    freePorts = true;
                }
                case "services" -> config.services(services(required(name, value)));
                case "readiness-timeout" -> config.readinessTimeout(Duration.ofSeconds(positive(name, value)));
                case "stop-timeout" -> config.stopTimeout(Duration.ofSeconds(integer(name, value)));
                case "stagger-ms" -> config.stagger(Duration.ofMillis(integer(name, value)));
                case "cds" -> config.classDataSharing(bool(name, value));
                default -> {
                    if (name.startsWith("port.")) {
                        String port = name.substring("port.".length());
                        if (!PortPlan.defaults().names().containsKey(port)) {
                            throw new IllegalArgumentException("unknown port '" + port + "'; the ports are "
                                    + PortPlan.defaults().names().keySet());
                        }
                        single.put(port, positive(name, value));
                    } else {
                        throw new IllegalArgumentException("unknown option --" + name);
                    }
                }
            }
        }
        if (freePorts && offset != null) {
            throw new IllegalArgumentException("--free-ports and --port-offset exclude each other");
        }
        PortPlan ports = freePorts ? PortPlan.freePorts() : PortPlan.defaults().offsetBy(offset == null ? 0 : offset);
        for (var e : single.entrySet()) {
            ports = ports.with(e.getKey(), e.getValue());
        }
        config.ports(ports);
        if (data != null && !data.isBlank()) {
            config.dataDir(Path.of(data));
        }
        return new LauncherArguments(command == null ? Command.UP : command, config.build());
    }

    private static Set<ServiceModule> services(String list) {
        Set<ServiceModule> chosen = EnumSet.noneOf(ServiceModule.class);
        for (String name : list.split(",")) {
            if (!name.isBlank()) {
                chosen.add(ServiceModule.ofModuleName(name));
            }
        }
        if (chosen.isEmpty()) {
            throw new IllegalArgumentException("--services names no service");
        }
        return chosen;
    }

    private static boolean bool(String name, String value) {
        if (value == null || value.equals("true")) {
            return true;
        }
        if (value.equals("false")) {
            return false;
        }
        throw new IllegalArgumentException("--" + name + " is true or false, not '" + value + "'");
    }

    private static String required(String name, String value) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException("--" + name + " needs a value: --" + name + "=...");
        }
        return value;
    }

    private static int integer(String name, String value) {
        try {
            int n = Integer.parseInt(required(name, value).trim());
            if (n < 0) {
                throw new IllegalArgumentException("--" + name + " cannot be negative: " + value);
            }
            return n;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--" + name + " needs a whole number, not '" + value + "'");
        }
    }

    private static int positive(String name, String value) {
        int n = integer(name, value);
        if (n == 0) {
            throw new IllegalArgumentException("--" + name + " must be positive");
        }
        return n;
    }
}
