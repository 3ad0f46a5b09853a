package dev.cirrus.gateway.arm;

import org.springframework.context.annotation.Configuration;
import org.springframework.web.reactive.config.PathMatchConfigurer;
import org.springframework.web.reactive.config.WebFluxConfigurer;

/**
 * ARM paths are case-insensitive: {@code /resourcegroups/} and {@code /resourceGroups/} are the same path. The
 * gateway's own endpoints match that way; routes match on the provider namespace case-insensitively too.
 */
@Configuration(proxyBeanMethods = false)
public class ArmPathMatching implements WebFluxConfigurer {

    @Override
    public void configurePathMatching(PathMatchConfigurer configurer) {
        configurer.setUseCaseSensitiveMatch(false);
    }
}
