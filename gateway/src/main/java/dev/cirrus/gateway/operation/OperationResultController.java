package dev.cirrus.gateway.operation;

import java.util.Locale;

import dev.cirrus.gateway.support.Blocking;
import dev.cirrus.plumbing.arm.ArmException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.ResponseEntity;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

/**
 * The Location URL of the gateway's asynchronous operations: 202 with the same Location while the
 * operation runs, then what the synchronous call would have answered (200, no body).
 */
@RestController
class OperationResultController {

    private final OperationResults operations;

    OperationResultController(OperationResults operations) {
        this.operations = operations;
    }

    @GetMapping("/subscriptions/{subscriptionId}/operationresults/{operationId}")
    Mono<ResponseEntity<Void>> result(@PathVariable String subscriptionId, @PathVariable String operationId,
                                      ServerHttpRequest request) {
        String subscription = subscriptionId.toLowerCase(Locale.ROOT);
        return Blocking.call(() -> operations.find(subscription, operationId).orElseThrow(() ->
                        ArmException.notFound("OperationNotFound",
                                "The operation '" + operationId + "' could not be found.")))
                .map(op -> switch (op.status()) {
                    case InProgress -> ResponseEntity.accepted().header(HttpHeaders.RETRY_AFTER, "1")
                            .header(HttpHeaders.LOCATION, request.getURI().toString()).<Void>build();
                    case Succeeded -> ResponseEntity.ok().<Void>build();
                });
    }
}
