package dev.cirrus.gateway.identity;

import java.util.Optional;

import org.springframework.web.server.ServerWebExchange;

/**
 * Who made an authenticated ARM call, from the claims of its bearer token.
 *
 * @param tenantId the token's {@code tid}
 * @param objectId the service principal's object id ({@code oid}): what role assignments name
 * @param appId    its application (client) id ({@code appid})
 */
public record Caller(String tenantId, String objectId, String appId) {

    private static final String ATTRIBUTE = Caller.class.getName();

    public void attachTo(ServerWebExchange exchange) {
        exchange.getAttributes().put(ATTRIBUTE, this);
    }

    public static Optional<Caller> of(ServerWebExchange exchange) {
        return Optional.ofNullable(exchange.getAttribute(ATTRIBUTE));
    }
}
