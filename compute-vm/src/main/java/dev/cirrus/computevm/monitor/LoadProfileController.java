package dev.cirrus.computevm.monitor;

import java.util.Locale;

import dev.cirrus.contracts.arm.ResourceId;
import dev.cirrus.plumbing.arm.ArmException;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;

/**
 * The load model's API (Cirrus's own, compute-vm/README.md "Metrics and the load model"): one profile named
 * {@code default} as an extension resource of a VM, a scale set or a scale-set instance,
 * {@code …/providers/Cirrus.Monitor/loadProfiles/default}: PUT (200/201), GET, DELETE (200/204).
 */
@RestController
@RequestMapping("/subscriptions/{subscriptionId}/resourceGroups/{resourceGroup}/providers/Microsoft.Compute")
class LoadProfileController {

    private static final String PROFILE = "/providers/Cirrus.Monitor/loadProfiles/{profile}";
    private static final String VM = "/virtualMachines/{name}" + PROFILE;
    private static final String SET = "/virtualMachineScaleSets/{name}" + PROFILE;
    private static final String INSTANCE = "/virtualMachineScaleSets/{name}/virtualMachines/{instanceId}" + PROFILE;

    private final LoadProfiles profiles;
    private final MonitorClock clock;

    LoadProfileController(LoadProfiles profiles, MonitorClock clock) {
        this.profiles = profiles;
        this.clock = clock;
    }

    @PutMapping({VM, SET, INSTANCE})
    ResponseEntity<JsonNode> put(@PathVariable String subscriptionId, @PathVariable String profile,
                                 @RequestBody JsonNode body, HttpServletRequest request) {
        String scope = scope(subscriptionId, profile, request);
        LoadProfile parsed = LoadProfileJson.parse(body, clock.now());
        boolean created = profiles.put(key(scope), scope, parsed);
        return ResponseEntity.status(created ? HttpStatus.CREATED : HttpStatus.OK)
                .body(profiles.represent(scope, profiles.get(key(scope)).orElseThrow()));
    }

    @GetMapping({VM, SET, INSTANCE})
    JsonNode get(@PathVariable String subscriptionId, @PathVariable String profile, HttpServletRequest request) {
        String scope = scope(subscriptionId, profile, request);
        return profiles.represent(scope, profiles.require(key(scope), scope));
    }

    @DeleteMapping({VM, SET, INSTANCE})
    ResponseEntity<Void> delete(@PathVariable String subscriptionId, @PathVariable String profile,
                                HttpServletRequest request) {
        String scope = scope(subscriptionId, profile, request);
        return profiles.delete(key(scope)) ? ResponseEntity.ok().build() : ResponseEntity.noContent().build();
    }

    /** The id of the VM, set or instance the profile belongs to: the path before its {@code /providers/}. */
    private static String scope(String subscriptionId, String profile, HttpServletRequest request) {
        ResourceId.requireSubscriptionId(subscriptionId);
        if (!"default".equalsIgnoreCase(profile)) {
            throw ArmException.badRequest("InvalidResourceName", "A load profile is named 'default'; '" + profile
                    + "' is not a load profile name.", "name");
        }
        String path = request.getRequestURI();
        int extension = path.toLowerCase(Locale.ROOT).lastIndexOf("/providers/cirrus.monitor/");
        return path.substring(0, extension);
    }

    private static String key(String scope) {
        return scope.toLowerCase(Locale.ROOT);
    }
}
