package dev.cirrus.serverless.trigger.http;

import java.io.IOException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.cirrus.serverless.runtime.FunctionsProperties;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Requests whose host (after {@code X-Forwarded-Host}) is {@code {app}.azurewebsites.{hostDomain}} are an app's
 * HTTP triggers: {@code /api/hello} on that host is served as {@code /functions/{app}/api/hello}. The deployment
 * (scm) host {@code {app}.scm.azurewebsites.{hostDomain}} is served under {@code /functions/{app}/scm}: its
 * {@code /api/zipdeploy} is Kudu's zip deploy.
 */
@Component
@Order(Ordered.LOWEST_PRECEDENCE - 10)
class AppHostFilter extends OncePerRequestFilter {

    private final Pattern host;

    AppHostFilter(FunctionsProperties properties) {
        this.host = Pattern.compile("([a-z0-9][a-z0-9-]{0,58})(\\.scm)?\\.azurewebsites\\."
                + Pattern.quote(properties.hostDomain().toLowerCase(Locale.ROOT)));
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        Matcher matcher = host.matcher(request.getServerName().toLowerCase(Locale.ROOT));
        if (!matcher.matches() || request.getRequestURI().startsWith(HttpTriggerController.PREFIX)) {
            chain.doFilter(request, response);
            return;
        }
        String base = HttpTriggerController.PREFIX + matcher.group(1) + (matcher.group(2) == null ? "" : "/scm");
        String uri = base + request.getRequestURI();
        String servletPath = base + request.getServletPath();
        chain.doFilter(new HttpServletRequestWrapper(request) {
            @Override
            public String getRequestURI() {
                return uri;
            }

            @Override
            public String getServletPath() {
                return servletPath;
            }
        }, response);
    }
}
