package dev.cirrus.computevm.availabilityset;

import java.util.List;
import java.util.regex.Pattern;

import dev.cirrus.contracts.arm.ArmJson;
import dev.cirrus.contracts.arm.ArmLocations;
import dev.cirrus.contracts.arm.ArmTags;
import dev.cirrus.contracts.arm.ResourceId;
import dev.cirrus.contracts.arm.PageRequest;
import dev.cirrus.plumbing.arm.ArmPaging;
import dev.cirrus.computevm.size.SizeCatalogue;
import dev.cirrus.computevm.vm.VmProperties;
import dev.cirrus.plumbing.arm.ArmException;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code Microsoft.Compute/availabilitySets} (reference §3.1): PUT (200, synchronous, create or update), PATCH, GET,
 * DELETE (200; 204 when absent; 409 while it has members), the two lists and {@code …/vmSizes}.
 */
@RestController
@RequestMapping("/subscriptions/{subscriptionId}")
class AvailabilitySetController {

    private static final String SET = "/resourceGroups/{resourceGroup}/providers/Microsoft.Compute/availabilitySets/{name}";
    /** Azure's rule for availability set names: 1 to 80 characters, letters, digits, '_', '.', '-'. */
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9]([A-Za-z0-9_.-]{0,78}[A-Za-z0-9_])?");

    private final AvailabilitySets sets;
    private final SizeCatalogue sizes;
    private final int pageSize;
    private final ObjectMapper json;

    AvailabilitySetController(AvailabilitySets sets, SizeCatalogue sizes, VmProperties properties,
                              ObjectMapper json) {
        this.sets = sets;
        this.json = json;
        this.sizes = sizes;
        this.pageSize = properties.list().pageSize();
    }

    @PutMapping(SET)
    ResponseEntity<ObjectNode> put(@PathVariable String subscriptionId, @PathVariable String resourceGroup,
                                   @PathVariable String name, @RequestBody JsonNode body) {
        ResourceId.requireSubscriptionId(subscriptionId);
        checkName(name);
        AvailabilitySet set = sets.put(subscriptionId, resourceGroup, name, parse(body));
        return ResponseEntity.ok().eTag(set.etag()).body(representation(set));
    }

    @PatchMapping(SET)
    ResponseEntity<ObjectNode> patch(@PathVariable String subscriptionId, @PathVariable String resourceGroup,
                                     @PathVariable String name, @RequestBody JsonNode body) {
        ResourceId.requireSubscriptionId(subscriptionId);
        ArmJson.requireObject(body);
        AvailabilitySet set = sets.patch(subscriptionId, resourceGroup, name, current -> {
            ObjectNode merged = (ObjectNode) representation(current).deepCopy();
            merged.remove("properties");
            ObjectNode properties = merged.putObject("properties");
            properties.put("platformFaultDomainCount", current.faultDomainCount());
            properties.put("platformUpdateDomainCount", current.updateDomainCount());
            for (var e : body.properties()) {
                if (e.getKey().equals("properties") && e.getValue().isObject()) {
                    e.getValue().properties().forEach(p -> properties.set(p.getKey(), p.getValue()));
                } else {
                    // tags (and anything else) replace: ARM's PATCH of tags replaces the whole map
                    merged.set(e.getKey(), e.getValue());
                }
            }
            return parse(merged);
        });
        return ResponseEntity.ok().eTag(set.etag()).body(representation(set));
    }

    @GetMapping(SET)
    ResponseEntity<ObjectNode> get(@PathVariable String subscriptionId, @PathVariable String resourceGroup,
                                   @PathVariable String name) {
        ResourceId.requireSubscriptionId(subscriptionId);
        AvailabilitySet set = sets.get(subscriptionId, resourceGroup, name);
        return ResponseEntity.ok().eTag(set.etag()).body(representation(set));
    }

    @DeleteMapping(SET)
    ResponseEntity<Void> delete(@PathVariable String subscriptionId, @PathVariable String resourceGroup,
                                @PathVariable String name) {
        ResourceId.requireSubscriptionId(subscriptionId);
        return sets.delete(subscriptionId, resourceGroup, name) ? ResponseEntity.ok().build()
                : ResponseEntity.noContent().build();
    }

    @GetMapping(SET + "/vmSizes")
    ObjectNode vmSizes(@PathVariable String subscriptionId, @PathVariable String resourceGroup,
                       @PathVariable String name) {
        ResourceId.requireSubscriptionId(subscriptionId);
        sets.get(subscriptionId, resourceGroup, name);
        // every host of every cluster takes every size of the catalogue, so a set can hold any of them
        ObjectNode body = JsonNodeFactory.instance.objectNode();
        body.set("value", json.valueToTree(sizes.all()));
        return body;
    }

    @GetMapping("/resourceGroups/{resourceGroup}/providers/Microsoft.Compute/availabilitySets")
    ObjectNode listInGroup(@PathVariable String subscriptionId, @PathVariable String resourceGroup) {
        ResourceId.requireSubscriptionId(subscriptionId);
        return list(subscriptionId, resourceGroup);
    }

    @GetMapping("/providers/Microsoft.Compute/availabilitySets")
    ObjectNode listInSubscription(@PathVariable String subscriptionId) {
        ResourceId.requireSubscriptionId(subscriptionId);
        return list(subscriptionId, null);
    }

    /** Pages of at most the list page size ({@code $top} lowers it), through {@code nextLink} / {@code $skiptoken}. */
    private ObjectNode list(String subscriptionId, String resourceGroup) {
        PageRequest page = ArmPaging.request(pageSize);
        int size = page.size();
        List<AvailabilitySet> rows = sets.list(subscriptionId, resourceGroup, page.after(), size + 1);
        ObjectNode body = JsonNodeFactory.instance.objectNode();
        ArrayNode value = body.putArray("value");
        rows.stream().limit(size).forEach(s -> value.add(representation(s)));
        if (rows.size() > size) {
            body.put("nextLink", ArmPaging.nextLink(rows.get(size - 1).key()));
        }
        return body;
    }

    private ObjectNode representation(AvailabilitySet set) {
        ObjectNode body = JsonNodeFactory.instance.objectNode();
        body.put("id", set.id());
        body.put("name", set.name());
        body.put("type", AvailabilitySet.TYPE);
        body.put("location", set.location());
        ObjectNode tags = body.putObject("tags");
        set.tags().forEach(tags::put);
        body.putObject("sku").put("name", set.sku());
        ObjectNode properties = body.putObject("properties");
        properties.put("platformFaultDomainCount", set.faultDomainCount());
        properties.put("platformUpdateDomainCount", set.updateDomainCount());
        ArrayNode members = properties.putArray("virtualMachines");
        sets.memberIds(set.key()).forEach(id -> members.addObject().put("id", id));
        return body;
    }

    static void checkName(String name) {
        if (name == null || !NAME.matcher(name).matches()) {
            throw ArmException.invalidParameter("The name '" + name + "' is not a valid availability set name. Use 1 to "
                    + "80 letters, digits, '_', '.' or '-', starting with a letter or digit and ending with a letter, "
                    + "digit or '_'.", "name");
        }
    }

    /** Reads a PUT body (or a PATCH merged onto the stored set): every refusal names its property. */
    static AvailabilitySet.Request parse(JsonNode body) {
        ArmJson.requireObject(body);
        String rawLocation = ArmJson.string(body, "location", "location");
        if (rawLocation == null || rawLocation.isBlank()) {
            throw ArmException.badRequest("LocationRequired", "The location property is required for this definition.",
                    "location");
        }
        String location = ArmLocations.require(rawLocation, "location");
        var tags = ArmTags.read(body);
        ObjectNode sku = ArmJson.object(body, "sku", "sku");
        String skuName = sku == null ? null : ArmJson.oneOf(sku, "name", "sku.name", "Aligned", "Classic");
        ObjectNode props = ArmJson.object(body, "properties", "properties");
        Integer fd = null;
        Integer ud = null;
        if (props != null) {
            fd = ArmJson.integer(props, "platformFaultDomainCount", "properties.platformFaultDomainCount", 1, 3);
            ud = ArmJson.integer(props, "platformUpdateDomainCount", "properties.platformUpdateDomainCount",
                    1, 20);
            // virtualMachines is read-only: the members are the VMs created in the set; its type is still checked
            ArmJson.array(props, "virtualMachines", "properties.virtualMachines");
        }
        return new AvailabilitySet.Request(location, skuName, fd, ud, tags);
    }
}
