package dev.cirrus.plumbing.security;

import java.io.IOException;

import dev.cirrus.contracts.arm.ArmError;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.web.filter.OncePerRequestFilter;
import tools.jackson.databind.ObjectMapper;

/**
 * Refuses every call that does not carry the platform's {@link ServiceCredential} with 401 and an ARM error body
 * ({@code AuthenticationFailed}): behind the gateway, only the gateway and the other services may call. The health
 * endpoints ({@code /actuator/health} and below) stay open for the launcher's and the orchestrators' probes.
 */
public class ServiceCredentialFilter extends OncePerRequestFilter {

    private final ServiceCredential credential;
    private final ObjectMapper json;

    public ServiceCredentialFilter(ServiceCredential credential, ObjectMapper json) {
        this.credential = credential;
        this.json = json;
    }

    /**
     * The health endpoint and its groups, matched on the raw request URI and strictly (letters, digits, {@code -} and
     * {@code _} only): no {@code ..}, {@code ;} or percent-encoding can make another path look like a probe.
     */
    private static final java.util.regex.Pattern PROBE =
            java.util.regex.Pattern.compile("/actuator/health(/[A-Za-z0-9_-]+)*");

    static boolean isProbe(String rawPath) {
        return rawPath != null && PROBE.matcher(rawPath).matches();
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        if (isProbe(request.getRequestURI()) || credential.matchesOnly(request.getHeaders(ServiceCredential.HEADER))) {
            chain.doFilter(request, response);
            return;
        }
        response.setStatus(HttpServletResponse.SC_UNAUTHORIZED);
        response.setContentType("application/json");
        json.writeValue(response.getOutputStream(), new ArmError("AuthenticationFailed",
                "This service answers only calls through the Cirrus gateway: the call carries no valid service "
                        + "credential. Send it to the gateway instead.", null).body());
    }
}
