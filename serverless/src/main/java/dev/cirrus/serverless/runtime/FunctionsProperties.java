package dev.cirrus.serverless.runtime;

import java.time.Duration;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

/**
 * {@code cirrus.functions.*}: how the Functions host runs instances.
 *
 * @param maxInstancesPerApp   most instances of one app (default 200: Azure's Windows consumption plan)
 * @param scaleOutInterval     least time between two new instances of one app: the bounded scale-out rate
 *                             (default 10ms, 100 new instances per second)
 * @param idleTimeout          an instance unused this long goes away; an app with none is scaled to zero
 *                             (default 5m)
 * @param instanceWait         how long a call waits for an instance when the app is at its maximum (default 30s)
 * @param maxMemoryMb          most memory one execution may allocate (default 1536: the consumption plan's 1.5 GB)
 * @param definitionCacheTtl   how long a replica trusts its cached copy of an app changed by another replica
 *                             (default 2s; changes made through this replica apply at once)
 * @param hostDomain           apps answer to the Host {@code {app}.azurewebsites.{hostDomain}} (default
 *                             {@code localhost}: {@code *.localhost} resolves to loopback with no DNS)
 * @param httpResponseCap      an HTTP-triggered execution is stopped after this (default 230s: Azure's load balancer)
 * @param timerPollInterval    how often timer schedules are checked (default 1s: NCRONTAB's resolution)
 * @param triggerRefresh       how often timer and Kafka triggers are re-read from the database (default 2s)
 * @param kafkaMaxAttempts     attempts of one Kafka message before it goes to {@code {topic}-poison} (default 5,
 *                             like the queue trigger's maxDequeueCount)
 * @param kafkaRetryBackoff    pause before the first retry of a Kafka message, doubled before each next one
 *                             (default 200ms)
 * @param kafkaRetryMaxBackoff the longest pause between two attempts (default 30s)
 * @param publicScheme         the scheme of the apps' URLs as clients reach them ({@code defaultHostName},
 *                             {@code invoke_url_template}, {@code trigger_url}); default {@code http}
 * @param publicPort           the port of those URLs: the gateway's (default 8080; the launcher and compose set it);
 *                             left out of the URLs when it is the scheme's default
 * @param listPageSize         the most apps on one page of a sites list (default 100; {@code nextLink} for more)
 * @param maxOutputMb          the largest output an execution may hand back (its response, return value and
 *                             bindings as JSON), in MB; default 0 = derived from this JVM's heap (a sixteenth of it,
 *                             at most 100 MB: the output is copied about six times on its way to the client), so
 *                             that an output never exhausts the heap it is copied in (10 MB with the local run's
 *                             160 MB heap)
 */
@Validated
@ConfigurationProperties("cirrus.functions")
public record FunctionsProperties(
        @Min(1) @Max(10000) Integer maxInstancesPerApp,
        Duration scaleOutInterval,
        Duration idleTimeout,
        Duration instanceWait,
        @Min(16) @Max(16384) Integer maxMemoryMb,
        Duration definitionCacheTtl,
        @NotBlank String hostDomain,
        Duration httpResponseCap,
        Duration timerPollInterval,
        Duration triggerRefresh,
        @Min(1) @Max(100) Integer kafkaMaxAttempts,
        Duration kafkaRetryBackoff,
        Duration kafkaRetryMaxBackoff,
        @Pattern(regexp = "https?") String publicScheme,
        @Min(0) @Max(65535) Integer publicPort,
        @Min(1) @Max(1000) Integer listPageSize,
        @Min(0) @Max(1024) Integer maxOutputMb) {

    public FunctionsProperties {
        maxInstancesPerApp = maxInstancesPerApp == null ? 200 : maxInstancesPerApp;
        scaleOutInterval = scaleOutInterval == null ? Duration.ofMillis(10) : scaleOutInterval;
        idleTimeout = idleTimeout == null ? Duration.ofMinutes(5) : idleTimeout;
        instanceWait = instanceWait == null ? Duration.ofSeconds(30) : instanceWait;
        maxMemoryMb = maxMemoryMb == null ? 1536 : maxMemoryMb;
        definitionCacheTtl = definitionCacheTtl == null ? Duration.ofSeconds(2) : definitionCacheTtl;
        hostDomain = hostDomain == null ? "localhost" : hostDomain;
        httpResponseCap = httpResponseCap == null ? Duration.ofSeconds(230) : httpResponseCap;
        timerPollInterval = timerPollInterval == null ? Duration.ofSeconds(1) : timerPollInterval;
        triggerRefresh = triggerRefresh == null ? Duration.ofSeconds(2) : triggerRefresh;
        kafkaMaxAttempts = kafkaMaxAttempts == null ? 5 : kafkaMaxAttempts;
        kafkaRetryBackoff = kafkaRetryBackoff == null ? Duration.ofMillis(200) : kafkaRetryBackoff;
        kafkaRetryMaxBackoff = kafkaRetryMaxBackoff == null ? Duration.ofSeconds(30) : kafkaRetryMaxBackoff;
        publicScheme = publicScheme == null ? "http" : publicScheme;
        publicPort = publicPort == null ? 8080 : publicPort;
        listPageSize = listPageSize == null ? 100 : listPageSize;
        maxOutputMb = maxOutputMb == null ? 0 : maxOutputMb;
        for (Duration d : new Duration[] {scaleOutInterval, idleTimeout, instanceWait, definitionCacheTtl,
                httpResponseCap, timerPollInterval, triggerRefresh, kafkaRetryBackoff, kafkaRetryMaxBackoff}) {
            if (d.isNegative()) {
                throw new IllegalArgumentException("cirrus.functions durations must not be negative: " + d);
            }
        }
    }

    /** The most bytes an execution's output may take: {@code maxOutputMb}, or a sixteenth of the heap (at most 100 MB). */
    public long maxOutputBytes() {
        if (maxOutputMb > 0) {
            return maxOutputMb * 1024L * 1024L;
        }
        return Math.max(1024L * 1024L, Math.min(100L * 1024 * 1024, Runtime.getRuntime().maxMemory() / 16));
    }

    /** The retry policy of a Kafka-triggered function whose function.json has no {@code retry}. */
    public dev.cirrus.serverless.function.RetryPolicy defaultKafkaRetry() {
        return new dev.cirrus.serverless.function.RetryPolicy(kafkaMaxAttempts, kafkaRetryBackoff,
                kafkaRetryMaxBackoff.compareTo(kafkaRetryBackoff) < 0 ? kafkaRetryBackoff : kafkaRetryMaxBackoff);
    }
}
