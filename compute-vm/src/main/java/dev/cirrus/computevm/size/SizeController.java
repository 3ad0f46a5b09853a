package dev.cirrus.computevm.size;

import java.util.List;
import java.util.Map;

import dev.cirrus.contracts.arm.ArmLocations;
import dev.cirrus.contracts.arm.ResourceId;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

/** {@code GET /subscriptions/{sub}/providers/Microsoft.Compute/locations/{loc}/vmSizes}: the catalogue. */
@RestController
class SizeController {

    private final SizeCatalogue catalogue;

    SizeController(SizeCatalogue catalogue) {
        this.catalogue = catalogue;
    }

    @GetMapping("/subscriptions/{subscriptionId}/providers/Microsoft.Compute/locations/{location}/vmSizes")
    Map<String, List<VmSize>> list(@PathVariable String subscriptionId, @PathVariable String location) {
        ResourceId.requireSubscriptionId(subscriptionId);
        ArmLocations.require(location, "location");
        // every region of the local cloud offers the same sizes
        return Map.of("value", catalogue.all());
    }
}
