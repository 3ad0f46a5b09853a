package dev.cirrus.gateway.provider;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

import dev.cirrus.plumbing.arm.ArmException;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code GET /subscriptions/{sub}/providers}, {@code GET …/providers/{namespace}} and
 * {@code POST …/providers/{namespace}/register} (every Cirrus provider is always registered): the resource types,
 * locations and api-versions of the {@link ProviderRegistry}, in ARM's shape. Authenticated and authorized
 * ({@code Microsoft.Resources/subscriptions/providers/read}) by the filters.
 */
@RestController
class ProviderController {

    private final ProviderRegistry registry;

    ProviderController(ProviderRegistry registry) {
        this.registry = registry;
    }

    @GetMapping("/subscriptions/{subscriptionId}/providers")
    Map<String, Object> list(@PathVariable String subscriptionId) {
        return Map.of("value", registry.providers().stream()
                .map(p -> shape(subscriptionId.toLowerCase(Locale.ROOT), p)).toList());
    }

    @GetMapping("/subscriptions/{subscriptionId}/providers/{namespace}")
    Map<String, Object> get(@PathVariable String subscriptionId, @PathVariable String namespace) {
        return shape(subscriptionId.toLowerCase(Locale.ROOT), find(namespace));
    }

    @PostMapping("/subscriptions/{subscriptionId}/providers/{namespace}/register")
    Map<String, Object> register(@PathVariable String subscriptionId, @PathVariable String namespace) {
        return shape(subscriptionId.toLowerCase(Locale.ROOT), find(namespace));
    }

    private ProviderRegistry.Provider find(String namespace) {
        return registry.provider(namespace).orElseThrow(() -> ArmException.notFound("InvalidResourceNamespace",
                "The resource namespace '" + namespace + "' is invalid."));
    }

    private Map<String, Object> shape(String subscriptionId, ProviderRegistry.Provider provider) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("id", "/subscriptions/" + subscriptionId + "/providers/" + provider.namespace());
        body.put("namespace", provider.namespace());
        body.put("registrationState", "Registered");
        body.put("registrationPolicy", "RegistrationRequired");
        body.put("resourceTypes", provider.resourceTypes().stream().map(registry::shape).toList());
        return body;
    }
}
