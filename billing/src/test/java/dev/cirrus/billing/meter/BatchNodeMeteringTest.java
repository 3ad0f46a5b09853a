package dev.cirrus.billing.meter;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;

import dev.cirrus.billing.price.PriceSheet;
import dev.cirrus.billing.price.PriceSheetLoader;
import dev.cirrus.contracts.events.CloudEvent;
import dev.cirrus.contracts.events.EventTypes;
import dev.cirrus.contracts.events.VmLifecycleData;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * A Batch node as compute-vm publishes it ({@code Microsoft.Batch.PoolNode*} with {@code VmLifecycleData}, subject
 * {@code …/batchAccounts/{a}/pools/{p}/nodes/{n}}) is metered as a VM of its size per second until it is deleted.
 */
class BatchNodeMeteringTest {

    static final PriceSheet PRICES = PriceSheetLoader.load("classpath:prices/test-price-sheet.yaml");
    static final EventReader READER = new EventReader(PRICES, false);
    static final JsonMapper JSON = JsonMapper.builder().enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS).build();
    static final String NODE = "/subscriptions/s1/resourceGroups/rg/providers/Microsoft.Batch/batchAccounts/render01"
            + "/pools/frames/nodes/tvmps_0a1b";

    static CloudEvent node(String type, String powerState, String provisioningState) {
        return CloudEvent.of("compute-vm", type, NODE, Instant.parse("2026-12-06T22:00:00Z"), JSON.valueToTree(
                new VmLifecycleData("s1", "rg", "tvmps_0a1b", "westeurope", "3c5e7a9b-1d2f-4a3c-9e5b-7d9f1b3d5f71",
                        "Standard_D2s_v5", 2, 8192, provisioningState, powerState, "weu-c1-r1-h01", 0, 0)));
    }

    @Test
    void aStartedNodeIsBilledAtItsSizesRegionalPriceAndADeletedOneStops() {
        Reading.Transition started = (Reading.Transition) READER.read(node(EventTypes.BATCH_NODE_STARTED, "running",
                "Succeeded"));
        assertThat(started.resource().type()).isEqualTo("Microsoft.Batch/batchAccounts/pools/nodes");
        assertThat(started.resource().name()).isEqualTo("render01/frames/tvmps_0a1b");
        assertThat(started.endsResource()).isFalse();
        assertThat(started.problem()).isNull();
        assertThat(started.rates()).singleElement().satisfies(r -> {
            assertThat(r.meterName()).containsIgnoringCase("D2s");
            assertThat(r.unitPrice()).isEqualByComparingTo("0.107");
            assertThat(r.quantityPerHour()).isEqualByComparingTo("1");
        });

        Reading.Transition deleted = (Reading.Transition) READER.read(node(EventTypes.BATCH_NODE_DELETED, null,
                "Deleted"));
        assertThat(deleted.rates()).isEmpty();
        assertThat(deleted.endsResource()).isTrue();
    }
}
