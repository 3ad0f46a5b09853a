package dev.cirrus.serverless.workflow;

import java.net.URI;
import java.time.Duration;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

/**
 * {@code cirrus.logic.*}: Logic Apps workflows.
 *
 * @param callbackBaseUrl the base of the trigger callback URLs and of {@code accessEndpoint}: the gateway as clients
 *                        reach it (default {@code http://127.0.0.1:8080}); the gateway routes
 *                        {@code /workflows/**} to serverless without a bearer token (the {@code sig} is the credential)
 * @param listPageSize    the most workflows, runs or histories on one page (default 100; {@code nextLink} for more)
 * @param workers         the engine's worker threads, each executing one action at a time (default 4)
 * @param pollInterval    how often an idle worker looks for runnable actions (default 200ms; a new run wakes them)
 * @param actionLease     how long an external action (Http, Function) may stay started before a worker takes it for
 *                        interrupted by a crash (default 5m; it is then retried only if its retry policy allows)
 * @param syncResponseTimeout how long a Request trigger's caller waits for a Response action (default 120s,
 *                        Azure's limit) before the run goes on and the caller gets 202
 */
@Validated
@ConfigurationProperties("cirrus.logic")
public record LogicProperties(URI callbackBaseUrl, @Min(1) @Max(1000) Integer listPageSize,
                              @Min(1) @Max(64) Integer workers, Duration pollInterval, Duration actionLease,
                              Duration syncResponseTimeout) {

    public LogicProperties {
        callbackBaseUrl = callbackBaseUrl == null ? URI.create("http://127.0.0.1:8080") : callbackBaseUrl;
        if (!"http".equalsIgnoreCase(callbackBaseUrl.getScheme()) && !"https".equalsIgnoreCase(callbackBaseUrl.getScheme())
                || callbackBaseUrl.getHost() == null || callbackBaseUrl.getRawQuery() != null) {
            throw new IllegalArgumentException("cirrus.logic.callback-base-url=" + callbackBaseUrl
                    + " must be an absolute http(s) URL without a query");
        }
        listPageSize = listPageSize == null ? 100 : listPageSize;
        workers = workers == null ? 4 : workers;
        pollInterval = pollInterval == null ? Duration.ofMillis(200) : pollInterval;
        actionLease = actionLease == null ? Duration.ofMinutes(5) : actionLease;
        syncResponseTimeout = syncResponseTimeout == null ? Duration.ofSeconds(120) : syncResponseTimeout;
        if (pollInterval.isNegative() || pollInterval.isZero() || actionLease.isNegative() || actionLease.isZero()
                || syncResponseTimeout.isNegative()) {
            throw new IllegalArgumentException("cirrus.logic durations must be positive");
        }
    }

    /** The base without a trailing slash. */
    public String base() {
        String b = callbackBaseUrl.toString();
        return b.endsWith("/") ? b.substring(0, b.length() - 1) : b;
    }
}
