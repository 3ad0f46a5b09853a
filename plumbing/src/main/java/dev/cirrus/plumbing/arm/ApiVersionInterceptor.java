package dev.cirrus.plumbing.arm;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;

import dev.cirrus.contracts.arm.ApiVersion;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.servlet.HandlerInterceptor;

/**
 * Every ARM call a servlet service answers ({@code /subscriptions/...} and {@code /providers/...}, mapped to one
 * of its controllers) carries a well-formed {@code api-version}: missing → 400 MissingApiVersionParameter, malformed →
 * 400 InvalidApiVersionParameter, before any other check. The gateway checks the same rule; services check again
 * because they are reachable directly. Health probes, non-ARM endpoints and unknown paths are left alone.
 */
class ApiVersionInterceptor implements HandlerInterceptor {

    @Override
    public boolean preHandle(HttpServletRequest request, HttpServletResponse response, Object handler) {
        if (handler instanceof HandlerMethod && isArmPath(request.getRequestURI())) {
            String[] values = request.getParameterValues(ApiVersion.PARAMETER);
            ApiVersion.check(values == null ? List.of() : Arrays.asList(values)).ifPresent(error -> {
                throw new ArmException(400, error.code(), error.message(), error.target());
            });
        }
        return true;
    }

    static boolean isArmPath(String path) {
        String p = path.toLowerCase(Locale.ROOT);
        return p.startsWith("/subscriptions/") || p.startsWith("/providers/");
    }
}
