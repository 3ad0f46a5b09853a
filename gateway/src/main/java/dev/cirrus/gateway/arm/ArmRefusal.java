package dev.cirrus.gateway.arm;

import dev.cirrus.plumbing.arm.ArmException;
import org.springframework.http.HttpHeaders;

/** An ARM error that carries response headers of its own (WWW-Authenticate on a 401, Retry-After on a 429). */
public class ArmRefusal extends ArmException {

    private final HttpHeaders headers;

    public ArmRefusal(int status, String code, String message, HttpHeaders headers) {
        super(status, code, message, null);
        this.headers = HttpHeaders.readOnlyHttpHeaders(headers);
    }

    public HttpHeaders headers() {
        return headers;
    }
}
