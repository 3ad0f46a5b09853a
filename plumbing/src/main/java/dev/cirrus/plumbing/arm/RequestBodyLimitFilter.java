package dev.cirrus.plumbing.arm;

import java.io.IOException;

import dev.cirrus.contracts.arm.ArmError;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.web.filter.OncePerRequestFilter;
import tools.jackson.databind.ObjectMapper;

/**
 * Refuses request bodies over a limit with 413: at once when Content-Length says so, and while reading when the body
 * is chunked. ARM requests (paths under {@code /subscriptions}, {@code /providers} or {@code /tenants}) have ARM's
 * limit, 4 MB; data-plane requests (a function's HTTP trigger, a zip deploy) have their own, larger limit.
 */
public class RequestBodyLimitFilter extends OncePerRequestFilter {

    /** ARM's documented maximum request body. */
    public static final long ARM_LIMIT = 4L * 1024 * 1024;
    /** The data plane's default: Azure Functions' HTTP trigger takes request bodies up to 100 MB. */
    public static final long DATA_PLANE_LIMIT = 100L * 1024 * 1024;

    private final long armLimit;
    private final long dataPlaneLimit;
    private final ObjectMapper json;

    public RequestBodyLimitFilter(long limit, ObjectMapper json) {
        this(limit, limit, json);
    }

    public RequestBodyLimitFilter(long armLimit, long dataPlaneLimit, ObjectMapper json) {
        this.armLimit = armLimit;
        this.dataPlaneLimit = dataPlaneLimit;
        this.json = json;
    }

    static boolean isArm(String path) {
        String p = path == null ? "" : path.toLowerCase(java.util.Locale.ROOT);
        return p.startsWith("/subscriptions") || p.startsWith("/providers") || p.startsWith("/tenants");
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        long limit = isArm(request.getRequestURI()) ? armLimit : dataPlaneLimit;
        long declared = request.getContentLengthLong();
        if (declared > limit) {
            response.setStatus(413);
            response.setContentType("application/json");
            json.writeValue(response.getOutputStream(),
                    new ArmError("RequestEntityTooLarge", new RequestTooLargeException(limit).getMessage(), null).body());
            return;
        }
        chain.doFilter(new Limited(request, limit), response);
    }

    private static final class Limited extends HttpServletRequestWrapper {
        private final long limit;
        private ServletInputStream stream;

        Limited(HttpServletRequest request, long limit) {
            super(request);
            this.limit = limit;
        }

        @Override
        public ServletInputStream getInputStream() throws IOException {
            if (stream == null) {
                ServletInputStream in = super.getInputStream();
                stream = new ServletInputStream() {
                    private long count;

                    @Override
                    public int read() throws IOException {
                        int b = in.read();
                        if (b >= 0 && ++count > limit) {
                            throw new RequestTooLargeException(limit);
                        }
                        return b;
                    }

                    @Override
                    public int read(byte[] buf, int off, int len) throws IOException {
                        int n = in.read(buf, off, len);
                        if (n > 0 && (count += n) > limit) {
                            throw new RequestTooLargeException(limit);
                        }
                        return n;
                    }

                    @Override
                    public boolean isFinished() {
                        return in.isFinished();
                    }

                    @Override
                    public boolean isReady() {
                        return in.isReady();
                    }

                    @Override
                    public void setReadListener(ReadListener listener) {
                        in.setReadListener(listener);
                    }
                };
            }
            return stream;
        }
    }
}
