package dev.cirrus.placement.allocation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cirrus.contracts.events.PlacementData;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;

/** The group commit builds a placement event's data by hand: it must be the JSON Jackson makes of the record. */
class EventDataTest {

    final ObjectMapper json = JsonMapper.builder().build();

    @Test
    void aPlacementEventsDataIsTheJsonJacksonWritesForThePlacementRecord() {
        PlacementData data = new PlacementData("6f1c0d5e-8a51-4f5e-9d3a-2b7c0e4d1a90", "weu-c1-r2-h07", "weu-c1-r2",
                "weu-c1", "westeurope", 1, 3, 4, 16384);

        assertThat(GroupCommit.data(json, data)).isEqualTo(json.valueToTree(data));
        assertThat(json.writeValueAsString(GroupCommit.data(json, data))).isEqualTo(json.writeValueAsString(data));
    }
}
