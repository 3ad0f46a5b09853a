package dev.cirrus.launcher;

import java.net.URI;
import java.nio.file.Path;
import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;

/**
 * Where everything of a running local platform answers.
 *
 * @param gatewayUrl            the ARM endpoint, e.g. {@code http://127.0.0.1:8080}
 * @param kafkaBootstrapServers e.g. {@code 127.0.0.1:9092}
 * @param postgresJdbcBaseUrl   e.g. {@code jdbc:postgresql://127.0.0.1:5432/}; append a database name
 * @param serviceUrls           each running service's own base URL (the gateway included)
 * @param placementTarget       the gRPC placement API, {@code host:port}
 * @param dataDir               the data folder
 * @param logDir                the folder of the services' logs, {@code {module}.log}
 */
public record Endpoints(URI gatewayUrl, String kafkaBootstrapServers, String postgresJdbcBaseUrl,
                        Map<ServiceModule, URI> serviceUrls, String placementTarget, Path dataDir, Path logDir) {

    public static final String HOST = "127.0.0.1";
    public static final String POSTGRES_USER = "postgres";
    public static final String POSTGRES_PASSWORD = "postgres";

    public Endpoints {
        serviceUrls = Collections.unmodifiableMap(new EnumMap<>(serviceUrls));
    }

    static Endpoints of(PlatformConfig config) {
        Map<ServiceModule, URI> urls = new EnumMap<>(ServiceModule.class);
        for (ServiceModule m : config.servicesInStartOrder()) {
            urls.put(m, URI.create(httpUrl(config.ports().http(m))));
        }
        return new Endpoints(URI.create(httpUrl(config.ports().http(ServiceModule.GATEWAY))),
                loopback(config.ports().kafka()), "jdbc:postgresql://" + HOST + ":" + config.ports().postgres() + "/",
                urls, loopback(config.ports().placementGrpc()), config.dataDir(), DataFolder.logDir(config.dataDir()));
    }

    /** The base URL of a running service; fails for a service this run does not include. */
    public URI serviceUrl(ServiceModule module) {
        URI url = serviceUrls.get(module);
        if (url == null) {
            throw new IllegalArgumentException(module + " is not part of this run");
        }
        return url;
    }

    /** The JDBC URL of a database on the platform's PostgreSQL (user and password: postgres). */
    public String jdbcUrl(String database) {
        return postgresJdbcBaseUrl + database;
    }

    /** The JDBC URL of a service's own database. */
    public String jdbcUrl(ServiceModule module) {
        return jdbcUrl(module.database());
    }

    static String jdbcUrl(int port, String database) {
        return "jdbc:postgresql://" + HOST + ":" + port + "/" + database;
    }

    static String loopback(int port) {
        return HOST + ":" + port;
    }

    static String httpUrl(int port) {
        return "http://" + HOST + ":" + port;
    }
}
