package dev.cirrus.plumbing.arm;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.cirrus.contracts.arm.NextLink;
import dev.cirrus.contracts.arm.PageRequest;
import dev.cirrus.contracts.arm.SkipToken;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.web.context.request.RequestContextHolder;
import org.springframework.web.context.request.ServletRequestAttributes;
import org.springframework.web.servlet.support.ServletUriComponentsBuilder;

/**
 * The one paging scheme of the servlet services, read from and written to the current request: {@code $top} and
 * {@code $skiptoken} (any casing: {@code $skipToken} is also sent) into a {@link PageRequest}, and the
 * {@code nextLink} of a page that has more after it. Links are absolute and built after {@code X-Forwarded-*} has
 * been applied, so behind the gateway they point at the gateway.
 *
 * <pre>
 *   PageRequest page = ArmPaging.request(maxPageSize);
 *   List&lt;Row&gt; rows = repository.list(..., page.after(), page.size() + 1);   // one more: is there a next page?
 *   if (rows.size() &gt; page.size()) body.put("nextLink", ArmPaging.nextLink(rows.get(page.size() - 1).key()));
 * </pre>
 */
public final class ArmPaging {

    private ArmPaging() {
    }

    /** The current request's page; 400 for a {@code $top} or {@code $skiptoken} that is not valid. */
    public static PageRequest request(int maxPageSize) {
        return request(current(), maxPageSize);
    }

    public static PageRequest request(HttpServletRequest request, int maxPageSize) {
        return PageRequest.of(parameter(request, PageRequest.TOP), parameter(request, SkipToken.PARAMETER),
                maxPageSize);
    }

    /** The current request's URL with {@code $skiptoken} set to the token of {@code position}. */
    public static String nextLink(String position) {
        return nextLink(current(), position);
    }

    public static String nextLink(HttpServletRequest request, String position) {
        Map<String, List<String>> parameters = new LinkedHashMap<>();
        request.getParameterMap().forEach((name, values) -> parameters.put(name, Arrays.asList(values)));
        String url = ServletUriComponentsBuilder.fromRequestUri(request).replaceQuery(null).build(true).toUriString();
        return NextLink.of(url, parameters, SkipToken.encode(position));
    }

    /** A query parameter's first value, its name matched case-insensitively; null when absent. */
    public static String parameter(HttpServletRequest request, String name) {
        String exact = request.getParameter(name);
        if (exact != null) {
            return exact;
        }
        for (Map.Entry<String, String[]> p : request.getParameterMap().entrySet()) {
            if (p.getKey().equalsIgnoreCase(name) && p.getValue().length > 0) {
                return p.getValue()[0];
            }
        }
        return null;
    }

    private static HttpServletRequest current() {
        return ((ServletRequestAttributes) RequestContextHolder.currentRequestAttributes()).getRequest();
    }
}
