package dev.cirrus.placement;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import dev.cirrus.contracts.placement.v1.PlacementServiceGrpc;
import dev.cirrus.placement.grpc.GrpcServer;
import dev.cirrus.plumbing.security.ServiceCredential;
import dev.cirrus.plumbing.security.ServiceCredentialGrpc;
import dev.cirrus.testkit.ServiceCredentials;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * A whole engine started as the launcher starts it (command-line properties, random HTTP and gRPC ports), for
 * tests that need more than one engine life on one database: restarts, start-up failures, a database that dies.
 * Kafka is left out: the events wait in the outbox.
 */
public final class RunningEngine implements AutoCloseable {

    private final ConfigurableApplicationContext context;
    private final ManagedChannel channel;
    private final HttpClient http = ServiceCredentials.httpClient();

    private RunningEngine(ConfigurableApplicationContext context) {
        this.context = context;
        this.channel = Grpc.newChannelBuilderForAddress("127.0.0.1", grpcPort(), InsecureChannelCredentials.create())
                .intercept(ServiceCredentialGrpc.clientInterceptor(new ServiceCredential(ServiceCredentials.value()))).build();
    }

    public static RunningEngine start(String jdbcUrl, String user, String password, String inventory,
                                      String... moreArgs) {
        return new RunningEngine(new SpringApplicationBuilder(PlacementEngineApplication.class)
                .run(args(jdbcUrl, user, password, inventory, moreArgs)));
    }

    /** The command line of an engine on this database and inventory, with random ports and without Kafka. */
    public static String[] args(String jdbcUrl, String user, String password, String inventory, String... moreArgs) {
        List<String> args = new ArrayList<>(List.of(
                "--spring.datasource.url=" + jdbcUrl,
                "--spring.datasource.username=" + user,
                "--spring.datasource.password=" + password,
                "--spring.datasource.hikari.maximum-pool-size=4",
                "--server.port=0", "--cirrus.service-credential=" + ServiceCredentials.value(),
                "--cirrus.placement.grpc-port=0",
                "--cirrus.placement.inventory=" + inventory,
                "--cirrus.kafka.bootstrap-servers="));
        for (String more : moreArgs) {
            // a later --key=value replaces the default: Spring would join repeated keys into one value
            String key = more.substring(0, more.indexOf('=') + 1);
            args.removeIf(a -> a.startsWith(key));
            args.add(more);
        }
        return args.toArray(String[]::new);
    }

    public int grpcPort() {
        return context.getEnvironment().getRequiredProperty(GrpcServer.PORT_PROPERTY, Integer.class);
    }

    public PlacementServiceGrpc.PlacementServiceBlockingStub placement() {
        return PlacementServiceGrpc.newBlockingStub(channel).withDeadlineAfter(20, TimeUnit.SECONDS);
    }

    public HttpResponse<String> get(String path) throws Exception {
        int port = context.getEnvironment().getRequiredProperty("local.server.port", Integer.class);
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Override
    public void close() {
        channel.shutdownNow();
        context.close();
    }
}
