package dev.cirrus.plumbing.arm;

import dev.cirrus.contracts.arm.ArmError;
import dev.cirrus.contracts.arm.ArmErrorBody;
import dev.cirrus.contracts.arm.ArmErrorException;
import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.boot.webmvc.error.ErrorController;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Replaces Spring Boot's error page: whatever reaches the servlet container's error path (a failure in a filter,
 * a URL Tomcat rejects) is answered with an ARM error body.
 */
@RestController
public class ArmErrorController implements ErrorController {

    @RequestMapping("${server.error.path:/error}")
    ResponseEntity<ArmErrorBody> error(HttpServletRequest request) {
        Object code = request.getAttribute(RequestDispatcher.ERROR_STATUS_CODE);
        int status = code instanceof Integer i ? i : 500;
        Throwable t = (Throwable) request.getAttribute(RequestDispatcher.ERROR_EXCEPTION);
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof RequestTooLargeException e) {
                return ArmErrorAdvice.respond(413, new ArmError("RequestEntityTooLarge", e.getMessage(), null));
            }
            if (c instanceof ArmErrorException e) {
                return ArmErrorAdvice.respond(e.status(), e.error());
            }
        }
        ArmError error = switch (status) {
            case 400 -> new ArmError("BadRequest", "The request is malformed.", null);
            case 404 -> new ArmError("NotFound", "No HTTP resource was found that matches the request URI.", null);
            case 405 -> new ArmError("MethodNotAllowed", "The HTTP method is not supported for this resource.", null);
            case 413 -> new ArmError("RequestEntityTooLarge", "The request content is too large.", null);
            default -> status >= 500
                    ? new ArmError("InternalServerError", "The server encountered an internal error.", null)
                    : new ArmError("BadRequest", "The request was rejected.", null);
        };
        return ArmErrorAdvice.respond(status, error);
    }
}
