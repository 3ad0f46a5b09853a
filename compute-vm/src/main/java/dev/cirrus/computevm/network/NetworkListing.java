package dev.cirrus.computevm.network;

import java.util.List;
import java.util.Map;
import java.util.function.Function;

import dev.cirrus.computevm.network.NetworkRepository.Stored;
import dev.cirrus.contracts.arm.ArmJson;
import dev.cirrus.contracts.arm.ArmTags;
import dev.cirrus.contracts.arm.PageRequest;
import dev.cirrus.contracts.arm.Preconditions;
import dev.cirrus.plumbing.arm.ArmPaging;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/** What the network controllers share: paged lists, the answers of writes, the tags of a PATCH. */
@Component
class NetworkListing {

    private final Networks networks;
    private final int pageSize;

    NetworkListing(Networks networks, NetworkProperties properties) {
        this.networks = networks;
        this.pageSize = properties.pageSize();
    }

    /** A page of at most the page size ({@code $top} lowers it), continued through {@code nextLink}. */
    <T> ObjectNode list(Class<T> type, String subscriptionId, String resourceGroup,
                        Function<Stored<T>, ObjectNode> representation, Function<T, String> key) {
        PageRequest page = ArmPaging.request(pageSize);
        int size = page.size();
        List<Stored<T>> rows = networks.list(type, subscriptionId, resourceGroup, page.after(), size + 1);
        ObjectNode body = JsonNodeFactory.instance.objectNode();
        ArrayNode value = body.putArray("value");
        rows.stream().limit(size).forEach(r -> value.add(representation.apply(r)));
        if (rows.size() > size) {
            body.put("nextLink", ArmPaging.nextLink(key.apply(rows.get(size - 1).resource())));
        }
        return body;
    }

    static <T> ResponseEntity<ObjectNode> written(Networks.Written<T> written, Function<Stored<T>, ObjectNode> shape) {
        return ResponseEntity.status(written.created() ? HttpStatus.CREATED : HttpStatus.OK)
                .eTag(written.stored().etag()).body(shape.apply(written.stored()));
    }

    static ResponseEntity<Void> deleted(boolean existed) {
        return existed ? ResponseEntity.ok().build() : ResponseEntity.noContent().build();
    }

    /** The tags of an UpdateTags PATCH body, or null when it names none (the stored tags stay). */
    static Map<String, String> patchTags(JsonNode body) {
        ArmJson.requireObject(body);
        return body.has("tags") ? ArmTags.read(body) : null;
    }

    static Preconditions preconditions(String ifMatch, String ifNoneMatch) {
        return new Preconditions(ifMatch, ifNoneMatch);
    }
}
