package dev.cirrus.computevm.sku;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.cirrus.contracts.arm.ArmLocations;
import dev.cirrus.contracts.arm.ResourceId;
import dev.cirrus.computevm.size.SizeCatalogue;
import dev.cirrus.computevm.vm.VmProperties;
import dev.cirrus.plumbing.arm.ArmException;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.core.io.Resource;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * {@code GET /subscriptions/{sub}/providers/Microsoft.Compute/skus[?$filter=location eq '{location}']}: the
 * {@link ResourceSkus}. The regions are those of the placement topology: the file the placement engine reads
 * ({@code cirrus.vm.topology}, by default {@code classpath:inventory/default-topology.yaml} of cirrus-contracts, the
 * engine's default too), read at start-up.
 */
@RestController
class SkuController {

    private static final Pattern LOCATION_FILTER = Pattern.compile("\\s*location\\s+eq\\s+'([^']*)'\\s*",
            Pattern.CASE_INSENSITIVE);

    private final ResourceSkus skus;

    SkuController(SizeCatalogue sizes, VmProperties properties,
                  @Value("${cirrus.vm.topology:classpath:inventory/default-topology.yaml}") Resource topology)
            throws IOException {
        this.skus = new ResourceSkus(sizes, regions(topology), properties.quota().regionalVcpus());
    }

    @GetMapping("/subscriptions/{subscriptionId}/providers/Microsoft.Compute/skus")
    Map<String, Object> list(@PathVariable String subscriptionId,
                             @RequestParam(name = "$filter", required = false) String filter) {
        ResourceId.requireSubscriptionId(subscriptionId);
        String location = null;
        if (filter != null && !filter.isBlank()) {
            Matcher m = LOCATION_FILTER.matcher(filter);
            if (!m.matches()) {
                throw ArmException.badRequest("InvalidFilterInQueryString", "Invalid $filter '" + filter
                        + "' specified in the query string: the SKUs are filtered by location eq '{location}'.",
                        "$filter");
            }
            location = ArmLocations.normalise(m.group(1));
        }
        return Map.of("value", skus.list(location));
    }

    /** The region names of a topology file ({@code regions: [{name: westeurope, …}]}). */
    static List<String> regions(Resource topology) throws IOException {
        Object root;
        try (InputStream in = topology.getInputStream()) {
            root = new Yaml(new SafeConstructor(new LoaderOptions())).load(in);
        }
        List<String> regions = new ArrayList<>();
        if (root instanceof Map<?, ?> map && map.get("regions") instanceof List<?> list) {
            for (Object region : list) {
                if (region instanceof Map<?, ?> r && r.get("name") instanceof String name && !regions.contains(name)) {
                    regions.add(name);
                }
            }
        }
        if (regions.isEmpty()) {
            throw new IllegalStateException(topology.getDescription() + " names no regions (cirrus.vm.topology)");
        }
        return regions;
    }
}
