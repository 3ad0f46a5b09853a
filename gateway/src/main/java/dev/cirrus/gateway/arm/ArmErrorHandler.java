package dev.cirrus.gateway.arm;

import java.util.stream.Collectors;

import dev.cirrus.contracts.arm.ArmError;
import dev.cirrus.contracts.arm.ArmErrorException;
import dev.cirrus.plumbing.arm.ArmException;
import dev.cirrus.plumbing.arm.DependencyFailureException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.annotation.Order;
import org.springframework.core.io.buffer.DataBufferLimitException;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.QueryTimeoutException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.InvalidMediaTypeException;
import org.springframework.http.MediaType;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.jdbc.CannotGetJdbcConnectionException;
import org.springframework.stereotype.Component;
import org.springframework.transaction.CannotCreateTransactionException;
import org.springframework.web.server.MethodNotAllowedException;
import org.springframework.web.server.NotAcceptableStatusException;
import org.springframework.web.server.ResponseStatusException;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.ServerWebInputException;
import org.springframework.web.server.UnsupportedMediaTypeStatusException;
import org.springframework.web.server.WebExceptionHandler;
import reactor.core.publisher.Mono;
import tools.jackson.databind.ObjectMapper;

/**
 * Every failure the gateway itself produces becomes an ARM error body {@code {"error":{"code","message","target"}}}
 * with the status ARM uses: never Spring's error JSON, never a stack trace. Ordered before Spring Boot's own
 * handler (-1). Errors that services answer with are not failures here: they pass through unchanged.
 */
@Component
@Order(-2)
public class ArmErrorHandler implements WebExceptionHandler {

    private static final Logger log = LoggerFactory.getLogger(ArmErrorHandler.class);

    private final ObjectMapper json;

    ArmErrorHandler(ObjectMapper json) {
        this.json = json;
    }

    @Override
    public Mono<Void> handle(ServerWebExchange exchange, Throwable ex) {
        ServerHttpResponse response = exchange.getResponse();
        if (response.isCommitted()) {
            log.debug("failure after the response was committed: {}", ex.toString());
            return Mono.error(ex);
        }
        HttpHeaders extra = new HttpHeaders();
        ArmFailure failure = classify(ex, extra);
        response.getHeaders().clear();
        response.getHeaders().addAll(extra);
        response.getHeaders().setContentType(MediaType.APPLICATION_JSON);
        if (mayHaveUnreadBody(exchange)) {
            // an answer given before the request's body was read: the client's next request goes on a new connection
            // rather than behind the rest of a body nobody wants (a bodiless request keeps its connection)
            response.getHeaders().set(HttpHeaders.CONNECTION, "close");
        }
        response.setStatusCode(HttpStatusCode.valueOf(failure.status()));
        byte[] body = json.writeValueAsBytes(failure.error().body());
        response.getHeaders().setContentLength(body.length);
        return response.writeWith(Mono.fromSupplier(() -> response.bufferFactory().wrap(body)));
    }

    private static boolean mayHaveUnreadBody(ServerWebExchange exchange) {
        HttpHeaders headers = exchange.getRequest().getHeaders();
        return headers.getContentLength() > 0 || headers.containsHeader(HttpHeaders.TRANSFER_ENCODING);
    }

    record ArmFailure(int status, ArmError error) {
    }

    private static ArmFailure classify(Throwable ex, HttpHeaders extra) {
        if (ex instanceof ArmRefusal r) {
            extra.addAll(r.headers());
        }
        if (ex instanceof ArmException e) {
            return new ArmFailure(e.status(), e.error());
        }
        if (ex instanceof DependencyFailureException e) {
            log.warn("dependency failure: {} ({})", e.getMessage(),
                    e.getCause() == null ? "the service was not called" : e.getCause().toString());
            if (e instanceof DownstreamFailure d && d.retryAfter() != null) {
                extra.set(HttpHeaders.RETRY_AFTER, String.valueOf(Math.max(1, d.retryAfter().toSeconds())));
            }
            return new ArmFailure(e.status(), e.error());
        }
        if (ex instanceof ArmErrorException e) {
            return new ArmFailure(e.status(), e.error());
        }
        if (find(ex, DataBufferLimitException.class) != null) {
            return new ArmFailure(413, RequestBodyLimitFilter.tooLarge().error());
        }
        if (find(ex, CannotGetJdbcConnectionException.class) != null
                || find(ex, CannotCreateTransactionException.class) != null
                || find(ex, DataAccessResourceFailureException.class) != null
                || find(ex, QueryTimeoutException.class) != null) {
            log.warn("database unavailable: {}", ex.toString());
            return new ArmFailure(503, new ArmError("ServiceUnavailable",
                    "The gateway's database is unavailable. Retry the request later.", null));
        }
        if (ex instanceof MethodNotAllowedException e) {
            if (!e.getSupportedMethods().isEmpty()) {
                extra.setAllow(e.getSupportedMethods());
            }
            return new ArmFailure(405, new ArmError("MethodNotAllowed", "The HTTP method '" + e.getHttpMethod()
                    + "' is not supported for this resource. Supported methods: "
                    + e.getSupportedMethods().stream().map(HttpMethod::name).sorted().collect(Collectors.joining(", "))
                    + ".", null));
        }
        InvalidMediaTypeException badType = find(ex, InvalidMediaTypeException.class);
        if (badType != null) {
            return new ArmFailure(415, new ArmError("UnsupportedMediaType", "The content media type '"
                    + badType.getMediaType() + "' is not supported. Only 'application/json' is supported.", null));
        }
        if (isFormDecoding(ex)) {
            return new ArmFailure(400, new ArmError("InvalidRequestContent",
                    "The request content was invalid and could not be deserialized: a malformed percent-encoding.", null));
        }
        if (ex instanceof UnsupportedMediaTypeStatusException e) {
            return new ArmFailure(415, new ArmError("UnsupportedMediaType", "The content media type '"
                    + e.getContentType() + "' is not supported. Only 'application/json' is supported.", null));
        }
        if (ex instanceof NotAcceptableStatusException) {
            return new ArmFailure(406, new ArmError("NotAcceptable",
                    "Only 'application/json' responses are available.", null));
        }
        if (ex instanceof ServerWebInputException) {
            return new ArmFailure(400, new ArmError("InvalidRequestContent",
                    "The request content was invalid and could not be deserialized.", null));
        }
        if (ex instanceof ResponseStatusException e) {
            int status = e.getStatusCode().value();
            if (status == 404) {
                return new ArmFailure(404, new ArmError("NotFound",
                        "No HTTP resource was found that matches the request URI.", null));
            }
            if (status < 500) {
                return new ArmFailure(status, new ArmError("BadRequest",
                        e.getReason() != null ? e.getReason() : "The request was rejected.", null));
            }
            if (status == 503 || status == 504) {
                log.warn("dependency failure: {}", e.getMessage());
                return new ArmFailure(status, new ArmError(status == 503 ? "ServiceUnavailable" : "GatewayTimeout",
                        status == 503 ? "A service is unavailable. Retry the request later."
                                : "The gateway did not receive a response within the specified time period.", null));
            }
        }
        log.error("unexpected failure", ex);
        return new ArmFailure(500, new ArmError("InternalServerError",
                "The server encountered an internal error. The failure was logged.", null));
    }

    /** A form body (the token endpoints') whose percent-encoding {@link java.net.URLDecoder} could not read. */
    private static boolean isFormDecoding(Throwable ex) {
        return ex instanceof IllegalArgumentException && ex.getStackTrace().length > 0
                && java.net.URLDecoder.class.getName().equals(ex.getStackTrace()[0].getClassName());
    }

    static <T extends Throwable> T find(Throwable t, Class<T> type) {
        for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
            if (type.isInstance(c)) {
                return type.cast(c);
            }
        }
        return null;
    }
}
