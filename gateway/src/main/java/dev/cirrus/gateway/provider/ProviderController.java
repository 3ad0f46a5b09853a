package dev.cirrus.gateway.provider;

import java.util.LinkedHashMap;
import java.util.List;
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
 * locations and api-versions of {@link ProviderCatalogue}, in ARM's shape. Authenticated and authorized
 * ({@code Microsoft.Resources/subscriptions/providers/read}) by the filters.
 */
@RestController
class ProviderController {

    @GetMapping("/subscriptions/{subscriptionId}/providers")
    Map<String, Object> list(@PathVariable String subscriptionId) {
        return Map.of("value", ProviderCatalogue.PROVIDERS.stream()
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

    private static ProviderCatalogue.Provider find(String namespace) {
        return ProviderCatalogue.find(namespace).orElseThrow(() -> ArmException.notFound("InvalidResourceNamespace",
                "The resource namespace '" + namespace + "' is invalid."));
    }

    private static Map<String, Object> shape(String subscriptionId, ProviderCatalogue.Provider provider) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("id", "/subscriptions/" + subscriptionId + "/providers/" + provider.namespace());
        body.put("namespace", provider.namespace());
        body.put("registrationState", "Registered");
        body.put("registrationPolicy", "RegistrationRequired");
        body.put("resourceTypes", provider.resourceTypes().stream().map(t -> {
            Map<String, Object> type = new LinkedHashMap<>();
            type.put("resourceType", t.resourceType());
            type.put("locations", t.located() ? ProviderCatalogue.LOCATIONS : List.of());
            type.put("apiVersions", t.apiVersions());
            type.put("defaultApiVersion", t.apiVersions().getFirst());
            type.put("capabilities", "None");
            return type;
        }).toList());
        return body;
    }
}
