package dev.cirrus.contracts.events;

import java.time.Instant;
import java.util.Objects;
import java.util.UUID;

import tools.jackson.databind.JsonNode;

/**
 * A CloudEvents 1.0 event in structured JSON mode, as Cirrus publishes it on Kafka (one event per record,
 * record key = lower-cased {@link #subject()}).
 *
 * @param specversion always "1.0"
 * @param id          unique per event; consumers deduplicate on it
 * @param source      "/cirrus/{service}"
 * @param type        Event Grid style, e.g. {@code Microsoft.Compute.VirtualMachineStarted}; see {@link EventTypes}
 * @param subject     the ARM resource id the event is about
 * @param time        when the transition happened
 * @param datacontenttype always "application/json"
 * @param data        the facts a consumer needs without calling back
 */
public record CloudEvent(String specversion, String id, String source, String type, String subject, Instant time,
                         String datacontenttype, JsonNode data) {

    public static final String SPEC_VERSION = "1.0";
    public static final String CONTENT_TYPE = "application/cloudevents+json";

    public CloudEvent {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(subject, "subject");
        Objects.requireNonNull(time, "time");
    }

    public static CloudEvent of(String service, String type, String subject, Instant time, JsonNode data) {
        return new CloudEvent(SPEC_VERSION, UUID.randomUUID().toString(), "/cirrus/" + service, type, subject, time,
                "application/json", data);
    }

    /** The Kafka record key: the lower-cased ARM resource id, so all events of one resource share a partition. */
    public String key() {
        return subject.toLowerCase(java.util.Locale.ROOT);
    }
}
