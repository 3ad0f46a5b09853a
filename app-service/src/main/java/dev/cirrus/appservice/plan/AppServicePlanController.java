package dev.cirrus.appservice.plan;

import java.util.LinkedHashMap;
import java.util.Map;

import dev.cirrus.contracts.arm.ArmLocations;
import dev.cirrus.contracts.arm.PageRequest;
import dev.cirrus.contracts.arm.Preconditions;
import dev.cirrus.plumbing.arm.ArmPaging;
import org.springframework.http.HttpHeaders;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;

/**
 * {@code Microsoft.Web/serverfarms}: App Service plans in Azure's shapes. Thin: {@link AppServicePlans} decides.
 * A PUT answers 200 with the plan, created or updated ({@code provisioningState: Succeeded}), as Azure answers it.
 */
@RestController
class AppServicePlanController {

    static final String PLAN = "/subscriptions/{sub}/resourceGroups/{rg}/providers/Microsoft.Web/serverfarms/{name}";

    private final AppServicePlans plans;
    private final PlanProperties properties;

    AppServicePlanController(AppServicePlans plans, PlanProperties properties) {
        this.plans = plans;
        this.properties = properties;
    }

    @PutMapping(PLAN)
    ResponseEntity<Map<String, Object>> put(@PathVariable String sub, @PathVariable String rg, @PathVariable String name,
                                            @RequestParam("api-version") String apiVersion,
                                            @RequestBody(required = false) JsonNode body,
                                            @RequestHeader(name = HttpHeaders.IF_MATCH, required = false) String ifMatch,
                                            @RequestHeader(name = HttpHeaders.IF_NONE_MATCH, required = false) String ifNoneMatch) {
        AppServicePlan plan = plans.createOrUpdate(sub, rg, name, body, new Preconditions(ifMatch, ifNoneMatch));
        return ResponseEntity.ok().eTag(plan.etag()).body(view(plan));
    }

    @PatchMapping(PLAN)
    ResponseEntity<Map<String, Object>> patch(@PathVariable String sub, @PathVariable String rg, @PathVariable String name,
                                              @RequestParam("api-version") String apiVersion,
                                              @RequestBody(required = false) JsonNode body,
                                              @RequestHeader(name = HttpHeaders.IF_MATCH, required = false) String ifMatch) {
        AppServicePlan plan = plans.patch(sub, rg, name, body, new Preconditions(ifMatch, null));
        return ResponseEntity.ok().eTag(plan.etag()).body(view(plan));
    }

    @GetMapping(PLAN)
    ResponseEntity<Map<String, Object>> get(@PathVariable String sub, @PathVariable String rg, @PathVariable String name,
                                            @RequestParam("api-version") String apiVersion) {
        AppServicePlan plan = plans.get(sub, rg, name);
        return ResponseEntity.ok().eTag(plan.etag()).body(view(plan));
    }

    @DeleteMapping(PLAN)
    ResponseEntity<Void> delete(@PathVariable String sub, @PathVariable String rg, @PathVariable String name,
                                @RequestParam("api-version") String apiVersion,
                                @RequestHeader(name = HttpHeaders.IF_MATCH, required = false) String ifMatch) {
        return ResponseEntity.status(plans.delete(sub, rg, name, new Preconditions(ifMatch, null)) ? 200 : 204).build();
    }

    /** The plans of a group or a subscription, in id order, paged with {@code $top} / {@code $skiptoken}. */
    @GetMapping({"/subscriptions/{sub}/resourceGroups/{rg}/providers/Microsoft.Web/serverfarms",
            "/subscriptions/{sub}/providers/Microsoft.Web/serverfarms"})
    Map<String, Object> list(@PathVariable String sub, @PathVariable(required = false) String rg,
                             @RequestParam("api-version") String apiVersion) {
        PageRequest request = ArmPaging.request(properties.listPageSize());
        AppServicePlans.Page page = plans.list(sub, rg, request.after(), request.size());
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("value", page.plans().stream().map(this::view).toList());
        if (page.lastKey() != null) {
            body.put("nextLink", ArmPaging.nextLink(page.lastKey()));
        }
        return body;
    }

    /** The plan in Azure's shape ({@code AppServicePlan} of the Microsoft.Web API). */
    Map<String, Object> view(AppServicePlan p) {
        Map<String, Object> sku = new LinkedHashMap<>();
        sku.put("name", p.sku().name());
        sku.put("tier", p.sku().tier().armName());
        sku.put("size", p.sku().size());
        sku.put("family", p.sku().family());
        sku.put("capacity", p.capacity());
        Map<String, Object> props = new LinkedHashMap<>();
        props.put("name", p.name());
        props.put("status", "Ready");
        props.put("subscription", p.subscriptionId());
        props.put("resourceGroup", p.resourceGroup());
        props.put("maximumNumberOfWorkers", p.maximumNumberOfWorkers());
        props.put("numberOfWorkers", p.capacity());
        props.put("currentNumberOfWorkers", p.capacity());
        props.put("geoRegion", ArmLocations.displayName(p.location()));
        props.put("numberOfSites", plans.numberOfSites(p));
        props.put("perSiteScaling", p.perSiteScaling());
        props.put("elasticScaleEnabled", p.elasticScaleEnabled());
        props.put("maximumElasticWorkerCount", p.maximumElasticWorkerCount());
        props.put("isSpot", false);
        props.put("reserved", p.reserved());
        props.put("isXenon", false);
        props.put("hyperV", false);
        props.put("targetWorkerCount", 0);
        props.put("targetWorkerSizeId", 0);
        props.put("kind", p.kind());
        props.put("zoneRedundant", false);
        if (p.hostingEnvironmentId() != null) {
            String id = p.hostingEnvironmentId();
            props.put("hostingEnvironmentProfile", Map.of("id", id, "name", id.substring(id.lastIndexOf('/') + 1),
                    "type", "Microsoft.Web/hostingEnvironments"));
        }
        props.put("provisioningState", "Succeeded");
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("id", p.resourceId());
        view.put("name", p.name());
        view.put("type", AppServicePlans.TYPE);
        view.put("kind", p.kind());
        view.put("location", p.location());
        view.put("tags", p.tags());
        view.put("etag", p.etag());
        view.put("sku", sku);
        view.put("properties", props);
        return view;
    }
}
