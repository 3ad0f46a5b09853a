package dev.cirrus.computevm.image;

import java.util.List;
import java.util.Map;

import dev.cirrus.contracts.arm.ResourceId;
import dev.cirrus.plumbing.arm.ArmException;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code Microsoft.Compute/images} (custom images captured from a VM): Cirrus does not capture images, so none
 * exists. Reading one is Azure's 404 {@code ResourceNotFound}; the lists are empty. (Platform images are
 * {@link ImageController}'s.)
 */
@RestController
class CustomImageController {

    @GetMapping("/subscriptions/{subscriptionId}/resourceGroups/{resourceGroup}/providers/Microsoft.Compute/images/{name}")
    Map<String, Object> get(@PathVariable String subscriptionId, @PathVariable String resourceGroup,
                            @PathVariable String name) {
        ResourceId.requireSubscriptionId(subscriptionId);
        throw ArmException.notFound("ResourceNotFound", "The Resource 'Microsoft.Compute/images/" + name
                + "' under resource group '" + resourceGroup + "' was not found.");
    }

    @GetMapping("/subscriptions/{subscriptionId}/resourceGroups/{resourceGroup}/providers/Microsoft.Compute/images")
    Map<String, Object> listInGroup(@PathVariable String subscriptionId, @PathVariable String resourceGroup) {
        ResourceId.requireSubscriptionId(subscriptionId);
        return Map.of("value", List.of());
    }

    @GetMapping("/subscriptions/{subscriptionId}/providers/Microsoft.Compute/images")
    Map<String, Object> list(@PathVariable String subscriptionId) {
        ResourceId.requireSubscriptionId(subscriptionId);
        return Map.of("value", List.of());
    }
}
