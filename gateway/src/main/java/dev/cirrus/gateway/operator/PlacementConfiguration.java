package dev.cirrus.gateway.operator;

import dev.cirrus.plumbing.security.ServiceCredential;
import dev.cirrus.plumbing.security.ServiceCredentialGrpc;
import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The gRPC channel to the placement engine: plain text over loopback or the cluster network, connected lazily. */
@Configuration(proxyBeanMethods = false)
class PlacementConfiguration {

    @Bean(destroyMethod = "shutdownNow")
    ManagedChannel placementChannel(PlacementProperties properties, ServiceCredential credential) {
        // every call carries the platform's service credential: the engine refuses calls without it
        return NettyChannelBuilder.forTarget(properties.target()).usePlaintext()
                .intercept(ServiceCredentialGrpc.clientInterceptor(credential)).build();
    }
}
