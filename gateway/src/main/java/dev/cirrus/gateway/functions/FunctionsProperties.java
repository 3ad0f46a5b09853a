package dev.cirrus.gateway.functions;

import java.time.Duration;
import java.util.regex.Pattern;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.util.unit.DataSize;

/**
 * The Functions data plane through the gateway ({@code cirrus.gateway.functions.*}), checked at start-up.
 *
 * @param hostDomain      requests whose host is {@code {app}.azurewebsites.{hostDomain}} are the app's HTTP triggers;
 *                        default {@code localhost}, serverless's own default, because {@code *.localhost} reaches
 *                        loopback in browsers and curl without any DNS entry
 * @param responseTimeout how long the gateway waits for a function's answer; default 230 s, the cap Azure's front
 *                        end puts on an HTTP-triggered function whatever its {@code functionTimeout}
 * @param maxRequestBody  the largest request body a function receives; default 100 MB, Azure Functions'
 *                        {@code maxRequestBodySize} (ARM's 4 MB limit is for management calls only)
 */
@ConfigurationProperties("cirrus.gateway.functions")
public record FunctionsProperties(String hostDomain, Duration responseTimeout, DataSize maxRequestBody) {

    private static final Pattern DOMAIN = Pattern.compile("[a-z0-9]([a-z0-9-]*[a-z0-9])?(\\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*");

    public FunctionsProperties {
        hostDomain = hostDomain == null ? "localhost" : hostDomain.strip().toLowerCase(java.util.Locale.ROOT);
        responseTimeout = responseTimeout == null ? Duration.ofSeconds(230) : responseTimeout;
        maxRequestBody = maxRequestBody == null ? DataSize.ofMegabytes(100) : maxRequestBody;
        if (!DOMAIN.matcher(hostDomain).matches()) {
            throw new IllegalArgumentException("cirrus.gateway.functions.host-domain=" + hostDomain
                    + " is not a DNS domain (e.g. localhost or cirrus.example.com)");
        }
        if (responseTimeout.isNegative() || responseTimeout.isZero()) {
            throw new IllegalArgumentException("cirrus.gateway.functions.response-timeout must be positive");
        }
        if (maxRequestBody.toBytes() <= 0) {
            throw new IllegalArgumentException("cirrus.gateway.functions.max-request-body must be positive");
        }
    }
}
