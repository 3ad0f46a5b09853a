package dev.cirrus.gateway.batch;

import java.util.Locale;
import java.util.regex.Pattern;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The Batch service API through the gateway ({@code cirrus.gateway.batch.*}), checked at start-up.
 *
 * @param hostDomain requests whose host is {@code {account}.{region}.batch.{hostDomain}} are calls of that account's
 *                   Batch service API; default {@code localhost}, compute-vm's own default
 *                   ({@code cirrus.batch.host-domain}), because {@code *.localhost} reaches loopback without DNS
 */
@ConfigurationProperties("cirrus.gateway.batch")
public record BatchProperties(String hostDomain) {

    private static final Pattern DOMAIN = Pattern.compile("[a-z0-9]([a-z0-9-]*[a-z0-9])?(\\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*");

    public BatchProperties {
        hostDomain = hostDomain == null ? "localhost" : hostDomain.strip().toLowerCase(Locale.ROOT);
        if (!DOMAIN.matcher(hostDomain).matches()) {
            throw new IllegalArgumentException("cirrus.gateway.batch.host-domain=" + hostDomain
                    + " is not a DNS domain (e.g. localhost or cirrus.example.com)");
        }
    }
}
