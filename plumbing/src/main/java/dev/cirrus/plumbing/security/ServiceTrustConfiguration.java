package dev.cirrus.plumbing.security;

import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

/**
 * The {@link ServiceCredential} bean, bound from {@value ServiceCredential#PROPERTY} (relaxed: the environment
 * variable {@code CIRRUS_SERVICE_CREDENTIAL} too) and checked at start-up: a service without it does not start.
 */
@Configuration(proxyBeanMethods = false)
public class ServiceTrustConfiguration {

    @Bean
    ServiceCredential serviceCredential(Environment environment) {
        return new ServiceCredential(Binder.get(environment).bind(ServiceCredential.PROPERTY, String.class)
                .orElse(null));
    }
}
