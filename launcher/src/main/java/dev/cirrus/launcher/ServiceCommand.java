package dev.cirrus.launcher;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The command line of one service of the local run: the launcher's own {@code java}, small-heap options, the
 * service's exec jar, and Spring properties that tie it to this run's PostgreSQL, Kafka and neighbours. Command-line
 * properties outrank the service's {@code application.yml} and the environment, so a stray variable in the user's
 * shell cannot point a service elsewhere.
 */
public final class ServiceCommand {

    private ServiceCommand() {
    }

    /**
     * @param config    the run's configuration (java, JVM options, ports)
     * @param module    the service
     * @param jar       its exec jar
     * @param parentPid the launcher's pid: the service exits when that process is gone
     */
    public static List<String> of(PlatformConfig config, ServiceModule module, Path jar, long parentPid) {
        return of(config, module, jar, List.of(), parentPid);
    }

    /** The same with extra JVM options (the class data sharing ones) after the configured ones. */
    static List<String> of(PlatformConfig config, ServiceModule module, Path jar, List<String> extraJvmOptions,
                           long parentPid) {
        PortPlan ports = config.ports();
        List<String> command = new ArrayList<>();
        command.add(config.javaCommand().toString());
        for (String option : config.jvmOptions()) {
            if (!(PlatformConfig.FULL_JIT.contains(module) && option.startsWith("-XX:TieredStopAtLevel"))) {
                command.add(option);
            }
        }
        command.addAll(extraJvmOptions);
        command.add("-jar");
        command.add(jar.toString());
        command.add("--server.port=" + ports.http(module));
        command.add("--spring.datasource.url=" + Endpoints.jdbcUrl(ports.postgres(), module.database()));
        command.add("--spring.datasource.username=" + Endpoints.POSTGRES_USER);
        command.add("--spring.datasource.password=" + Endpoints.POSTGRES_PASSWORD);
        command.add("--cirrus.kafka.bootstrap-servers=" + Endpoints.loopback(ports.kafka()));
        command.add("--cirrus.parent-pid=" + parentPid);
        if (module != ServiceModule.GATEWAY) {
            // behind the gateway: nothing but this machine reaches a service directly
            command.add("--server.address=" + Endpoints.HOST);
        }
        switch (module) {
            case PLACEMENT_ENGINE -> {
                command.add("--cirrus.placement.grpc-port=" + ports.placementGrpc());
                command.add("--cirrus.placement.grpc-address=" + Endpoints.HOST);
            }
            case COMPUTE_VM -> command.add("--cirrus.placement.target=" + Endpoints.loopback(ports.placementGrpc()));
            // the managed clusters' agent pools are scale sets of compute-vm, created over its HTTP port
            case COMPUTE_CONTAINER -> command.add("--cirrus.compute-container.compute-vm-url="
                    + Endpoints.httpUrl(ports.http(ServiceModule.COMPUTE_VM)));
            // the function apps' URLs (defaultHostName, invokeUrlTemplate) name the gateway's port, wherever it moved
            case SERVERLESS -> command.add("--cirrus.functions.public-port=" + ports.http(ServiceModule.GATEWAY));
            case GATEWAY -> {
                // the gateway keeps its identity material (signing keys, certificate, credentials) here
                command.add("--cirrus.gateway.data-dir=" + config.dataDir().resolve("gateway"));
                command.add("--cirrus.gateway.https-port=" + ports.gatewayHttps());
                for (ServiceModule routed : ServiceModule.routedByGateway()) {
                    command.add("--cirrus.gateway.services." + routed.moduleName() + "="
                            + Endpoints.httpUrl(ports.http(routed)));
                }
                // the operator API of the placement engine (/cirrus/placement/**) is a gRPC client of the engine
                command.add("--cirrus.placement.target=" + Endpoints.loopback(ports.placementGrpc()));
            }
            default -> {
                // the other services need nothing beyond their database and Kafka
            }
        }
        return List.copyOf(command);
    }
}
