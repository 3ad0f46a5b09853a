package dev.cirrus.computecontainer.placement;

import dev.cirrus.plumbing.security.ServiceCredential;
import dev.cirrus.plumbing.security.ServiceCredentialGrpc;
import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(PlacementProperties.class)
class PlacementConfiguration {

    /** Plain-text gRPC over loopback or the cluster network; the channel connects lazily on the first call. */
    @Bean(destroyMethod = "shutdownNow")
    ManagedChannel placementChannel(PlacementProperties properties, ServiceCredential credential) {
        // every call carries the platform's service credential: the engine refuses calls without it
        return NettyChannelBuilder.forTarget(properties.target()).usePlaintext()
                .intercept(ServiceCredentialGrpc.clientInterceptor(credential)).build();
    }

    @Bean
    PlacementClient placementClient(ManagedChannel placementChannel, PlacementProperties properties) {
        return new PlacementClient(placementChannel, properties);
    }
}
