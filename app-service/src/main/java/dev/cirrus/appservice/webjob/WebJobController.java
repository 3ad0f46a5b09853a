package dev.cirrus.appservice.webjob;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.cirrus.appservice.runtime.ScmAccess;
import dev.cirrus.appservice.site.Site;
import dev.cirrus.appservice.site.SiteProperties;
import dev.cirrus.appservice.site.Sites;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;

/**
 * The WebJobs APIs ({@link WebJobs}): Kudu's on the scm host ({@code /api/triggeredwebjobs},
 * {@code /api/triggeredwebjobs/{name}}, {@code …/run} (202, {@code Location} the run), {@code …/history},
 * {@code …/history/{id}}, {@code …/history/{id}/output}, {@code PUT …/settings}, {@code /api/continuouswebjobs},
 * {@code …/{name}}, {@code …/start}, {@code …/stop}), with the site's publishing credentials, and ARM's under
 * {@code …/sites/{app}[/slots/{slot}]/triggeredwebjobs} and {@code …/continuouswebjobs} ({@code run}, {@code history},
 * {@code start}, {@code stop}), in the shapes of {@code Microsoft.Web/sites/triggeredwebjobs} and
 * {@code …/continuouswebjobs}.
 */
@RestController
class WebJobController {

    static final String KUDU = "/scm/{app}/api/";
    static final String SITE = "/subscriptions/{sub}/resourceGroups/{rg}/providers/Microsoft.Web/sites/{name}";
    static final String SLOT = SITE + "/slots/{slot}";

    private final WebJobs webJobs;
    private final ScmAccess scm;
    private final Sites sites;
    private final SiteProperties properties;

    WebJobController(WebJobs webJobs, ScmAccess scm, Sites sites, SiteProperties properties) {
        this.webJobs = webJobs;
        this.scm = scm;
        this.sites = sites;
        this.properties = properties;
    }

    // Kudu

    @GetMapping(KUDU + "triggeredwebjobs")
    List<Map<String, Object>> kuduTriggered(@PathVariable String app, HttpServletRequest request) {
        Site site = scm.authorize(app, request);
        return webJobs.jobs(site, WebJob.TRIGGERED).stream().map(j -> triggered(site, j)).toList();
    }

    @GetMapping(KUDU + "triggeredwebjobs/{job}")
    Map<String, Object> kuduTriggeredJob(@PathVariable String app, @PathVariable String job,
                                         HttpServletRequest request) {
        Site site = scm.authorize(app, request);
        return triggered(site, webJobs.job(site, WebJob.TRIGGERED, job));
    }

    @PostMapping(KUDU + "triggeredwebjobs/{job}/run")
    ResponseEntity<Void> kuduRun(@PathVariable String app, @PathVariable String job, HttpServletRequest request) {
        Site site = scm.authorize(app, request);
        WebJobRepository.Run run = webJobs.run(site, job, "External - Kudu API");
        return ResponseEntity.accepted().location(java.net.URI.create(runUrl(site, run))).build();
    }

    @GetMapping(KUDU + "triggeredwebjobs/{job}/history")
    Map<String, Object> kuduHistory(@PathVariable String app, @PathVariable String job, HttpServletRequest request) {
        Site site = scm.authorize(app, request);
        return Map.of("runs", webJobs.history(site, job).stream().map(r -> run(site, r)).toList());
    }

    @GetMapping(KUDU + "triggeredwebjobs/{job}/history/{id}")
    Map<String, Object> kuduRunOf(@PathVariable String app, @PathVariable String job, @PathVariable String id,
                                  HttpServletRequest request) {
        Site site = scm.authorize(app, request);
        return run(site, webJobs.runOf(site, job, id));
    }

    @GetMapping(KUDU + "triggeredwebjobs/{job}/history/{id}/output")
    ResponseEntity<String> kuduOutput(@PathVariable String app, @PathVariable String job, @PathVariable String id,
                                      HttpServletRequest request) {
        Site site = scm.authorize(app, request);
        return ResponseEntity.ok().contentType(MediaType.TEXT_PLAIN).body(webJobs.runOf(site, job, id).output());
    }

    @PutMapping(KUDU + "triggeredwebjobs/{job}/settings")
    Map<String, Object> kuduSettings(@PathVariable String app, @PathVariable String job, HttpServletRequest request,
                                     @RequestBody(required = false) JsonNode body) {
        Site site = scm.authorize(app, request);
        return triggered(site, webJobs.writeSettings(site, job, body));
    }

    @GetMapping(KUDU + "continuouswebjobs")
    List<Map<String, Object>> kuduContinuous(@PathVariable String app, HttpServletRequest request) {
        Site site = scm.authorize(app, request);
        return webJobs.jobs(site, WebJob.CONTINUOUS).stream().map(j -> continuous(site, j)).toList();
    }

    @GetMapping(KUDU + "continuouswebjobs/{job}")
    Map<String, Object> kuduContinuousJob(@PathVariable String app, @PathVariable String job,
                                          HttpServletRequest request) {
        Site site = scm.authorize(app, request);
        return continuous(site, webJobs.job(site, WebJob.CONTINUOUS, job));
    }

    @PostMapping(KUDU + "continuouswebjobs/{job}/{action:start|stop}")
    ResponseEntity<Void> kuduStartStop(@PathVariable String app, @PathVariable String job,
                                       @PathVariable String action, HttpServletRequest request) {
        Site site = scm.authorize(app, request);
        webJobs.setStopped(site, job, action.equals("stop"));
        return ResponseEntity.ok().build();
    }

    // ARM

    @GetMapping({SITE + "/triggeredwebjobs", SLOT + "/triggeredwebjobs"})
    Map<String, Object> armTriggered(@PathVariable String sub, @PathVariable String rg, @PathVariable String name,
                                     @PathVariable(required = false) String slot,
                                     @RequestParam("api-version") String apiVersion) {
        Site site = sites.get(sub, rg, Sites.named(name, slot));
        return page(webJobs.jobs(site, WebJob.TRIGGERED).stream().map(j -> arm(site, j, triggered(site, j))).toList());
    }

    @GetMapping({SITE + "/triggeredwebjobs/{job}", SLOT + "/triggeredwebjobs/{job}"})
    Map<String, Object> armTriggeredJob(@PathVariable String sub, @PathVariable String rg, @PathVariable String name,
                                        @PathVariable(required = false) String slot, @PathVariable String job,
                                        @RequestParam("api-version") String apiVersion) {
        Site site = sites.get(sub, rg, Sites.named(name, slot));
        WebJob found = webJobs.job(site, WebJob.TRIGGERED, job);
        return arm(site, found, triggered(site, found));
    }

    @PostMapping({SITE + "/triggeredwebjobs/{job}/run", SLOT + "/triggeredwebjobs/{job}/run"})
    ResponseEntity<Void> armRun(@PathVariable String sub, @PathVariable String rg, @PathVariable String name,
                                @PathVariable(required = false) String slot, @PathVariable String job,
                                @RequestParam("api-version") String apiVersion) {
        webJobs.run(sites.get(sub, rg, Sites.named(name, slot)), job, "External - ARM");
        return ResponseEntity.ok().build();
    }

    @GetMapping({SITE + "/triggeredwebjobs/{job}/history", SLOT + "/triggeredwebjobs/{job}/history"})
    Map<String, Object> armHistory(@PathVariable String sub, @PathVariable String rg, @PathVariable String name,
                                   @PathVariable(required = false) String slot, @PathVariable String job,
                                   @RequestParam("api-version") String apiVersion) {
        Site site = sites.get(sub, rg, Sites.named(name, slot));
        return page(webJobs.history(site, job).stream().map(r -> armRun(site, r)).toList());
    }

    @GetMapping({SITE + "/triggeredwebjobs/{job}/history/{id}", SLOT + "/triggeredwebjobs/{job}/history/{id}"})
    Map<String, Object> armRunOf(@PathVariable String sub, @PathVariable String rg, @PathVariable String name,
                                 @PathVariable(required = false) String slot, @PathVariable String job,
                                 @PathVariable String id, @RequestParam("api-version") String apiVersion) {
        Site site = sites.get(sub, rg, Sites.named(name, slot));
        return armRun(site, webJobs.runOf(site, job, id));
    }

    @GetMapping({SITE + "/continuouswebjobs", SLOT + "/continuouswebjobs"})
    Map<String, Object> armContinuous(@PathVariable String sub, @PathVariable String rg, @PathVariable String name,
                                      @PathVariable(required = false) String slot,
                                      @RequestParam("api-version") String apiVersion) {
        Site site = sites.get(sub, rg, Sites.named(name, slot));
        return page(webJobs.jobs(site, WebJob.CONTINUOUS).stream().map(j -> arm(site, j, continuous(site, j)))
                .toList());
    }

    @GetMapping({SITE + "/continuouswebjobs/{job}", SLOT + "/continuouswebjobs/{job}"})
    Map<String, Object> armContinuousJob(@PathVariable String sub, @PathVariable String rg,
                                         @PathVariable String name, @PathVariable(required = false) String slot,
                                         @PathVariable String job, @RequestParam("api-version") String apiVersion) {
        Site site = sites.get(sub, rg, Sites.named(name, slot));
        WebJob found = webJobs.job(site, WebJob.CONTINUOUS, job);
        return arm(site, found, continuous(site, found));
    }

    @PostMapping({SITE + "/continuouswebjobs/{job}/{action:start|stop}",
            SLOT + "/continuouswebjobs/{job}/{action:start|stop}"})
    ResponseEntity<Void> armStartStop(@PathVariable String sub, @PathVariable String rg, @PathVariable String name,
                                      @PathVariable(required = false) String slot, @PathVariable String job,
                                      @PathVariable String action, @RequestParam("api-version") String apiVersion) {
        webJobs.setStopped(sites.get(sub, rg, Sites.named(name, slot)), job, action.equals("stop"));
        return ResponseEntity.ok().build();
    }

    // views

    private String scmUrl(Site site) {
        return properties.publicScheme() + "://" + properties.scmHostName(site.name());
    }

    private String jobUrl(Site site, WebJob job) {
        return scmUrl(site) + "/api/" + job.type() + "webjobs/" + job.name();
    }

    private String runUrl(Site site, WebJobRepository.Run run) {
        return scmUrl(site) + "/api/triggeredwebjobs/" + run.job() + "/history/" + run.id();
    }

    /** Kudu's TriggeredJob. */
    private Map<String, Object> triggered(Site site, WebJob job) {
        Map<String, Object> view = common(site, job);
        List<WebJobRepository.Run> latest = webJobs.history(site, job.name());
        view.put("latest_run", latest.isEmpty() ? null : run(site, latest.getFirst()));
        view.put("history_url", jobUrl(site, job) + "/history");
        view.put("scheduler_logs_url", null);
        return view;
    }

    /** Kudu's ContinuousJob. */
    private Map<String, Object> continuous(Site site, WebJob job) {
        Map<String, Object> view = common(site, job);
        String status = webJobs.status(site, job);
        view.put("status", status);
        view.put("detailed_status", status + " (" + webJobs.continuousPids(site, job.name()).size()
                + " process(es))");
        view.put("log_url", jobUrl(site, job) + "/log");
        return view;
    }

    private Map<String, Object> common(Site site, WebJob job) {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("name", job.name());
        view.put("type", job.type());
        view.put("run_command", job.entry() == null ? null : job.entry().getFileName().toString());
        view.put("url", jobUrl(site, job));
        view.put("extra_info_url", jobUrl(site, job));
        view.put("error", job.error());
        view.put("using_sdk", false);
        Map<String, Object> settings = new LinkedHashMap<>();
        if (job.scheduleText() != null) {
            settings.put("schedule", job.scheduleText());
        }
        if (!job.triggered()) {
            settings.put("is_singleton", job.singleton());
        }
        view.put("settings", settings);
        return view;
    }

    /** Kudu's TriggeredJobRun. */
    private Map<String, Object> run(Site site, WebJobRepository.Run r) {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("id", r.id());
        view.put("name", r.id());
        view.put("status", r.status());
        view.put("start_time", r.startedAt().toString());
        view.put("end_time", r.endedAt() == null ? null : r.endedAt().toString());
        Duration d = Duration.between(r.startedAt(), r.endedAt() == null ? java.time.Instant.now() : r.endedAt());
        view.put("duration", String.format("%02d:%02d:%02d.%03d", d.toHours(), d.toMinutesPart(), d.toSecondsPart(),
                d.toMillisPart()));
        view.put("output_url", runUrl(site, r) + "/output");
        view.put("error_url", null);
        view.put("url", runUrl(site, r));
        view.put("job_name", r.job());
        view.put("trigger", r.trigger());
        view.put("exit_code", r.exitCode());
        return view;
    }

    private static Map<String, Object> arm(Site site, WebJob job, Map<String, Object> kudu) {
        Map<String, Object> properties = new LinkedHashMap<>(kudu);
        properties.remove("name");
        properties.remove("type");
        properties.put("web_job_type", job.triggered() ? "Triggered" : "Continuous");
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("id", site.resourceId() + "/" + job.type() + "webjobs/" + job.name());
        view.put("name", site.armName() + "/" + job.name());
        view.put("type", (site.isSlot() ? "Microsoft.Web/sites/slots/" : "Microsoft.Web/sites/") + job.type()
                + "webjobs");
        view.put("kind", null);
        view.put("properties", properties);
        return view;
    }

    private Map<String, Object> armRun(Site site, WebJobRepository.Run r) {
        Map<String, Object> runView = run(site, r);
        runView.put("web_job_id", r.id());
        runView.put("web_job_name", r.job());
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("id", site.resourceId() + "/triggeredwebjobs/" + r.job() + "/history/" + r.id());
        view.put("name", site.armName() + "/" + r.job() + "/" + r.id());
        view.put("type", (site.isSlot() ? "Microsoft.Web/sites/slots/" : "Microsoft.Web/sites/")
                + "triggeredwebjobs/history");
        view.put("properties", Map.of("runs", List.of(runView)));
        return view;
    }

    private static Map<String, Object> page(List<Map<String, Object>> value) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("value", value);
        body.put("nextLink", null);
        return body;
    }
}
