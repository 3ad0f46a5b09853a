package dev.cirrus.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;

class EventTailTest {

    @Test
    void withoutArgumentsItReadsTheVmTopicFromTheDefaultBroker() {
        var o = EventTail.parse(List.of("--repo=/x"));
        assertThat(o.topics()).containsExactly("cirrus.compute.vm");
        assertThat(o.bootstrap()).isEqualTo("127.0.0.1:9092");
    }

    @Test
    void allMeansEveryCirrusTopicAndThePortOffsetMovesTheBroker() {
        var o = EventTail.parse(List.of("all", "--port-offset=1000"));
        assertThat(o.topics()).hasSize(8).contains("cirrus.resources", "cirrus.billing", "cirrus.faults");
        assertThat(o.bootstrap()).isEqualTo("127.0.0.1:10092");
    }

    @Test
    void anExplicitBootstrapWins() {
        assertThat(EventTail.parse(List.of("cirrus.placement", "--bootstrap=kafka:9092")).bootstrap()).isEqualTo("kafka:9092");
    }
}
