package dev.cirrus.plumbing.arm;

import java.io.IOException;
import java.io.Writer;

import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.valves.ErrorReportValve;

/**
 * Tomcat's error report, answered as ARM answers: {@code {"error":{"code","message"}}} in JSON instead of Tomcat's
 * HTML page. It covers what Tomcat refuses before the application sees the request (a path that is not valid
 * percent-encoded UTF-8, {@code %00} in a path, a request line it cannot parse) and any {@code sendError} nobody
 * turned into a body. Errors the application answered itself (a body already written) are left alone.
 */
public class ArmErrorReportValve extends ErrorReportValve {

    @Override
    protected void report(Request request, Response response, Throwable throwable) {
        int status = response.getStatus();
        if (status < 400 || response.getContentWritten() > 0 || !response.setErrorReported()) {
            return;
        }
        String[] error = error(status);
        try {
            response.setContentType("application/json");
            response.setCharacterEncoding("UTF-8");
            Writer writer = response.getReporter();
            if (writer != null) {
                writer.write("{\"error\":{\"code\":\"" + error[0] + "\",\"message\":\"" + error[1] + "\"}}");
                response.finishResponse();
            }
        } catch (IOException | IllegalStateException e) {
            // the client is gone or the response cannot take a body: nothing more to say
        }
    }

    /** ARM's code and message for a status Tomcat set; fixed texts, so no escaping is needed. */
    static String[] error(int status) {
        return switch (status) {
            case 400 -> new String[] {"BadRequest", "The request URL or its encoding is malformed: use valid "
                    + "percent-encoded UTF-8, without encoded control characters."};
            case 404 -> new String[] {"NotFound", "No HTTP resource was found that matches the request URI."};
            case 405 -> new String[] {"MethodNotAllowed", "The HTTP method is not supported for this resource."};
            case 408 -> new String[] {"RequestTimeout", "The request was not received in time."};
            case 413 -> new String[] {"RequestEntityTooLarge", "The request content is too large."};
            case 414 -> new String[] {"RequestUriTooLong", "The request URL is too long."};
            case 431 -> new String[] {"RequestHeaderFieldsTooLarge", "The request headers are too large."};
            case 503 -> new String[] {"ServiceUnavailable", "The service is unavailable. Retry the request later."};
            default -> status >= 500
                    ? new String[] {"InternalServerError", "The server encountered an internal error."}
                    : new String[] {"BadRequest", "The request was rejected."};
        };
    }
}
