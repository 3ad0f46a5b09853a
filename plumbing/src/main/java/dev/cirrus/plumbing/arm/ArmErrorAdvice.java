package dev.cirrus.plumbing.arm;

import dev.cirrus.contracts.arm.ArmError;
import dev.cirrus.contracts.arm.ArmErrorBody;
import dev.cirrus.contracts.arm.ArmErrorException;
import dev.cirrus.contracts.arm.ArmJson;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.QueryTimeoutException;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.jdbc.CannotGetJdbcConnectionException;
import org.springframework.transaction.CannotCreateTransactionException;
import org.springframework.web.HttpMediaTypeNotAcceptableException;
import org.springframework.web.HttpMediaTypeNotSupportedException;
import org.springframework.web.HttpRequestMethodNotSupportedException;
import org.springframework.web.bind.MissingRequestHeaderException;
import org.springframework.web.bind.MissingServletRequestParameterException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;
import org.springframework.web.servlet.NoHandlerFoundException;
import org.springframework.web.servlet.resource.NoResourceFoundException;
import tools.jackson.core.JacksonException;
import tools.jackson.core.exc.StreamReadException;
import tools.jackson.databind.exc.MismatchedInputException;

/**
 * Turns every failure of a request into an ARM error body with the status ARM uses: never a stack trace, never
 * Spring's own error JSON.
 */
@RestControllerAdvice
public class ArmErrorAdvice {

    private static final Logger log = LoggerFactory.getLogger(ArmErrorAdvice.class);

    @ExceptionHandler(ArmErrorException.class)
    ResponseEntity<ArmErrorBody> arm(ArmErrorException e) {
        if (e.isDependencyFailure()) {
            log.warn("dependency failure: {}", e.getMessage());
        }
        return respond(e.status(), e.error());
    }

    @ExceptionHandler({CannotGetJdbcConnectionException.class, CannotCreateTransactionException.class,
            DataAccessResourceFailureException.class, QueryTimeoutException.class})
    ResponseEntity<ArmErrorBody> database(Exception e) {
        log.warn("database unavailable: {}", e.getMessage());
        return respond(503, new ArmError("ServiceUnavailable",
                "The service's database is unavailable. Retry the request later.", null));
    }

    @ExceptionHandler(HttpMessageNotReadableException.class)
    ResponseEntity<ArmErrorBody> unreadable(HttpMessageNotReadableException e) {
        RequestTooLargeException tooLarge = find(e, RequestTooLargeException.class);
        if (tooLarge != null) {
            return tooLarge(tooLarge);
        }
        ArmErrorException arm = find(e, ArmErrorException.class);
        if (arm != null) {
            return arm(arm);
        }
        JacksonException json = find(e, JacksonException.class);
        if (json != null) {
            return respond(400, ArmJson.describe(json));
        }
        String message = e.getMessage() != null && e.getMessage().startsWith("Required request body is missing")
                ? "The request content was invalid and could not be deserialized: the body is missing."
                : "The request content was invalid and could not be deserialized: malformed JSON.";
        return respond(400, new ArmError("InvalidRequestContent", message, null));
    }

    /** A body read by hand (a tree, a record) whose parser failed outside Spring's message conversion. */
    @ExceptionHandler({StreamReadException.class, MismatchedInputException.class})
    ResponseEntity<ArmErrorBody> json(JacksonException e) {
        return respond(400, ArmJson.describe(e));
    }

    @ExceptionHandler(RequestTooLargeException.class)
    ResponseEntity<ArmErrorBody> tooLarge(RequestTooLargeException e) {
        return respond(413, new ArmError("RequestEntityTooLarge", e.getMessage(), null));
    }

    @ExceptionHandler(HttpMediaTypeNotSupportedException.class)
    ResponseEntity<ArmErrorBody> mediaType(HttpMediaTypeNotSupportedException e) {
        return respond(415, new ArmError("UnsupportedMediaType",
                "The content media type '" + e.getContentType() + "' is not supported. Only 'application/json' is supported.",
                null));
    }

    @ExceptionHandler(HttpMediaTypeNotAcceptableException.class)
    ResponseEntity<ArmErrorBody> notAcceptable(HttpMediaTypeNotAcceptableException e) {
        return respond(406, new ArmError("NotAcceptable", "Only 'application/json' responses are available.", null));
    }

    @ExceptionHandler(HttpRequestMethodNotSupportedException.class)
    ResponseEntity<ArmErrorBody> method(HttpRequestMethodNotSupportedException e) {
        return respond(405, new ArmError("MethodNotAllowed",
                "The HTTP method '" + e.getMethod() + "' is not supported for this resource.", null));
    }

    @ExceptionHandler(MissingServletRequestParameterException.class)
    ResponseEntity<ArmErrorBody> missingParameter(MissingServletRequestParameterException e) {
        return respond(400, new ArmError("MissingParameter",
                "The query parameter '" + e.getParameterName() + "' is required.", e.getParameterName()));
    }

    @ExceptionHandler(MissingRequestHeaderException.class)
    ResponseEntity<ArmErrorBody> missingHeader(MissingRequestHeaderException e) {
        return respond(400, new ArmError("MissingHeader",
                "The header '" + e.getHeaderName() + "' is required.", e.getHeaderName()));
    }

    @ExceptionHandler(MethodArgumentTypeMismatchException.class)
    ResponseEntity<ArmErrorBody> argumentType(MethodArgumentTypeMismatchException e) {
        return respond(400, new ArmError("InvalidParameter",
                "The value '" + e.getValue() + "' of '" + e.getName() + "' is not valid.", e.getName()));
    }

    @ExceptionHandler({NoResourceFoundException.class, NoHandlerFoundException.class})
    ResponseEntity<ArmErrorBody> notFound(Exception e) {
        return respond(404, new ArmError("NotFound", "No HTTP resource was found that matches the request URI.", null));
    }

    @ExceptionHandler(Exception.class)
    ResponseEntity<ArmErrorBody> unexpected(Exception e) {
        log.error("unexpected failure", e);
        return respond(500, new ArmError("InternalServerError",
                "The server encountered an internal error. The failure was logged.", null));
    }

    static ResponseEntity<ArmErrorBody> respond(int status, ArmError error) {
        return ResponseEntity.status(HttpStatus.valueOf(status)).contentType(MediaType.APPLICATION_JSON).body(error.body());
    }

    private static <T extends Throwable> T find(Throwable t, Class<T> type) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (type.isInstance(c)) {
                return type.cast(c);
            }
            if (c.getCause() == c) {
                break;
            }
        }
        return null;
    }
}
