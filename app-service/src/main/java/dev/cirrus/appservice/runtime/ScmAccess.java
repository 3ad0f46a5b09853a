package dev.cirrus.appservice.runtime;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;

import dev.cirrus.appservice.site.Site;
import dev.cirrus.appservice.site.SiteRepository;
import dev.cirrus.plumbing.arm.ArmException;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.http.HttpHeaders;
import org.springframework.stereotype.Component;

/**
 * Who may call a site's Kudu (scm) API: HTTP Basic with the site's publishing user {@code $name} and the password of
 * its {@code publishxml}, refused (401) when its {@code scm} basic publishing credentials policy disallows them.
 */
@Component
public class ScmAccess {

    private final SiteRepository repository;

    ScmAccess(SiteRepository repository) {
        this.repository = repository;
    }

    /** The site of the scm host's {@code app}, when the request carries its publishing credentials (else 401). */
    public Site authorize(String app, HttpServletRequest request) {
        Site site = repository.findByName(app).orElseThrow(() -> ArmException.notFound("NotFound",
                "There is no web app named '" + app + "'."));
        String authorization = request.getHeader(HttpHeaders.AUTHORIZATION);
        if (!site.scmBasicAuth()) {
            throw new ArmException(401, "Unauthorized", "Basic authentication is disabled for the scm site of '"
                    + site.name() + "' (basicPublishingCredentialsPolicies/scm allow: false).", null);
        }
        if (authorization == null || !authorization.regionMatches(true, 0, "Basic ", 0, 6)
                || !credentialsMatch(site, authorization.substring(6).trim())) {
            throw new ArmException(401, "Unauthorized", "Deploying to '" + site.name() + "' needs its publishing "
                    + "credentials: HTTP Basic with user $" + site.name() + " and the password of its publishxml.",
                    null);
        }
        return site;
    }

    private static boolean credentialsMatch(Site site, String encoded) {
        String decoded;
        try {
            decoded = new String(Base64.getDecoder().decode(encoded), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return false;
        }
        int colon = decoded.indexOf(':');
        if (colon < 0) {
            return false;
        }
        String user = decoded.substring(0, colon);
        if (user.contains("\\")) {
            user = user.substring(user.indexOf('\\') + 1); // "{app}\$app", the form of the FTP profile
        }
        return user.equalsIgnoreCase("$" + site.name()) && MessageDigest.isEqual(
                decoded.substring(colon + 1).getBytes(StandardCharsets.UTF_8),
                site.publishingPassword().getBytes(StandardCharsets.UTF_8));
    }
}
