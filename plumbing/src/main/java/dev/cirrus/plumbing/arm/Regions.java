package dev.cirrus.plumbing.arm;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import dev.cirrus.contracts.arm.ArmLocations;
import org.springframework.core.io.Resource;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * The regions a service creates resources in: those of the placement topology (the placement engine's topology
 * file, named by a setting of the service such as {@code cirrus.serverless.topology}), read once at start-up, in the
 * file's order, by their ARM names ({@code westeurope}).
 */
public final class Regions {

    private final List<String> names;

    public Regions(List<String> names) {
        if (names.isEmpty()) {
            throw new IllegalArgumentException("no regions");
        }
        this.names = List.copyOf(names);
    }

    /**
     * The region names of a topology file ({@code regions: [{name: westeurope, …}]}); start-up fails without any,
     * naming {@code setting}, the service's setting that points at the file.
     */
    public static Regions read(Resource topology, String setting) {
        Object root;
        try (InputStream in = topology.getInputStream()) {
            root = new Yaml(new SafeConstructor(new LoaderOptions())).load(in);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the topology " + topology.getDescription()
                    + " (" + setting + ")", e);
        }
        List<String> names = new ArrayList<>();
        if (root instanceof Map<?, ?> map && map.get("regions") instanceof List<?> list) {
            for (Object region : list) {
                if (region instanceof Map<?, ?> r && r.get("name") instanceof String name) {
                    if (!name.matches("[a-z0-9]+")) {
                        throw new IllegalStateException(topology.getDescription() + ": region name '" + name
                                + "' is not an ARM location name (lower-case letters and digits)");
                    }
                    if (!names.contains(name)) {
                        names.add(name);
                    }
                }
            }
        }
        if (names.isEmpty()) {
            throw new IllegalStateException(topology.getDescription() + " names no regions (" + setting + ")");
        }
        return new Regions(names);
    }

    /** Every region, in the topology's order. */
    public List<String> names() {
        return names;
    }

    public boolean contains(String location) {
        return location != null && names.contains(ArmLocations.normalise(location));
    }

    /**
     * A location of a PUT body or URL as its ARM name, or 400: {@code InvalidLocation} when it cannot be a region
     * name, {@code LocationNotAvailableForResourceType} when the topology has no such region.
     */
    public String require(String given, String resourceType, String target) {
        String location = ArmLocations.require(given, target);
        if (!names.contains(location)) {
            throw ArmException.badRequest("LocationNotAvailableForResourceType", "The provided location '" + given
                    + "' is not available for resource type '" + resourceType + "'. List of available regions for "
                    + "the resource type is '" + String.join(",", names) + "'.", target);
        }
        return location;
    }
}
