package dev.cirrus.computevm.batch.service;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A refusal of the Batch service API, answered with Batch's error body
 * ({@code {"odata.metadata", "code", "message": {"lang", "value"}, "values": [{"key", "value"}]}}, see
 * {@link BatchErrorAdvice}). The codes and statuses are Azure's (Batch REST "Batch status and error codes").
 */
public final class BatchError extends RuntimeException {

    private final int status;
    private final String code;
    private final Map<String, String> values;

    BatchError(int status, String code, String message, Map<String, String> values) {
        super(message);
        this.status = status;
        this.code = code;
        this.values = values;
    }

    BatchError(int status, String code, String message) {
        this(status, code, message, Map.of());
    }

    static BatchError invalidPropertyValue(String property, Object value, String reason) {
        Map<String, String> v = new LinkedHashMap<>();
        v.put("PropertyName", property);
        v.put("PropertyValue", String.valueOf(value));
        if (reason != null) {
            v.put("Reason", reason);
        }
        return new BatchError(400, "InvalidPropertyValue", "The value provided for one of the properties in the request "
                + "body is invalid.", v);
    }

    static BatchError missingProperty(String property) {
        return new BatchError(400, "MissingRequiredProperty", "A required property was not specified in the request "
                + "body.", Map.of("PropertyName", property));
    }

    static BatchError invalidBody(String reason) {
        return new BatchError(400, "InvalidRequestBody", "The specified Request Body is not syntactically valid.",
                Map.of("Reason", reason));
    }

    static BatchError invalidQuery(String parameter, String value, String reason) {
        Map<String, String> v = new LinkedHashMap<>();
        v.put("QueryParameterName", parameter);
        v.put("QueryParameterValue", value);
        v.put("Reason", reason);
        return new BatchError(400, "InvalidQueryParameterValue", "The value for one of the query parameters specified "
                + "in the request URI is invalid.", v);
    }

    static BatchError notFound(String code, String message) {
        return new BatchError(404, code, message);
    }

    static BatchError conflict(String code, String message) {
        return new BatchError(409, code, message);
    }

    int status() {
        return status;
    }

    String code() {
        return code;
    }

    Map<String, String> values() {
        return values;
    }
}
