package dev.cirrus.gateway.resourceindex;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import dev.cirrus.gateway.arm.ArmRequests;
import dev.cirrus.gateway.support.Blocking;
import dev.cirrus.plumbing.arm.ArmException;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.util.UriComponentsBuilder;
import reactor.core.publisher.Mono;

/**
 * {@code GET /subscriptions/{sub}/resources} and {@code GET /subscriptions/{sub}/resourceGroups/{rg}/resources}
 * from the {@link ResourceIndex}: {@code {"value":[{id, name, type, location, kind?, tags}], "nextLink"?}} in id
 * order, with ARM's {@code $filter} forms ({@link ResourceFilter}), {@code $top} (1 to 1000, default 1000) and
 * {@code $skiptoken} paging through {@code nextLink}.
 */
@RestController
class ResourcesController {

    private static final int MAX_TOP = 1000;

    private final ResourceIndex index;

    ResourcesController(ResourceIndex index) {
        this.index = index;
    }

    @GetMapping("/subscriptions/{subscriptionId}/resources")
    Mono<Map<String, Object>> inSubscription(@PathVariable String subscriptionId, ServerHttpRequest request) {
        return list(subscriptionId, null, request);
    }

    @GetMapping("/subscriptions/{subscriptionId}/resourcegroups/{resourceGroupName}/resources")
    Mono<Map<String, Object>> inGroup(@PathVariable String subscriptionId, @PathVariable String resourceGroupName,
                                      ServerHttpRequest request) {
        return list(subscriptionId, resourceGroupName, request);
    }

    private Mono<Map<String, Object>> list(String subscriptionId, String group, ServerHttpRequest request) {
        ResourceFilter filter = ResourceFilter.parse(ArmRequests.queryValue(request, "$filter"));
        int top = MAX_TOP;
        String topValue = ArmRequests.queryValue(request, "$top");
        if (topValue != null) {
            try {
                top = Integer.parseInt(topValue);
            } catch (NumberFormatException e) {
                top = -1;
            }
            if (top < 1 || top > MAX_TOP) {
                throw ArmException.badRequest("InvalidTopInQueryString", "The value '" + topValue
                        + "' of $top is invalid: use 1 to " + MAX_TOP + ".", "$top");
            }
        }
        String after = null;
        String skip = ArmRequests.queryValue(request, "$skiptoken");
        if (skip != null) {
            try {
                after = new String(Base64.getUrlDecoder().decode(skip), StandardCharsets.UTF_8);
            } catch (IllegalArgumentException e) {
                throw ArmException.badRequest("InvalidSkipToken", "The $skiptoken is invalid.", "$skiptoken");
            }
        }
        String from = after;
        int pageSize = top;
        return Blocking.call(() -> {
            List<ResourceIndex.Entry> page = index.listFiltered(subscriptionId, group, filter, from, pageSize + 1);
            boolean more = page.size() > pageSize;
            List<ResourceIndex.Entry> shown = more ? page.subList(0, pageSize) : page;
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("value", shown.stream().map(ResourcesController::shape).toList());
            if (more) {
                String token = Base64.getUrlEncoder().withoutPadding().encodeToString(
                        shown.getLast().id().toLowerCase(Locale.ROOT).getBytes(StandardCharsets.UTF_8));
                body.put("nextLink", UriComponentsBuilder.fromUri(request.getURI()).replaceQueryParam("$skiptoken",
                        token).build().toUriString());
            }
            return body;
        });
    }

    private static Map<String, Object> shape(ResourceIndex.Entry e) {
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("id", e.id());
        r.put("name", e.name());
        r.put("type", e.type());
        if (e.kind() != null) {
            r.put("kind", e.kind());
        }
        r.put("location", e.location());
        r.put("tags", e.tags());
        return r;
    }
}
