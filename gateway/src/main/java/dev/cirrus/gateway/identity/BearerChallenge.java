package dev.cirrus.gateway.identity;

import dev.cirrus.gateway.arm.ArmRefusal;
import org.springframework.http.HttpHeaders;
import org.springframework.web.server.ServerWebExchange;

/**
 * ARM's 401 for a token it does not take: the error body and
 * {@code WWW-Authenticate: Bearer authorization_uri="<authority>/", error="invalid_token", error_description="…"}
 * (the authority is the gateway's address as the request reached it).
 */
public final class BearerChallenge {

    private BearerChallenge() {
    }

    public static ArmRefusal refusal(ServerWebExchange exchange, String code, String message, String description) {
        HttpHeaders headers = new HttpHeaders();
        headers.set(HttpHeaders.WWW_AUTHENTICATE, "Bearer authorization_uri=\""
                + TokenController.baseUrl(exchange) + "/\", error=\"invalid_token\", error_description=\""
                + description.replace("\"", "'").replace("\r", " ").replace("\n", " ") + "\"");
        return new ArmRefusal(401, code, message, headers);
    }
}
