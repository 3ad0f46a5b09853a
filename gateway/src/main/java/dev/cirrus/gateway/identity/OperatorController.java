package dev.cirrus.gateway.identity;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

import dev.cirrus.gateway.arm.ArmPath;
import dev.cirrus.gateway.authorization.ArmAction;
import dev.cirrus.gateway.authorization.Authorizer;
import dev.cirrus.gateway.authorization.RoleAssignments;
import dev.cirrus.gateway.authorization.RoleDefinition;
import dev.cirrus.gateway.support.Blocking;
import dev.cirrus.plumbing.arm.ArmException;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.transaction.support.TransactionTemplate;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

/**
 * The operator API (Cirrus's own, not ARM's): create subscriptions and service principals, rotate the token signing
 * key. Authenticated like ARM calls; each needs a role at the root scope {@code /} that allows its action (the
 * administrator is Owner there):
 * <ul>
 *   <li>{@code PUT /cirrus/subscriptions/{subscriptionId}} {@code {"displayName"}} — {@code Microsoft.Subscription/aliases/write};
 *       the caller becomes Owner of the new subscription;</li>
 *   <li>{@code POST /cirrus/servicePrincipals} {@code {"displayName"}} — {@code Microsoft.Directory/servicePrincipals/create};
 *       answers {@code {tenantId, clientId, objectId, clientSecret}} (the secret is shown once);</li>
 *   <li>{@code POST /cirrus/signingKeys} — {@code Microsoft.Directory/signingKeys/rotate/action}: a new key signs
 *       from now on, tokens already issued stay valid.</li>
 * </ul>
 */
@RestController
class OperatorController {

    private final Directory directory;
    private final RoleAssignments assignments;
    private final Authorizer authorizer;
    private final SigningKeys keys;
    private final TransactionTemplate tx;
    private final Clock clock;

    OperatorController(Directory directory, RoleAssignments assignments, Authorizer authorizer, SigningKeys keys,
                       TransactionTemplate tx, Clock clock) {
        this.directory = directory;
        this.assignments = assignments;
        this.authorizer = authorizer;
        this.keys = keys;
        this.tx = tx;
        this.clock = clock;
    }

    record Named(String displayName) {
    }

    @PutMapping("/cirrus/subscriptions/{subscriptionId}")
    Mono<ResponseEntity<Map<String, Object>>> putSubscription(@PathVariable String subscriptionId,
                                                              @RequestBody(required = false) Named body,
                                                              ServerWebExchange exchange) {
        Caller caller = caller(exchange);
        return Blocking.call(() -> {
            authorizer.require(caller, new ArmAction("Microsoft.Subscription/aliases/write", "/"));
            if (!ArmPath.isGuid(subscriptionId)) {
                throw ArmException.badRequest("InvalidSubscriptionId", "The provided subscription identifier '"
                        + subscriptionId + "' is malformed or invalid.", "subscriptionId");
            }
            String id = subscriptionId.toLowerCase(Locale.ROOT);
            String name = body == null || body.displayName() == null || body.displayName().isBlank()
                    ? id : body.displayName();
            Instant now = clock.instant();
            boolean created = Boolean.TRUE.equals(tx.execute(status -> {
                boolean existed = directory.subscription(id).isPresent();
                if (!directory.putSubscription(id, caller.tenantId(), name, now)) {
                    throw ArmException.conflict("SubscriptionExists",
                            "The subscription '" + id + "' exists in another tenant.");
                }
                if (!existed) {
                    assignments.insert(new RoleAssignments.RoleAssignment("/subscriptions/" + id,
                            UUID.randomUUID().toString(), RoleDefinition.OWNER.id(), caller.objectId(),
                            "ServicePrincipal", "creator of the subscription", now, caller.objectId()));
                }
                return !existed;
            }));
            Map<String, Object> answer = new LinkedHashMap<>();
            answer.put("id", "/subscriptions/" + id);
            answer.put("subscriptionId", id);
            answer.put("tenantId", caller.tenantId());
            answer.put("displayName", name);
            answer.put("state", "Enabled");
            return ResponseEntity.status(created ? HttpStatus.CREATED : HttpStatus.OK).body(answer);
        });
    }

    @PostMapping("/cirrus/servicePrincipals")
    Mono<ResponseEntity<Map<String, Object>>> createPrincipal(@RequestBody(required = false) Named body,
                                                              ServerWebExchange exchange) {
        Caller caller = caller(exchange);
        return Blocking.call(() -> {
            authorizer.require(caller, new ArmAction("Microsoft.Directory/servicePrincipals/create", "/"));
            String name = body == null || body.displayName() == null || body.displayName().isBlank()
                    ? "cirrus-principal" : body.displayName();
            byte[] random = new byte[32];
            new SecureRandom().nextBytes(random);
            String secret = Base64.getUrlEncoder().withoutPadding().encodeToString(random);
            Directory.Principal principal = new Directory.Principal(UUID.randomUUID().toString(),
                    UUID.randomUUID().toString(), caller.tenantId(), name);
            directory.putPrincipal(principal, secret, clock.instant());
            Map<String, Object> answer = new LinkedHashMap<>();
            answer.put("tenantId", principal.tenantId());
            answer.put("clientId", principal.appId());
            answer.put("objectId", principal.objectId());
            answer.put("displayName", name);
            answer.put("clientSecret", secret);
            return ResponseEntity.status(HttpStatus.CREATED).body(answer);
        });
    }

    @PostMapping("/cirrus/signingKeys")
    Mono<Map<String, Object>> rotate(ServerWebExchange exchange) {
        Caller caller = caller(exchange);
        return Blocking.call(() -> {
            authorizer.require(caller, new ArmAction("Microsoft.Directory/signingKeys/rotate/action", "/"));
            return Map.<String, Object>of("kid", keys.rotate().kid(), "keys", keys.all().size());
        });
    }

    private static Caller caller(ServerWebExchange exchange) {
        return Caller.of(exchange).orElseThrow(() -> new IllegalStateException("the authentication filter let an "
                + "anonymous operator call through"));
    }
}
