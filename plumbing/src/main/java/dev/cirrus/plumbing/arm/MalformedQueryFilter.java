package dev.cirrus.plumbing.arm;

import java.io.IOException;

import dev.cirrus.contracts.arm.ArmError;
import dev.cirrus.contracts.arm.QueryEncoding;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.web.filter.OncePerRequestFilter;
import tools.jackson.databind.ObjectMapper;

/**
 * Refuses a query string that is not valid percent-encoded UTF-8 before anything reads a parameter: {@code ?x=%ZZ}
 * (not a percent-escape), {@code ?x=%FF} (not UTF-8), {@code $skiptoken=%C3} (cut short) are 400
 * {@code InvalidParameter} naming the parameter, as an ARM error body. Without it the servlet container would drop
 * or garble such parameters, or fail on them with a 500. The rule itself is {@link QueryEncoding}.
 */
class MalformedQueryFilter extends OncePerRequestFilter {

    private final ObjectMapper json;

    MalformedQueryFilter(ObjectMapper json) {
        this.json = json;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String query = request.getQueryString();
        ArmError error = QueryEncoding.check(query).orElse(null);
        if (error != null) {
            response.setStatus(400);
            response.setContentType("application/json");
            json.writeValue(response.getOutputStream(), error.body());
            return;
        }
        chain.doFilter(request, response);
    }
}
