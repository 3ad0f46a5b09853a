package dev.cirrus.placement.grpc;

import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

import dev.cirrus.contracts.placement.v1.PlacementServiceGrpc;
import dev.cirrus.placement.PlacementProperties;
import dev.cirrus.placement.allocation.HostOperations;
import dev.cirrus.placement.allocation.Placements;
import dev.cirrus.placement.inventory.InventoryRepository;
import dev.cirrus.placement.maintenance.Maintenances;
import dev.cirrus.plumbing.security.ServiceCredential;
import dev.cirrus.plumbing.security.ServiceCredentialGrpc;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import org.springframework.boot.actuate.info.InfoContributor;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.ConfigurableEnvironment;

@Configuration(proxyBeanMethods = false)
class GrpcConfiguration {

    @Bean
    GrpcServer grpcServer(PlacementProperties properties, Placements placements, HostOperations operations,
                          InventoryRepository inventory, Maintenances maintenances,
                          ConfigurableEnvironment environment, ServiceCredential credential) {
        // calls that may block (reads, host operations, maintenance) run here, never on the transport's threads
        AtomicInteger threads = new AtomicInteger();
        ExecutorService blocking = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "placement-grpc-" + threads.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        // all interfaces unless an address is configured: in containers compute-vm dials the engine by its service
        // name, the local run binds loopback. directExecutor: handlers run on the transport's threads (no hand-off
        // per call); they never block (see PlacementGrpcService)
        NettyServerBuilder builder = (properties.grpcAddress().isEmpty()
                ? NettyServerBuilder.forPort(properties.grpcPort())
                : NettyServerBuilder.forAddress(new InetSocketAddress(properties.grpcAddress(), properties.grpcPort())))
                .directExecutor()
                // only the gateway and the services, which hold the platform's credential, may call
                .intercept(ServiceCredentialGrpc.serverInterceptor(credential))
                .addService(new PlacementGrpcService(placements, operations, inventory, maintenances, blocking));
        return new GrpcServer(builder, properties.grpcPort(), properties.grpcShutdownGrace(), environment, blocking);
    }

    /** /actuator/info shows the bound gRPC port: how a launcher learns it when it asked for port 0. */
    @Bean
    InfoContributor grpcInfo(GrpcServer server) {
        return info -> info.withDetail("grpc",
                Map.of("port", server.port(), "services", List.of(PlacementServiceGrpc.SERVICE_NAME)));
    }
}
