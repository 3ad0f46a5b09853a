package dev.cirrus.appservice.runtime;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.cirrus.appservice.site.Site;
import dev.cirrus.appservice.site.SiteProperties;
import dev.cirrus.appservice.site.SiteRepository;
import dev.cirrus.appservice.site.Sites;
import dev.cirrus.plumbing.arm.ArmException;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.http.HttpHeaders;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestMethod;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.mvc.method.annotation.StreamingResponseBody;

/**
 * Kudu, the deployment (scm) site of a web app: requests to {@code {app}.scm.azurewebsites.{domain}} are served here
 * as {@code /scm/{app}/…} ({@link FrontEnd}). {@code POST /api/zipdeploy} (and {@code /api/publish?type=zip}) deploys a
 * zip package; {@code GET /api/deployments}, {@code /api/deployments/latest} and {@code /api/deployments/{id}} give
 * Kudu's deployment records ({@code status} 4 = success, 3 = failed); {@code GET /api/logstream} streams the
 * processes' output. There is no ARM token here: the caller proves it
 * may deploy with the site's publishing credentials (HTTP Basic, user {@code $name}, the password of
 * {@code …/publishxml}), refused (401) when the site's {@code scm} basic publishing credentials policy disallows them.
 *
 * <p>ARM's forms, {@code PUT|POST …/sites/{name}/extensions/zipdeploy} and {@code …/extensions/onedeploy} with the zip
 * as the body ({@code application/zip} or {@code application/octet-stream}, at most ARM's 4 MB), deploy the same way
 * with the caller's ARM authorization.
 */
@RestController
class KuduController {

    private static final int KUDU_SUCCESS = 4;
    private static final int KUDU_FAILED = 3;

    private final SiteRepository repository;
    private final Sites sites;
    private final Deployments deployments;
    private final SiteProperties properties;
    private final SiteInstances instances;
    private final ScmAccess scm;

    KuduController(SiteRepository repository, Sites sites, Deployments deployments, SiteProperties properties,
                   SiteInstances instances, ScmAccess scm) {
        this.instances = instances;
        this.scm = scm;
        this.repository = repository;
        this.sites = sites;
        this.deployments = deployments;
        this.properties = properties;
    }

    @PostMapping({FrontEnd.SCM + "{app}/api/zipdeploy", FrontEnd.SCM + "{app}/api/publish"})
    ResponseEntity<Map<String, Object>> zipDeploy(@PathVariable String app, HttpServletRequest request,
                                                  @RequestParam(name = "isAsync", required = false) String isAsync,
                                                  @RequestParam(name = "type", required = false) String type,
                                                  @RequestBody(required = false) byte[] zip) {
        Site site = authorized(app, request);
        if (type != null && !type.equalsIgnoreCase("zip")) {
            throw ArmException.badRequest("BadRequest", "Only type=zip is deployed here; got '" + type + "'.",
                    "type");
        }
        SiteRepository.Deployment d = deployments.deploy(site, zip, "ZipDeploy");
        Map<String, Object> view = view(site, d, true);
        if ("true".equalsIgnoreCase(isAsync)) {
            return ResponseEntity.accepted().location(URI.create(properties.publicScheme() + "://"
                    + properties.scmHostName(site.name()) + "/api/deployments/latest")).body(view);
        }
        return ResponseEntity.ok(view);
    }

    @GetMapping(FrontEnd.SCM + "{app}/api/deployments")
    List<Map<String, Object>> list(@PathVariable String app, HttpServletRequest request) {
        Site site = authorized(app, request);
        return repository.deployments(site.key()).stream()
                .map(d -> view(site, d, d.id().equals(site.activeDeployment()))).toList();
    }

    @GetMapping(FrontEnd.SCM + "{app}/api/deployments/{id}")
    Map<String, Object> one(@PathVariable String app, @PathVariable String id, HttpServletRequest request) {
        Site site = authorized(app, request);
        List<SiteRepository.Deployment> all = repository.deployments(site.key());
        SiteRepository.Deployment d = (id.equals("latest") ? all.stream().findFirst()
                : all.stream().filter(x -> x.id().equals(id)).findFirst()).orElseThrow(() -> ArmException.notFound(
                "NotFound", "There is no deployment '" + id + "' of '" + site.name() + "'."));
        return view(site, d, d.id().equals(site.activeDeployment()));
    }

    /**
     * Kudu's log stream: the processes' output as it is written ({@link LogStream}), for at most {@code seconds}
     * (default and most: 3600).
     */
    @GetMapping(FrontEnd.SCM + "{app}/api/logstream/**")
    ResponseEntity<StreamingResponseBody> logStream(@PathVariable String app, HttpServletRequest request,
                                                    @RequestParam(name = "seconds", required = false) Integer seconds) {
        Site site = authorized(app, request);
        int limit = seconds == null ? 3600 : Math.max(1, Math.min(seconds, 3600));
        java.nio.file.Path logs = instances.siteFolder(site.name()).resolve("logs");
        return ResponseEntity.ok().contentType(org.springframework.http.MediaType.TEXT_PLAIN)
                .body(out -> LogStream.follow(logs, out, java.time.Duration.ofSeconds(limit)));
    }

    /** ARM's zip deploy: the body is the package. */
    @RequestMapping(method = {RequestMethod.PUT, RequestMethod.POST}, path = {
            "/subscriptions/{sub}/resourceGroups/{rg}/providers/Microsoft.Web/sites/{name}/extensions/{kind:zipdeploy|onedeploy|ZipDeploy|OneDeploy}"})
    ResponseEntity<Map<String, Object>> armDeploy(@PathVariable String sub, @PathVariable String rg,
                                                  @PathVariable String name, @PathVariable String kind,
                                                  @RequestParam("api-version") String apiVersion,
                                                  HttpServletRequest request,
                                                  @RequestBody(required = false) byte[] zip) {
        Site site = sites.get(sub, rg, name);
        String contentType = request.getContentType();
        if (contentType != null && contentType.toLowerCase(java.util.Locale.ROOT).startsWith("application/json")) {
            throw ArmException.badRequest("BadRequest", "Send the zip package itself as the body (Content-Type "
                    + "application/zip); a packageUri is not fetched here.", "packageUri");
        }
        SiteRepository.Deployment d = deployments.deploy(site, zip, kind.equalsIgnoreCase("onedeploy") ? "OneDeploy"
                : "ZipDeploy");
        return ResponseEntity.ok(view(site, d, true));
    }

    private Site authorized(String app, HttpServletRequest request) {
        return scm.authorize(app, request);
    }

    /** Kudu's deployment record. */
    private Map<String, Object> view(Site site, SiteRepository.Deployment d, boolean active) {
        boolean ok = d.status().equals("Success");
        String url = properties.publicScheme() + "://" + properties.scmHostName(site.name()) + "/api/deployments/"
                + d.id();
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("id", d.id());
        view.put("status", ok ? KUDU_SUCCESS : KUDU_FAILED);
        view.put("status_text", ok ? "" : "Failed");
        view.put("author_email", "N/A");
        view.put("author", "N/A");
        view.put("deployer", d.deployer());
        view.put("message", d.message());
        view.put("progress", "");
        view.put("received_time", d.receivedAt().toString());
        view.put("start_time", d.receivedAt().toString());
        view.put("end_time", d.endedAt().toString());
        view.put("last_success_end_time", ok ? d.endedAt().toString() : null);
        view.put("complete", true);
        view.put("active", active && ok);
        view.put("is_temp", false);
        view.put("is_readonly", true);
        view.put("url", url);
        view.put("log_url", url + "/log");
        view.put("site_name", site.name());
        view.put("stack", d.stack());
        view.put("provisioningState", ok ? "Succeeded" : "Failed");
        return view;
    }
}
