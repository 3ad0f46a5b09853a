package dev.cirrus.computevm.operation;

import java.util.UUID;

import dev.cirrus.computevm.arm.ArmLinks;
import dev.cirrus.contracts.arm.ArmLocations;
import dev.cirrus.contracts.arm.ResourceId;
import dev.cirrus.contracts.arm.ArmError;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.support.ServletUriComponentsBuilder;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * The two polling URLs of an ARM long-running operation:
 * <ul>
 *   <li>{@code …/locations/{loc}/operations/{id}} (Azure-AsyncOperation): always 200 with the status;</li>
 *   <li>{@code …/locations/{loc}/operationResults/{id}} (Location): 202 while running, then what the synchronous
 *       call would have answered: 204 for a finished delete, 200 for a finished create, the error when failed.</li>
 * </ul>
 */
@RestController
@RequestMapping("/subscriptions/{subscriptionId}/providers/Microsoft.Compute/locations/{location}")
class OperationController {

    /** Seconds a client should wait between polls; small, because local operations take seconds. */
    static final String RETRY_AFTER = "1";

    private final OperationRepository operations;

    OperationController(OperationRepository operations) {
        this.operations = operations;
    }

    /**
     * The status; while it is {@code InProgress} with {@code Retry-After} (without it the Azure CLI and the Python
     * SDK wait their default 30 s before the next poll).
     */
    @GetMapping("/operations/{operationId}")
    ResponseEntity<ObjectNode> status(@PathVariable String subscriptionId, @PathVariable String location,
                      @PathVariable String operationId) {
        Operation op = find(subscriptionId, location, operationId);
        ObjectNode body = JsonNodeFactory.instance.objectNode();
        body.put("id", ServletUriComponentsBuilder.fromCurrentRequestUri().build(true).getPath());
        body.put("name", op.id().toString());
        body.put("status", op.status().name());
        body.put("startTime", op.startTime().toString());
        if (op.endTime() != null) {
            body.put("endTime", op.endTime().toString());
        }
        if (op.error() != null) {
            body.putObject("error").put("code", op.error().code()).put("message", op.error().message());
        }
        ResponseEntity.BodyBuilder ok = ResponseEntity.ok();
        if (op.status() == OperationStatus.InProgress) {
            ok.header(HttpHeaders.RETRY_AFTER, RETRY_AFTER);
        }
        return ok.body(body);
    }

    @GetMapping("/operationResults/{operationId}")
    ResponseEntity<?> result(@PathVariable String subscriptionId, @PathVariable String location,
                             @PathVariable String operationId,
                             @RequestParam(name = "api-version", required = false) String apiVersion) {
        Operation op = find(subscriptionId, location, operationId);
        return switch (op.status()) {
            case InProgress -> ResponseEntity.accepted()
                    .location(ArmLinks.operationResult(subscriptionId, op.location(), op.id(), apiVersion))
                    .header(HttpHeaders.RETRY_AFTER, RETRY_AFTER)
                    .build();
            case Succeeded -> op.kind() == OperationKind.Delete
                    ? ResponseEntity.noContent().build()
                    : ResponseEntity.ok().build();
            case Failed, Canceled -> ResponseEntity.status(op.error().httpStatus())
                    .contentType(MediaType.APPLICATION_JSON)
                    .body(new ArmError(op.error().code(), op.error().message(), null).body());
        };
    }

    private Operation find(String subscriptionId, String location, String operationId) {
        ResourceId.requireSubscriptionId(subscriptionId);
        String loc = ArmLocations.require(location, "location");
        UUID id;
        try {
            id = UUID.fromString(operationId);
        } catch (IllegalArgumentException e) {
            throw Operation.notFound(operationId);
        }
        return operations.find(subscriptionId, id).filter(op -> op.location().equals(loc))
                .orElseThrow(() -> Operation.notFound(operationId));
    }
}
