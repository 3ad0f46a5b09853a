package dev.cirrus.serverless.functionapp;

import java.util.Locale;

import dev.cirrus.serverless.function.FunctionConfig;
import dev.cirrus.serverless.runtime.FunctionsProperties;
import org.springframework.stereotype.Component;

/**
 * The addresses clients reach an app at: {@code {app}.azurewebsites.{hostDomain}} with the gateway's port
 * ({@code cirrus.functions.public-scheme}, {@code public-port}), e.g. {@code myapp.azurewebsites.localhost:8080},
 * which the gateway routes to this service's HTTP triggers. {@code *.localhost} resolves to loopback with no DNS
 * on common systems (see README).
 */
@Component
public class AppEndpoints {

    private final FunctionsProperties properties;

    AppEndpoints(FunctionsProperties properties) {
        this.properties = properties;
    }

    /** {@code properties.defaultHostName}: the host and, unless it is the scheme's default, the port. */
    public String defaultHostName(FunctionApp app) {
        String host = app.name().toLowerCase(Locale.ROOT) + ".azurewebsites." + properties.hostDomain();
        int port = properties.publicPort();
        boolean defaultPort = port == 0 || (properties.publicScheme().equals("http") && port == 80)
                || (properties.publicScheme().equals("https") && port == 443);
        return defaultPort ? host : host + ":" + port;
    }

    /** The Kudu (scm) host of the app, with the same port. */
    public String scmHostName(FunctionApp app) {
        return defaultHostName(app).replaceFirst("\\.azurewebsites\\.", ".scm.azurewebsites.");
    }

    /** {@code https://…} or {@code http://…} of the app's root. */
    public String baseUrl(FunctionApp app) {
        return properties.publicScheme() + "://" + defaultHostName(app);
    }

    /** The URL of an HTTP function (its route under the app's route prefix), or null for other triggers. */
    public String invokeUrl(FunctionApp app, String functionName, FunctionConfig config) {
        if (!config.isHttp()) {
            return null;
        }
        String route = config.trigger().text("route", functionName);
        String prefix = app.routePrefix();
        return baseUrl(app) + "/" + (prefix.isEmpty() ? "" : prefix + "/") + route;
    }
}
