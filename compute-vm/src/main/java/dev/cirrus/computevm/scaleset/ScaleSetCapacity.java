package dev.cirrus.computevm.scaleset;

import java.util.Optional;

import dev.cirrus.computevm.size.SizeCatalogue;
import dev.cirrus.computevm.vm.VmRequestParser;
import dev.cirrus.contracts.arm.Preconditions;
import org.springframework.stereotype.Component;
import tools.jackson.databind.node.ObjectNode;

/**
 * A scale set's capacity for the autoscale engine (autoscale/AutoscaleWorker.java): read it, and change it the way a
 * user's {@code PATCH {"sku":{"capacity":n}}} does ({@link ScaleSetController#patch}), with the same rules and
 * events. Joins the caller's transaction.
 */
@Component
public class ScaleSetCapacity {

    /** A set as autoscale sees it. */
    public record Target(String id, String location, int capacity) {
    }

    private final ScaleSets sets;
    private final ScaleSetRepresentation representation;
    private final ScaleSetRequestParser parser;

    ScaleSetCapacity(ScaleSets sets, ScaleSetRepresentation representation, SizeCatalogue sizes) {
        this.sets = sets;
        this.representation = representation;
        this.parser = new ScaleSetRequestParser(new VmRequestParser(sizes));
    }

    public Optional<Target> find(String subscriptionId, String resourceGroup, String name) {
        return sets.get(subscriptionId, resourceGroup, name)
                .map(s -> new Target(s.id(), s.location(), (int) s.capacity()));
    }

    /** Sets the capacity; an ARM error (another operation in progress, …) is thrown as the PATCH would answer it. */
    public void scaleTo(String subscriptionId, String resourceGroup, String name, int capacity) {
        sets.patch(subscriptionId, resourceGroup, name, current -> {
            ObjectNode merged = representation.resource(current);
            ((ObjectNode) merged.path("sku")).put("capacity", capacity);
            return parser.parse(merged);
        }, new Preconditions(null, null));
    }
}
