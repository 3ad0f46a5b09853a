package dev.cirrus.computevm.size;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * The VM sizes Cirrus offers, read from a data file ({@code sizes/vm-sizes.json} unless configured otherwise).
 * Size names match case-insensitively, as in Azure, and are answered in their catalogue casing.
 */
public final class SizeCatalogue {

    private final Map<String, VmSize> byName;
    private final List<VmSize> ordered;

    public SizeCatalogue(List<VmSize> sizes) {
        if (sizes.isEmpty()) {
            throw new IllegalArgumentException("the VM size catalogue is empty");
        }
        Map<String, VmSize> map = new LinkedHashMap<>();
        for (VmSize size : sizes) {
            if (map.put(size.name().toLowerCase(Locale.ROOT), size) != null) {
                throw new IllegalArgumentException("the VM size catalogue lists " + size.name() + " twice");
            }
        }
        this.byName = Map.copyOf(map);
        this.ordered = List.copyOf(sizes);
    }

    /** Reads {@code {"sizes":[{name, numberOfCores, memoryInMB, …}]}}. */
    public static SizeCatalogue read(InputStream in, ObjectMapper json) throws IOException {
        JsonNode root = json.readTree(in);
        JsonNode sizes = root.path("sizes");
        if (!sizes.isArray()) {
            throw new IllegalArgumentException("the VM size catalogue needs a 'sizes' array");
        }
        List<VmSize> list = new ArrayList<>();
        for (JsonNode node : sizes) {
            list.add(json.treeToValue(node, VmSize.class));
        }
        return new SizeCatalogue(list);
    }

    public Optional<VmSize> find(String name) {
        return Optional.ofNullable(name == null ? null : byName.get(name.toLowerCase(Locale.ROOT)));
    }

    public List<VmSize> all() {
        return ordered;
    }
}
