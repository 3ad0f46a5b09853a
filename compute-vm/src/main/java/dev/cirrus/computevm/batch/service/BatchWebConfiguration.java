package dev.cirrus.computevm.batch.service;

import org.springframework.context.annotation.Configuration;
import org.springframework.web.servlet.config.annotation.InterceptorRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/** The Batch service API's calls are authenticated by {@link BatchAuthentication} before their controller runs. */
@Configuration(proxyBeanMethods = false)
class BatchWebConfiguration implements WebMvcConfigurer {

    private final BatchAuthentication authentication;

    BatchWebConfiguration(BatchAuthentication authentication) {
        this.authentication = authentication;
    }

    @Override
    public void addInterceptors(InterceptorRegistry registry) {
        registry.addInterceptor(authentication);
    }
}
