package dev.cirrus.serverless.function;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.Map;

import dev.cirrus.plumbing.arm.ArmException;
import dev.cirrus.serverless.functionapp.FunctionApp;
import dev.cirrus.serverless.functionapp.FunctionAppRepository;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/**
 * Zip deploy, Kudu-shaped: {@code POST /api/zipdeploy} on the app's deployment (scm) site, reachable as
 * {@code /functions/{app}/scm/api/zipdeploy} or on the host {@code {app}.scm.azurewebsites.{hostDomain}}
 * (rewritten by the app host filter). There is no ARM token on this path, so the caller proves it may deploy with
 * the app's master key: {@code x-functions-key}, {@code ?code=}, or HTTP Basic with user {@code $app} and the
 * master key as the password (Kudu's publishing credentials).
 */
@RestController
class KuduController {

    private final FunctionAppRepository apps;
    private final ZipDeploy zipDeploy;

    KuduController(FunctionAppRepository apps, ZipDeploy zipDeploy) {
        this.apps = apps;
        this.zipDeploy = zipDeploy;
    }

    @PostMapping("/functions/{app}/scm/api/zipdeploy")
    Map<String, Object> zipDeploy(@PathVariable String app, HttpServletRequest request,
                                  @RequestBody(required = false) byte[] zip) {
        FunctionApp functionApp = apps.findByName(app)
                .orElseThrow(() -> ArmException.notFound("SiteNotFound", "There is no function app named '" + app + "'"));
        if (!mayDeploy(functionApp, request)) {
            throw new ArmException(401, "Unauthorized", "Deploying to '" + functionApp.name() + "' needs the app's master key:"
                    + " x-functions-key, ?code=, or Basic credentials $" + functionApp.name() + ":<master key>");
        }
        return zipDeploy.deploy(functionApp, zip);
    }

    private static boolean mayDeploy(FunctionApp app, HttpServletRequest request) {
        String key = request.getHeader("x-functions-key");
        if (key == null) {
            key = request.getParameter("code");
        }
        String authorization = request.getHeader("Authorization");
        if (key == null && authorization != null && authorization.regionMatches(true, 0, "Basic ", 0, 6)) {
            String decoded;
            try {
                decoded = new String(Base64.getDecoder().decode(authorization.substring(6).trim()), StandardCharsets.UTF_8);
            } catch (IllegalArgumentException e) {
                return false;
            }
            int colon = decoded.indexOf(':');
            if (colon < 0 || !decoded.substring(0, colon).equalsIgnoreCase("$" + app.name())) {
                return false;
            }
            key = decoded.substring(colon + 1);
        }
        return key != null && MessageDigest.isEqual(key.getBytes(StandardCharsets.UTF_8),
                app.masterKey().getBytes(StandardCharsets.UTF_8));
    }
}
