package dev.cirrus.launcher;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * The services of the platform: their module (directory and artifact) name, their HTTP port by the platform-wide
 * convention, and their database. The order is the start order of the local run: the placement engine first (the
 * VM service places through it), the gateway last (it fronts all the others).
 */
public enum ServiceModule {
    PLACEMENT_ENGINE("placement-engine", 8086, "placement"),
    COMPUTE_VM("compute-vm", 8081, "compute_vm"),
    COMPUTE_CONTAINER("compute-container", 8082, "compute_container"),
    APP_SERVICE("app-service", 8083, "app_service"),
    SERVERLESS("serverless", 8084, "serverless"),
    BILLING("billing", 8085, "billing"),
    GATEWAY("gateway", 8080, "gateway");

    /** The gRPC port of the placement engine by convention. */
    public static final int PLACEMENT_GRPC_PORT = 9090;

    private final String moduleName;
    private final int defaultPort;
    private final String database;

    ServiceModule(String moduleName, int defaultPort, String database) {
        this.moduleName = moduleName;
        this.defaultPort = defaultPort;
        this.database = database;
    }

    /** The Maven module, its directory and its artifact id, e.g. {@code compute-vm}. */
    public String moduleName() {
        return moduleName;
    }

    public int defaultPort() {
        return defaultPort;
    }

    /** The PostgreSQL database the service owns, e.g. {@code compute_vm}. */
    public String database() {
        return database;
    }

    /** The services the gateway routes to: everything but itself and the (gRPC-only) placement engine. */
    public static List<ServiceModule> routedByGateway() {
        return List.of(COMPUTE_VM, COMPUTE_CONTAINER, APP_SERVICE, SERVERLESS, BILLING);
    }

    public static ServiceModule ofModuleName(String name) {
        String wanted = name.trim().toLowerCase(Locale.ROOT);
        return Arrays.stream(values())
                .filter(m -> m.moduleName.equals(wanted))
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException("unknown service '" + name + "'; the services are "
                        + Arrays.stream(values()).map(ServiceModule::moduleName).toList()));
    }

    @Override
    public String toString() {
        return moduleName;
    }
}
