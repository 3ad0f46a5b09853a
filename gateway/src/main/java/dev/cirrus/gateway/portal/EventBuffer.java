package dev.cirrus.gateway.portal;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Predicate;

import org.springframework.stereotype.Component;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Sinks;

/**
 * The latest lifecycle events the gateway has seen on Kafka, for the portal: a bounded in-memory buffer
 * ({@code cirrus.portal.event-buffer}, oldest dropped first) and a live feed of what arrives after. A slow
 * subscriber of the live feed misses events rather than holding the others up.
 */
@Component
public class EventBuffer {

    /** One event as read from its topic. */
    public record Seen(String topic, String id, String type, String subject, String source, String time,
                       Object data) {
    }

    /** What a reader asks for: each criterion absent or blank = any; resource matches a part of the subject. */
    public record Filter(String topic, String type, String resource) implements Predicate<Seen> {

        @Override
        public boolean test(Seen event) {
            return (blank(topic) || topic.equalsIgnoreCase(event.topic()))
                    && (blank(type) || event.type() != null && event.type().toLowerCase(Locale.ROOT)
                    .contains(type.toLowerCase(Locale.ROOT)))
                    && (blank(resource) || event.subject() != null && event.subject().toLowerCase(Locale.ROOT)
                    .contains(resource.toLowerCase(Locale.ROOT)));
        }

        private static boolean blank(String value) {
            return value == null || value.isBlank();
        }
    }

    private final int capacity;
    private final ArrayDeque<Seen> latest;
    private final Sinks.Many<Seen> live = Sinks.many().multicast().directBestEffort();

    EventBuffer(PortalProperties properties) {
        this.capacity = properties.eventBuffer();
        this.latest = new ArrayDeque<>(Math.min(capacity, 1024));
    }

    void add(Seen event) {
        synchronized (latest) {
            if (latest.size() == capacity) {
                latest.removeFirst();
            }
            latest.addLast(event);
        }
        live.tryEmitNext(event);
    }

    /** The buffered events matching the filter, oldest first. */
    public List<Seen> recent(Filter filter) {
        synchronized (latest) {
            return new ArrayList<>(latest.stream().filter(filter).toList());
        }
    }

    /** Events matching the filter as they arrive. */
    public Flux<Seen> live(Filter filter) {
        return live.asFlux().filter(filter);
    }
}
