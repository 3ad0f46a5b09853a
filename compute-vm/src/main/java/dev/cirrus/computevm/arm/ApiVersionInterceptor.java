package dev.cirrus.computevm.arm;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.servlet.HandlerInterceptor;
import org.springframework.web.servlet.config.annotation.InterceptorRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/**
 * Every ARM call of this service carries {@code api-version}: missing gives 400 MissingApiVersionParameter,
 * malformed 400 InvalidApiVersionParameter, before any other check. The gateway checks it too; this service checks
 * again because it is also reachable directly. Health probes and unknown paths are not ARM calls and are left alone.
 */
@Configuration(proxyBeanMethods = false)
class ApiVersionInterceptor implements HandlerInterceptor, WebMvcConfigurer {

    private static final String ARM_PACKAGE = "dev.cirrus.computevm";

    @Override
    public boolean preHandle(HttpServletRequest request, HttpServletResponse response, Object handler) {
        if (handler instanceof HandlerMethod method && method.getBeanType().getPackageName().startsWith(ARM_PACKAGE)) {
            ArmRequests.requireApiVersion(request.getParameter("api-version"));
        }
        return true;
    }

    @Override
    public void addInterceptors(InterceptorRegistry registry) {
        registry.addInterceptor(this);
    }
}
