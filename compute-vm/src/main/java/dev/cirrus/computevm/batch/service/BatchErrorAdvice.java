package dev.cirrus.computevm.batch.service;

import java.time.Clock;
import java.util.Map;
import java.util.UUID;

import dev.cirrus.contracts.arm.ArmErrorException;
import jakarta.servlet.http.HttpServletRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Batch's error body for every refusal of the data plane (never ARM's {@code {"error":…}}):
 * <pre>
 * {"odata.metadata": "https://{endpoint}/$metadata#Microsoft.Azure.Batch.Protocol.Entities.Container.errors/@Element",
 *  "code": "PoolNotFound",
 *  "message": {"lang": "en-US", "value": "The specified pool does not exist.\nRequestId:…\nTime:…"},
 *  "values": [{"key": "…", "value": "…"}]}
 * </pre>
 * with {@code request-id} and {@code client-request-id} headers as Azure sends them.
 */
@RestControllerAdvice(assignableTypes = BatchServiceController.class)
@Order(Ordered.HIGHEST_PRECEDENCE)
class BatchErrorAdvice {

    private static final Logger log = LoggerFactory.getLogger(BatchErrorAdvice.class);

    private final Clock clock;

    BatchErrorAdvice(Clock clock) {
        this.clock = clock;
    }

    @ExceptionHandler(BatchError.class)
    ResponseEntity<ObjectNode> batch(BatchError e, HttpServletRequest request) {
        return respond(e.status(), e.code(), e.getMessage(), e.values(), request, clock);
    }

    @ExceptionHandler(ArmErrorException.class)
    ResponseEntity<ObjectNode> arm(ArmErrorException e, HttpServletRequest request) {
        if (e.status() >= 500) {
            return respond(503, "ServerBusy", "The server is currently unable to receive requests. Please retry "
                    + "your request.", Map.of(), request, clock);
        }
        return respond(e.status(), e.error().code(), e.error().message(), Map.of(), request, clock);
    }

    @ExceptionHandler(org.springframework.web.method.annotation.MethodArgumentTypeMismatchException.class)
    ResponseEntity<ObjectNode> badParameter(org.springframework.web.method.annotation.MethodArgumentTypeMismatchException e,
                                            HttpServletRequest request) {
        return respond(400, "InvalidQueryParameterValue", "The value for one of the query parameters specified in the "
                + "request URI is invalid.", Map.of("QueryParameterName", e.getName(), "QueryParameterValue",
                String.valueOf(e.getValue())), request, clock);
    }

    @ExceptionHandler(org.springframework.dao.DataAccessException.class)
    ResponseEntity<ObjectNode> database(org.springframework.dao.DataAccessException e, HttpServletRequest request) {
        log.warn("Batch request hit a database failure: {}", e.getMessage());
        return respond(503, "ServerBusy", "The server is currently unable to receive requests. Please retry your "
                + "request.", Map.of(), request, clock);
    }

    @ExceptionHandler(Exception.class)
    ResponseEntity<ObjectNode> other(Exception e, HttpServletRequest request) {
        log.warn("Batch request failed", e);
        return respond(500, "InternalServerError", "Server encountered an internal error. Please try again after "
                + "some time.", Map.of(), request, clock);
    }

    static ResponseEntity<ObjectNode> respond(int status, String code, String message, Map<String, String> values,
                                              HttpServletRequest request, Clock clock) {
        String requestId = UUID.randomUUID().toString();
        ObjectNode body = JsonNodeFactory.instance.objectNode();
        body.put("odata.metadata", BatchServiceController.baseUrl(request)
                + "/$metadata#Microsoft.Azure.Batch.Protocol.Entities.Container.errors/@Element");
        body.put("code", code);
        body.putObject("message").put("lang", "en-US")
                .put("value", message + "\nRequestId:" + requestId + "\nTime:" + clock.instant());
        if (!values.isEmpty()) {
            ArrayNode v = body.putArray("values");
            values.forEach((k, val) -> v.addObject().put("key", k).put("value", val));
        }
        ResponseEntity.BodyBuilder builder = ResponseEntity.status(status).contentType(MediaType.APPLICATION_JSON)
                .header("request-id", requestId);
        String clientRequestId = request.getHeader("client-request-id");
        if (clientRequestId != null && "true".equalsIgnoreCase(request.getHeader("return-client-request-id"))) {
            builder.header("client-request-id", clientRequestId);
        }
        return builder.body(body);
    }
}
