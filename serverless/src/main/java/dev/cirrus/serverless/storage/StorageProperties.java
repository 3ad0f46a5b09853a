package dev.cirrus.serverless.storage;

import java.net.URI;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

/**
 * {@code cirrus.storage.*}: storage accounts. Cirrus serves their management plane only; their data plane is
 * Azurite's (or another emulator's) at the endpoints below, each followed by {@code /{account}/} in
 * {@code primaryEndpoints}.
 *
 * @param endpoints    the data-plane base URLs (defaults: Azurite's well-known local ones)
 * @param listPageSize the most accounts on one page of a list (default 100; {@code nextLink} for more)
 */
@Validated
@ConfigurationProperties("cirrus.storage")
public record StorageProperties(@Valid Endpoints endpoints, @Min(1) @Max(1000) Integer listPageSize) {

    /**
     * @param blob  default {@code http://127.0.0.1:10000} (Azurite's blob service)
     * @param queue default {@code http://127.0.0.1:10001}
     * @param table default {@code http://127.0.0.1:10002}
     */
    public record Endpoints(URI blob, URI queue, URI table) {

        public Endpoints {
            blob = check("blob", blob == null ? URI.create("http://127.0.0.1:10000") : blob);
            queue = check("queue", queue == null ? URI.create("http://127.0.0.1:10001") : queue);
            table = check("table", table == null ? URI.create("http://127.0.0.1:10002") : table);
        }

        private static URI check(String name, URI url) {
            if (!"http".equalsIgnoreCase(url.getScheme()) && !"https".equalsIgnoreCase(url.getScheme())
                    || url.getHost() == null || url.getRawQuery() != null || url.getRawFragment() != null) {
                throw new IllegalArgumentException("cirrus.storage.endpoints." + name + "=" + url
                        + " must be an absolute http(s) URL without query or fragment");
            }
            return url;
        }

        /** {@code base/{account}/}, the shape of Azurite's path-style URLs. */
        static String of(URI base, String account) {
            String b = base.toString();
            return (b.endsWith("/") ? b : b + "/") + account + "/";
        }
    }

    public StorageProperties {
        endpoints = endpoints == null ? new Endpoints(null, null, null) : endpoints;
        listPageSize = listPageSize == null ? 100 : listPageSize;
    }
}
