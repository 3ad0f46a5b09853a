package dev.cirrus.computevm.batch.service;

import java.io.IOException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.cirrus.computevm.batch.BatchProperties;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * The account endpoint's own form: a call whose {@code Host} is {@code {account}.{region}.batch.{cirrus.batch.host-domain}}
 * (as Azure's clients call an account, e.g. {@code POST /pools}) is served as the path form
 * {@code /batch/{account}.{region}/pools}, with the path the client signed kept for {@link BatchAuthentication}. The
 * gateway rewrites such calls itself (its {@code batch/BatchTraffic}); this serves clients that reach compute-vm by
 * the account's host directly. Runs after the service credential check, so only callers the platform trusts get here.
 */
@Configuration(proxyBeanMethods = false)
class BatchHostForm {

    /** The request attribute with the path a client signed when its call came by the account's host. */
    static final String SIGNED_PATH = "dev.cirrus.computevm.batch.service.signedPath";

    @Bean
    FilterRegistrationBean<OncePerRequestFilter> batchHostFormFilter(BatchProperties properties) {
        Pattern host = Pattern.compile("([a-z0-9]{3,24}\\.[a-z0-9]{2,40})\\.batch\\." + Pattern.quote(properties.hostDomain()));
        var registration = new FilterRegistrationBean<OncePerRequestFilter>(new OncePerRequestFilter() {
            @Override
            protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
                    throws ServletException, IOException {
                String header = request.getHeader("Host");
                String name = header == null ? "" : header.replaceFirst(":\\d+$", "").toLowerCase(Locale.ROOT);
                Matcher m = host.matcher(name);
                String uri = request.getRequestURI();
                if (!m.matches() || uri.regionMatches(true, 0, "/batch/", 0, "/batch/".length())) {
                    chain.doFilter(request, response);
                    return;
                }
                request.setAttribute(SIGNED_PATH, uri.isEmpty() ? "/" : uri);
                request.getRequestDispatcher("/batch/" + m.group(1) + uri).forward(request, response);
            }
        });
        // after the service credential (HIGHEST_PRECEDENCE + 5) and the forwarded headers
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 50);
        return registration;
    }
}
