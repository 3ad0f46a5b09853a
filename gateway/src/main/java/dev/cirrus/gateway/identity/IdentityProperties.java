package dev.cirrus.gateway.identity;

import java.time.Duration;
import java.util.List;
import java.util.Locale;

import dev.cirrus.gateway.arm.ArmPath;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The identities Cirrus creates on first start ({@code cirrus.gateway.identity.*}). Each is optional: what is not
 * configured is taken from {@code credentials.json} in the data folder when it exists (so a restart keeps the same
 * tenant, subscription and secret), else generated.
 *
 * @param tenantId          the default tenant (a GUID)
 * @param subscriptionId    the default subscription (a GUID)
 * @param adminClientId     the administrator service principal's application (client) id (a GUID)
 * @param adminClientSecret its secret
 * @param tokenLifetime     default 1h: what Microsoft Entra ID gives an application token
 * @param audiences         token audiences accepted besides Azure's management endpoints and the gateway's own
 *                          address (e.g. a public URL behind an ingress)
 */
@ConfigurationProperties("cirrus.gateway.identity")
public record IdentityProperties(String tenantId, String subscriptionId, String adminClientId,
                                 String adminClientSecret, Duration tokenLifetime, List<String> audiences) {

    public IdentityProperties {
        tenantId = guid("tenant-id", tenantId);
        subscriptionId = guid("subscription-id", subscriptionId);
        adminClientId = guid("admin-client-id", adminClientId);
        if (adminClientSecret != null && adminClientSecret.isBlank()) {
            adminClientSecret = null;
        }
        tokenLifetime = tokenLifetime == null ? Duration.ofHours(1) : tokenLifetime;
        if (tokenLifetime.isNegative() || tokenLifetime.isZero()) {
            throw new IllegalArgumentException("cirrus.gateway.identity.token-lifetime must be positive");
        }
        audiences = audiences == null ? List.of() : List.copyOf(audiences);
    }

    private static String guid(String name, String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        if (!ArmPath.isGuid(value.strip())) {
            throw new IllegalArgumentException("cirrus.gateway.identity." + name + "=" + value + " is not a GUID");
        }
        return value.strip().toLowerCase(Locale.ROOT);
    }
}
