package dev.cirrus.gateway.faults;

import java.net.URI;
import java.time.Clock;
import java.util.Map;
import java.util.UUID;

import dev.cirrus.gateway.arm.ArmPath;
import dev.cirrus.gateway.authorization.ArmAction;
import dev.cirrus.gateway.authorization.Authorizer;
import dev.cirrus.gateway.identity.Caller;
import dev.cirrus.gateway.provider.ProviderRegistry;
import dev.cirrus.gateway.support.Blocking;
import dev.cirrus.plumbing.arm.ArmException;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.util.UriComponentsBuilder;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;

/**
 * The fault-injection API (Cirrus's own, like the rest of {@code /cirrus/**}); each call needs a role at {@code /}
 * allowing its action, checked before anything else:
 * <ul>
 *   <li>{@code GET /cirrus/faults} ({@code Cirrus.Faults/rules/read}): the rules in force, {@code {"value":[…]}};</li>
 *   <li>{@code GET /cirrus/faults/{id}} (same): one, 404 {@code FaultRuleNotFound} when absent or expired;</li>
 *   <li>{@code POST /cirrus/faults} ({@code Cirrus.Faults/rules/write}): 201 with {@code Location} and the rule
 *       ({@link FaultRuleRequests} for the body and its 400s);</li>
 *   <li>{@code DELETE /cirrus/faults/{id}} ({@code Cirrus.Faults/rules/delete}): 200 with the rule, 204 when there is
 *       none.</li>
 * </ul>
 */
@RestController
class FaultsController {

    private final FaultRules rules;
    private final FaultRuleRequests requests;
    private final Authorizer authorizer;
    private final Clock clock;

    FaultsController(FaultRules rules, ProviderRegistry registry, FaultsProperties properties, Authorizer authorizer,
                     Clock clock) {
        this.rules = rules;
        this.requests = new FaultRuleRequests(registry, properties.maxDuration());
        this.authorizer = authorizer;
        this.clock = clock;
    }

    @GetMapping("/cirrus/faults")
    Mono<Map<String, Object>> list(ServerWebExchange exchange) {
        Caller caller = caller(exchange);
        return Blocking.call(() -> {
            authorizer.require(caller, new ArmAction("Cirrus.Faults/rules/read", "/"));
            return Map.of("value", rules.list().stream().map(FaultRule::toJson).toList());
        });
    }

    @GetMapping("/cirrus/faults/{id}")
    Mono<Map<String, Object>> get(@PathVariable String id, ServerWebExchange exchange) {
        Caller caller = caller(exchange);
        return Blocking.call(() -> {
            authorizer.require(caller, new ArmAction("Cirrus.Faults/rules/read", "/"));
            return rules.get(guid(id)).orElseThrow(() -> notFound(id)).toJson();
        });
    }

    @PostMapping("/cirrus/faults")
    Mono<ResponseEntity<Map<String, Object>>> create(@RequestBody(required = false) JsonNode body,
                                                     ServerWebExchange exchange) {
        Caller caller = caller(exchange);
        URI base = exchange.getRequest().getURI();
        return Blocking.call(() -> {
            authorizer.require(caller, new ArmAction("Cirrus.Faults/rules/write", "/"));
            FaultRule rule = rules.create(requests.read(body, UUID.randomUUID().toString(), clock.instant()));
            URI location = UriComponentsBuilder.fromUri(base).replacePath("/cirrus/faults/{id}").replaceQuery(null)
                    .build(rule.id());
            return ResponseEntity.status(HttpStatus.CREATED).location(location).body(rule.toJson());
        });
    }

    @DeleteMapping("/cirrus/faults/{id}")
    Mono<ResponseEntity<Map<String, Object>>> delete(@PathVariable String id, ServerWebExchange exchange) {
        Caller caller = caller(exchange);
        return Blocking.call(() -> {
            authorizer.require(caller, new ArmAction("Cirrus.Faults/rules/delete", "/"));
            return rules.delete(guid(id), "Deleted").map(r -> ResponseEntity.ok(r.toJson()))
                    .orElseGet(() -> ResponseEntity.noContent().build());
        });
    }

    private static String guid(String id) {
        if (!ArmPath.isGuid(id)) {
            throw ArmException.invalidParameter("The fault rule id '" + id + "' is not a GUID.", "id");
        }
        return id;
    }

    private static ArmException notFound(String id) {
        return ArmException.notFound("FaultRuleNotFound", "The fault rule '" + id + "' was not found.");
    }

    private static Caller caller(ServerWebExchange exchange) {
        return Caller.of(exchange).orElseThrow(() -> new IllegalStateException("the authentication filter let an "
                + "anonymous operator call through"));
    }
}
