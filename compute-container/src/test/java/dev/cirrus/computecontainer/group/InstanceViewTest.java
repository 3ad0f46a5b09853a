package dev.cirrus.computecontainer.group;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;

import dev.cirrus.computecontainer.runtime.DockerEngine;
import org.junit.jupiter.api.Test;

/** How the monitor turns what the engine says about a container into Azure's instance view. */
class InstanceViewTest {

    static final Instant T0 = Instant.parse("2026-12-06T10:00:00Z");

    static ContainerInstanceView running() {
        return ContainerInstanceView.waiting("web").moved("c1", 0,
                new ContainerInstanceView.State("Running", T0, null, null, ""));
    }

    @Test
    void anExitBecomesTheCurrentStateAndTheRunItEndedThePreviousOne() {
        DockerEngine.Observed exited = new DockerEngine.Observed("c1", "exited", false, false, 7, T0,
                T0.plusSeconds(5), 0, false);

        ContainerInstanceView next = GroupMonitor.next(running(), exited, T0.plusSeconds(6));

        assertThat(next.currentState()).isEqualTo(new ContainerInstanceView.State("Terminated", T0, 7,
                T0.plusSeconds(5), "Error"));
        assertThat(next.previousState().state()).isEqualTo("Running");
        assertThat(next.restartCount()).isZero();
    }

    @Test
    void aRestartByTheEngineIsCountedAndAnnouncedAndTheEndedRunBecomesThePreviousState() {
        DockerEngine.Observed restarted = new DockerEngine.Observed("c1", "running", true, false, 0,
                T0.plusSeconds(10), T0.plusSeconds(9), 1, false);

        ContainerInstanceView next = GroupMonitor.next(running(), restarted, T0.plusSeconds(11));

        assertThat(next.restartCount()).isEqualTo(1);
        assertThat(next.currentState().state()).isEqualTo("Running");
        assertThat(next.currentState().startTime()).isEqualTo(T0.plusSeconds(10));
        assertThat(next.previousState().state()).isEqualTo("Terminated");
        assertThat(next.events()).extracting(ContainerInstanceView.ViewEvent::name).containsExactly("Started");
    }

    @Test
    void aContainerWaitingToBeRestartedIsWaitingInCrashLoopBackOffAndAnOomKillSaysSo() {
        DockerEngine.Observed waiting = new DockerEngine.Observed("c1", "restarting", false, true, 1, T0,
                T0.plusSeconds(1), 2, false);
        DockerEngine.Observed killed = new DockerEngine.Observed("c1", "exited", false, false, 137, T0,
                T0.plusSeconds(1), 0, true);

        assertThat(GroupMonitor.next(running(), waiting, T0).currentState().detailStatus())
                .isEqualTo("CrashLoopBackOff");
        assertThat(GroupMonitor.next(running(), killed, T0).currentState().detailStatus()).isEqualTo("OOMKilled");
    }

    @Test
    void theSameEventTwiceIsCountedNotRepeated() {
        ContainerInstanceView v = running().withEvent("Started", "Started container", T0)
                .withEvent("Started", "Started container", T0.plusSeconds(3));

        assertThat(v.events()).singleElement().satisfies(e -> {
            assertThat(e.count()).isEqualTo(2);
            assertThat(e.firstTimestamp()).isEqualTo(T0);
            assertThat(e.lastTimestamp()).isEqualTo(T0.plusSeconds(3));
        });
    }
}
