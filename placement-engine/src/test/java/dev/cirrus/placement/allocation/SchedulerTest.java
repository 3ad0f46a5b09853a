package dev.cirrus.placement.allocation;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;

import dev.cirrus.placement.inventory.HostState;
import dev.cirrus.placement.inventory.HostUsage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The scheduler alone: a pure function of a request and the hosts' use. */
class SchedulerTest {

    final Scheduler scheduler = Scheduler.firstFit();

    static HostUsage host(String name, int freeVcpus, long freeMemoryGib) {
        return new HostUsage(name, "eastus", "eus-c1", "eus-c1-r1", 0, HostState.InService, 64, 256 * 1024,
                64 - freeVcpus, 256 * 1024 - freeMemoryGib * 1024, 1);
    }

    static PlacementRequest vm(int vcpus, int memoryGib) {
        return PlacementRequest.of(UUID.randomUUID().toString(), "/subscriptions/s/resourceGroups/rg/providers/"
                + "Microsoft.Compute/virtualMachines/vm", "eastus", new VmSize("", vcpus, memoryGib * 1024), null);
    }

    static Stream<Arguments> placements() {
        return Stream.of(
                Arguments.of("the first host by name, whatever the order given",
                        List.of(host("h03", 64, 256), host("h01", 64, 256), host("h02", 64, 256)), vm(2, 8), "h01"),
                Arguments.of("zero-padded names sort as numbered",
                        List.of(host("h10", 64, 256), host("h02", 64, 256)), vm(2, 8), "h02"),
                Arguments.of("the first host with room, not the tightest",
                        List.of(host("a", 1, 256), host("b", 8, 256), host("c", 2, 8)), vm(2, 8), "b"),
                Arguments.of("a host with exactly the free capacity takes the VM",
                        List.of(host("a", 1, 256), host("b", 4, 16)), vm(4, 16), "b"),
                Arguments.of("memory counts as much as vCPU",
                        List.of(host("a", 64, 15), host("b", 64, 16)), vm(4, 16), "b"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("placements")
    void theVmGoesOnTheFirstHostByNameThatHasRoom(String what, List<HostUsage> hosts, PlacementRequest vm,
                                                   String expected) {
        Decision decision = scheduler.schedule(vm, hosts);

        assertThat(decision).isInstanceOfSatisfying(Decision.Fits.class,
                fits -> assertThat(fits.host().name()).isEqualTo(expected));
    }

    static Stream<Arguments> refusals() {
        return Stream.of(
                Arguments.of("the worked example of the class comment",
                        List.of(host("a", 4, 64), host("b", 16, 8), host("c", 2, 4)), vm(8, 16),
                        "0/3 hosts in eastus are available: 2 insufficient vCPU, 1 insufficient memory"),
                Arguments.of("each host is counted once, by its first failing check: vCPU before memory",
                        List.of(host("a", 1, 1), host("b", 1, 1)), vm(2, 8),
                        "0/2 hosts in eastus are available: 2 insufficient vCPU"),
                Arguments.of("the larger count comes first",
                        List.of(host("a", 64, 1), host("b", 64, 1), host("c", 1, 256)), vm(2, 8),
                        "0/3 hosts in eastus are available: 2 insufficient memory, 1 insufficient vCPU"),
                Arguments.of("equal counts read alphabetically",
                        List.of(host("a", 1, 256), host("b", 64, 1)), vm(2, 8),
                        "0/2 hosts in eastus are available: 1 insufficient memory, 1 insufficient vCPU"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("refusals")
    void whenNoHostHasRoomTheDecisionCountsTheHostsPerReason(String what, List<HostUsage> hosts, PlacementRequest vm,
                                                              String message) {
        Decision decision = scheduler.schedule(vm, hosts);

        assertThat(decision).isInstanceOfSatisfying(Decision.NothingFits.class,
                nothing -> assertThat(nothing.message()).isEqualTo(message));
    }

    @Test
    void aHostThatTheInventoryShrankBelowItsUseTakesNothing() {
        HostUsage shrunk = new HostUsage("a", "eastus", "eus-c1", "eus-c1-r1", 0, HostState.InService, 8, 8192, 16,
                16384, 4);

        assertThat(scheduler.schedule(vm(1, 1), List.of(shrunk))).isInstanceOf(Decision.NothingFits.class);
    }
}
