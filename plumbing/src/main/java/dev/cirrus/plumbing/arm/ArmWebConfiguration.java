package dev.cirrus.plumbing.arm;

import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import tools.jackson.databind.ObjectMapper;

/** ARM error bodies for every failure of a servlet service, and ARM's 4 MB request limit. */
@Configuration(proxyBeanMethods = false)
public class ArmWebConfiguration {

    @Bean
    ArmErrorAdvice armErrorAdvice() {
        return new ArmErrorAdvice();
    }

    @Bean
    ArmErrorController armErrorController() {
        return new ArmErrorController();
    }

    @Bean
    FilterRegistrationBean<RequestBodyLimitFilter> requestBodyLimitFilter(ObjectMapper json) {
        var registration = new FilterRegistrationBean<>(new RequestBodyLimitFilter(RequestBodyLimitFilter.ARM_LIMIT, json));
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 10);
        return registration;
    }
}
