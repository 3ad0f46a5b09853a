package dev.cirrus.computevm.placement;

import dev.cirrus.plumbing.security.ServiceCredential;
import dev.cirrus.plumbing.security.ServiceCredentialGrpc;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.github.resilience4j.core.IntervalFunction;
import io.github.resilience4j.retry.RetryConfig;
import io.github.resilience4j.retry.RetryRegistry;
import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
class PlacementConfiguration {

    static final String NAME = "placement";

    /** Plain-text gRPC over loopback or the cluster network; the channel connects lazily on the first call. */
    @Bean(destroyMethod = "shutdownNow")
    ManagedChannel placementChannel(PlacementProperties properties, ServiceCredential credential) {
        // every call carries the platform's service credential: the engine refuses calls without it
        return NettyChannelBuilder.forTarget(properties.target()).usePlaintext()
                .intercept(ServiceCredentialGrpc.clientInterceptor(credential)).build();
    }

    @Bean
    PlacementClient placementClient(ManagedChannel placementChannel, PlacementProperties properties,
                                    ObjectProvider<RetryRegistry> retries,
                                    ObjectProvider<CircuitBreakerRegistry> breakers) {
        var r = properties.retry();
        RetryConfig retryConfig = RetryConfig.custom()
                .maxAttempts(r.maxAttempts())
                .intervalFunction(IntervalFunction.ofExponentialBackoff(r.initialBackoff(), 2.0, r.maxBackoff()))
                .retryOnException(PlacementClient::isTransient)
                .build();
        var b = properties.circuitBreaker();
        CircuitBreakerConfig breakerConfig = CircuitBreakerConfig.custom()
                .failureRateThreshold(b.failureRateThreshold())
                .slidingWindowSize(b.slidingWindowSize())
                .minimumNumberOfCalls(b.minimumCalls())
                .waitDurationInOpenState(b.openDuration())
                .recordException(PlacementClient::isTransient)
                .build();
        // registered in the Resilience4j registries (when present) so actuator and metrics can see them
        RetryRegistry retryRegistry = retries.getIfAvailable(RetryRegistry::ofDefaults);
        CircuitBreakerRegistry breakerRegistry = breakers.getIfAvailable(CircuitBreakerRegistry::ofDefaults);
        return new PlacementClient(placementChannel, properties, retryRegistry.retry(NAME, retryConfig),
                breakerRegistry.circuitBreaker(NAME, breakerConfig));
    }
}
