package dev.cirrus.gateway.portal;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The portal's live event view ({@code cirrus.portal.*}), checked at start-up.
 *
 * @param eventBuffer how many of the latest lifecycle events the gateway keeps in memory for the portal's event
 *                    stream (oldest dropped first); default 1000, 1 to 100,000
 */
@ConfigurationProperties("cirrus.portal")
public record PortalProperties(Integer eventBuffer) {

    public PortalProperties {
        eventBuffer = eventBuffer == null ? 1000 : eventBuffer;
        if (eventBuffer < 1 || eventBuffer > 100_000) {
            throw new IllegalArgumentException("cirrus.portal.event-buffer must be 1 to 100000, got " + eventBuffer);
        }
    }
}
