package dev.cirrus.plumbing.arm;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.web.servlet.config.annotation.InterceptorRegistry;
import org.springframework.web.servlet.config.annotation.PathMatchConfigurer;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;
import org.springframework.web.util.pattern.PathPatternParser;
import tools.jackson.databind.ObjectMapper;

/**
 * ARM conventions every servlet service shares: error bodies for every failure (also for URLs Tomcat refuses and
 * malformed query strings: {@link TomcatArmConfiguration}, {@link MalformedQueryFilter}), ARM's 4 MB request limit (data-plane
 * paths: {@code cirrus.http.data-plane-max-request-body}, 100 MB), the
 * {@code api-version} rule ({@link ApiVersionInterceptor}), and
 * case-insensitive path matching ({@code /resourcegroups/} and {@code /resourceGroups/}, {@code Microsoft.Compute}
 * and {@code microsoft.compute} are the same path to ARM).
 */
@Configuration(proxyBeanMethods = false)
public class ArmWebConfiguration {

    @Bean
    WebMvcConfigurer armPathMatching() {
        return new WebMvcConfigurer() {
            @Override
            public void configurePathMatch(PathMatchConfigurer configurer) {
                PathPatternParser parser = new PathPatternParser();
                parser.setCaseSensitive(false);
                configurer.setPatternParser(parser);
            }

            @Override
            public void addInterceptors(InterceptorRegistry registry) {
                registry.addInterceptor(new ApiVersionInterceptor());
            }
        };
    }

    @Bean
    ArmErrorAdvice armErrorAdvice() {
        return new ArmErrorAdvice();
    }

    @Bean
    ArmErrorController armErrorController() {
        return new ArmErrorController();
    }

    @Bean
    FilterRegistrationBean<MalformedQueryFilter> malformedQueryFilter(ObjectMapper json) {
        var registration = new FilterRegistrationBean<>(new MalformedQueryFilter(json));
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE);
        return registration;
    }

    /** Only where the servlet container is Tomcat (every service today). */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(name = "org.springframework.boot.tomcat.ConfigurableTomcatWebServerFactory")
    static class Tomcat {
        @Bean
        TomcatArmConfiguration tomcatArmConfiguration() {
            return new TomcatArmConfiguration();
        }
    }

    @Bean
    FilterRegistrationBean<RequestBodyLimitFilter> requestBodyLimitFilter(ObjectMapper json,
            @Value("${cirrus.http.data-plane-max-request-body:" + RequestBodyLimitFilter.DATA_PLANE_LIMIT + "}")
            long dataPlaneLimit) {
        var registration = new FilterRegistrationBean<>(new RequestBodyLimitFilter(RequestBodyLimitFilter.ARM_LIMIT,
                dataPlaneLimit, json));
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 10);
        return registration;
    }
}
