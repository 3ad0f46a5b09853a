package dev.cirrus.gateway.routing;

import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Where each service the gateway routes to listens: {@code cirrus.gateway.services.<module>} (e.g.
 * {@code cirrus.gateway.services.compute-vm=http://127.0.0.1:8081}). Every one is required and must be an absolute
 * http(s) URL of a host, with nothing after the port: the gateway forwards the client's path unchanged, so a path
 * here would be silently ignored. Checked at start-up.
 */
@ConfigurationProperties("cirrus.gateway.services")
public record ServiceEndpoints(URI computeVm, URI computeContainer, URI appService, URI serverless, URI billing) {

    public ServiceEndpoints {
        List<String> problems = new ArrayList<>();
        check(problems, "compute-vm", computeVm);
        check(problems, "compute-container", computeContainer);
        check(problems, "app-service", appService);
        check(problems, "serverless", serverless);
        check(problems, "billing", billing);
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException("invalid cirrus.gateway.services: " + String.join("; ", problems));
        }
    }

    /** Module name to base URL, in a stable order. */
    public Map<String, URI> byModule() {
        Map<String, URI> all = new LinkedHashMap<>();
        all.put("compute-vm", computeVm);
        all.put("compute-container", computeContainer);
        all.put("app-service", appService);
        all.put("serverless", serverless);
        all.put("billing", billing);
        return all;
    }

    private static void check(List<String> problems, String module, URI url) {
        String key = "cirrus.gateway.services." + module;
        if (url == null) {
            problems.add(key + " is required (the base URL of the " + module + " service)");
            return;
        }
        String scheme = url.getScheme();
        if (!"http".equalsIgnoreCase(scheme) && !"https".equalsIgnoreCase(scheme) || url.getHost() == null) {
            problems.add(key + "=" + url + " must be an absolute http(s) URL with a host");
        } else if ((url.getRawPath() != null && !url.getRawPath().isEmpty() && !url.getRawPath().equals("/"))
                || url.getRawQuery() != null || url.getRawFragment() != null) {
            problems.add(key + "=" + url + " must not have a path, query or fragment (the client's path is forwarded)");
        }
    }
}
