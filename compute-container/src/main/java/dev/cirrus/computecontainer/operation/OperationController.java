package dev.cirrus.computecontainer.operation;

import java.util.UUID;

import dev.cirrus.contracts.arm.ArmLocations;
import dev.cirrus.contracts.arm.ResourceId;
import org.springframework.http.HttpHeaders;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.support.ServletUriComponentsBuilder;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * The {@code Azure-AsyncOperation} URL of a container group's create, start or restart: always 200 with the status,
 * and {@code Retry-After} while it is InProgress.
 */
@RestController
class OperationController {

    /** Seconds a client should wait between polls: local operations take seconds. */
    static final String RETRY_AFTER = "1";

    private final OperationRepository operations;

    OperationController(OperationRepository operations) {
        this.operations = operations;
    }

    @GetMapping("/subscriptions/{subscriptionId}/providers/Microsoft.ContainerInstance/locations/{location}/operations/{operationId}")
    ResponseEntity<ObjectNode> status(@PathVariable String subscriptionId, @PathVariable String location,
                                      @PathVariable String operationId) {
        ResourceId.requireSubscriptionId(subscriptionId);
        String loc = ArmLocations.require(location, "location");
        UUID id;
        try {
            id = UUID.fromString(operationId);
        } catch (IllegalArgumentException e) {
            throw Operation.notFound(operationId);
        }
        Operation op = operations.find(subscriptionId, id).filter(o -> o.location().equals(loc))
                .orElseThrow(() -> Operation.notFound(operationId));
        ObjectNode body = JsonNodeFactory.instance.objectNode();
        body.put("id", ServletUriComponentsBuilder.fromCurrentRequestUri().build(true).getPath());
        body.put("name", op.id().toString());
        body.put("status", op.status().name());
        body.put("startTime", op.startTime().toString());
        if (op.endTime() != null) {
            body.put("endTime", op.endTime().toString());
        }
        if (op.errorCode() != null) {
            body.putObject("error").put("code", op.errorCode()).put("message", op.errorMessage());
        }
        ResponseEntity.BodyBuilder ok = ResponseEntity.ok();
        if (op.status() == Operation.Status.InProgress) {
            ok.header(HttpHeaders.RETRY_AFTER, RETRY_AFTER);
        }
        return ok.body(body);
    }
}
