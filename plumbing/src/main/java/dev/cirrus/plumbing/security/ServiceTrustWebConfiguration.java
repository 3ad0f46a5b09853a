package dev.cirrus.plumbing.security;

import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import tools.jackson.databind.ObjectMapper;

/** Servlet services: the {@link ServiceCredentialFilter} before every other filter. */
@Configuration(proxyBeanMethods = false)
public class ServiceTrustWebConfiguration {

    @Bean
    FilterRegistrationBean<ServiceCredentialFilter> serviceCredentialFilter(ServiceCredential credential,
                                                                           ObjectMapper json) {
        var registration = new FilterRegistrationBean<>(new ServiceCredentialFilter(credential, json));
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 5);
        return registration;
    }
}
