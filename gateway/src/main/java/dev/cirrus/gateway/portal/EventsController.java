package dev.cirrus.gateway.portal;

import java.time.Duration;
import java.util.Map;

import dev.cirrus.gateway.authorization.ArmAction;
import dev.cirrus.gateway.authorization.Authorizer;
import dev.cirrus.gateway.identity.Caller;
import dev.cirrus.gateway.support.Blocking;
import org.springframework.http.MediaType;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The platform's lifecycle events as the gateway sees them on Kafka ({@link EventFeed}), for the portal; both need
 * {@code Cirrus.Events/events/read} at {@code /} (a Reader there has it):
 * <ul>
 *   <li>{@code GET /cirrus/events[?topic=&type=&resource=]}: the buffered ones, oldest first, {@code {"value":[…]}};</li>
 *   <li>{@code GET /cirrus/events/stream[?…]}: Server-Sent Events, the buffered ones first, then each as it arrives
 *       (event name {@code lifecycle}, data the event; a comment every 15 s keeps proxies from closing it).</li>
 * </ul>
 * {@code topic} is a topic's exact name, {@code type} and {@code resource} match a part of the type and the subject
 * (case-insensitive).
 */
@RestController
class EventsController {

    private static final ArmAction READ = new ArmAction("Cirrus.Events/events/read", "/");

    private final EventBuffer buffer;
    private final Authorizer authorizer;

    EventsController(EventBuffer buffer, Authorizer authorizer) {
        this.buffer = buffer;
        this.authorizer = authorizer;
    }

    @GetMapping("/cirrus/events")
    Mono<Map<String, Object>> recent(@RequestParam(required = false) String topic,
                                     @RequestParam(required = false) String type,
                                     @RequestParam(required = false) String resource, ServerWebExchange exchange) {
        Caller caller = caller(exchange);
        EventBuffer.Filter filter = new EventBuffer.Filter(topic, type, resource);
        return Blocking.call(() -> {
            authorizer.require(caller, READ);
            return Map.of("value", buffer.recent(filter));
        });
    }

    @GetMapping(path = "/cirrus/events/stream", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
    Flux<ServerSentEvent<Object>> stream(@RequestParam(required = false) String topic,
                                         @RequestParam(required = false) String type,
                                         @RequestParam(required = false) String resource,
                                         ServerWebExchange exchange) {
        Caller caller = caller(exchange);
        EventBuffer.Filter filter = new EventBuffer.Filter(topic, type, resource);
        return Blocking.call(() -> {
            authorizer.require(caller, READ);
            return true;
        }).thenMany(Flux.defer(() -> {
            Flux<ServerSentEvent<Object>> events = buffer.live(filter)
                    .startWith(buffer.recent(filter))
                    .map(e -> ServerSentEvent.builder((Object) e).event("lifecycle").id(e.id()).build());
            Flux<ServerSentEvent<Object>> heartbeat = Flux.interval(Duration.ofSeconds(15))
                    .map(i -> ServerSentEvent.builder().comment("keep-alive").build());
            return Flux.merge(events, heartbeat);
        }));
    }

    private static Caller caller(ServerWebExchange exchange) {
        return Caller.of(exchange).orElseThrow(() -> new IllegalStateException("the authentication filter let an "
                + "anonymous call through"));
    }
}
