package dev.cirrus.placement.allocation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;

import dev.cirrus.placement.inventory.HostState;
import dev.cirrus.placement.inventory.HostUsage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The scheduler alone: a pure function of a request, its set and the hosts' use. */
class SchedulerTest {

    final Scheduler pack = Scheduler.standard();
    final Scheduler spread = new SchedulerProperties(null, Map.of("spread", 1.0)).scheduler();

    static HostUsage host(String name, int freeVcpus, long freeMemoryGib) {
        return host(name, 0, HostState.InService, freeVcpus, freeMemoryGib);
    }

    static HostUsage host(String name, int rack, HostState state, int freeVcpus, long freeMemoryGib) {
        return new HostUsage(name, "eastus", "eus-c1", "eus-c1-r" + (rack + 1), rack, state, 64, 256 * 1024,
                64 - freeVcpus, 256 * 1024 - freeMemoryGib * 1024, 1);
    }

    static PlacementRequest vm(int vcpus, int memoryGib) {
        return vm(vcpus, memoryGib, null);
    }

    static PlacementRequest vm(int vcpus, int memoryGib, PlacementGroup group) {
        return PlacementRequest.of(UUID.randomUUID().toString(), "/subscriptions/s/resourceGroups/rg/providers/"
                + "Microsoft.Compute/virtualMachines/vm", "eastus", new VmSize("", vcpus, memoryGib * 1024), group);
    }

    static Decision decide(Scheduler scheduler, PlacementRequest request, List<HostUsage> hosts) {
        RegionView region = new RegionView(hosts);
        GroupState group = request.group() == null ? null : GroupState.empty(request.group());
        return scheduler.schedule(new PlacementContext(request, group, region.racksPerCluster()), hosts);
    }

    static Stream<Arguments> packings() {
        return Stream.of(
                Arguments.of("equal hosts: the first by name, whatever the order given",
                        List.of(host("h03", 64, 256), host("h01", 64, 256), host("h02", 64, 256)), vm(2, 8), "h01"),
                Arguments.of("zero-padded names sort as numbered",
                        List.of(host("h10", 64, 256), host("h02", 64, 256)), vm(2, 8), "h02"),
                Arguments.of("the tightest host with room (best fit)",
                        List.of(host("a", 1, 256), host("b", 8, 256), host("c", 2, 8)), vm(2, 8), "c"),
                Arguments.of("a host with exactly the free capacity takes the VM",
                        List.of(host("a", 64, 256), host("b", 4, 16)), vm(4, 16), "b"),
                Arguments.of("memory counts as much as vCPU",
                        List.of(host("a", 64, 15), host("b", 64, 16)), vm(4, 16), "b"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("packings")
    void inPackModeTheVmGoesOnTheFullestHostThatHasRoom(String what, List<HostUsage> hosts, PlacementRequest vm,
                                                          String expected) {
        assertThat(decide(pack, vm, hosts)).isInstanceOfSatisfying(Decision.Fits.class,
                fits -> assertThat(fits.host().name()).isEqualTo(expected));
    }

    @Test
    void inSpreadModeTheVmGoesOnTheEmptiestHost() {
        List<HostUsage> hosts = List.of(host("a", 8, 256), host("b", 60, 200), host("c", 30, 256));

        assertThat(decide(spread, vm(2, 8), hosts)).isInstanceOfSatisfying(Decision.Fits.class,
                fits -> assertThat(fits.host().name()).isEqualTo("b"));
    }

    @Test
    void withTwoScorersTheNormalizedScoresAreWeighedByConfiguration() {
        // the worked example of the class comment: b is half full, c empty; a has no room
        List<HostUsage> hosts = List.of(host("a", 4, 240), host("b", 32, 192), host("c", 64, 256));
        Scheduler morePack = new SchedulerProperties(null, Map.of("pack", 2.0, "spread", 1.0)).scheduler();
        Scheduler moreSpread = new SchedulerProperties(null, Map.of("pack", 1.0, "spread", 2.0)).scheduler();

        assertThat(decide(morePack, vm(8, 16), hosts)).isInstanceOfSatisfying(Decision.Fits.class,
                fits -> assertThat(fits.host().name()).isEqualTo("b"));
        assertThat(decide(moreSpread, vm(8, 16), hosts)).isInstanceOfSatisfying(Decision.Fits.class,
                fits -> assertThat(fits.host().name()).isEqualTo("c"));
    }

    static Stream<Arguments> refusals() {
        return Stream.of(
                Arguments.of("the worked example of the class comment",
                        List.of(host("a", 4, 64), host("b", 7, 256), host("c", 2, 4),
                                host("d", 1, HostState.Failed, 64, 256)), vm(8, 16),
                        "0/4 hosts in eastus are available: 3 insufficient vCPU, 1 host failed"),
                Arguments.of("each host is counted once, by its first failing check: vCPU before memory",
                        List.of(host("a", 1, 1), host("b", 1, 1)), vm(2, 8),
                        "0/2 hosts in eastus are available: 2 insufficient vCPU"),
                Arguments.of("the larger count comes first",
                        List.of(host("a", 64, 1), host("b", 64, 1), host("c", 1, 256)), vm(2, 8),
                        "0/3 hosts in eastus are available: 2 insufficient memory, 1 insufficient vCPU"),
                Arguments.of("health is checked before room: a drained host is named as drained",
                        List.of(host("a", 0, HostState.Drained, 0, 0), host("b", 64, 1)), vm(2, 8),
                        "0/2 hosts in eastus are available: 1 host drained, 1 insufficient memory"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("refusals")
    void whenNoHostPassesTheDecisionCountsTheHostsPerReason(String what, List<HostUsage> hosts, PlacementRequest vm,
                                                            String message) {
        assertThat(decide(pack, vm, hosts)).isInstanceOfSatisfying(Decision.NothingFits.class,
                nothing -> assertThat(nothing.message()).isEqualTo(message));
    }

    @Test
    void aHostThatTheInventoryShrankBelowItsUseTakesNothing() {
        HostUsage shrunk = new HostUsage("a", "eastus", "eus-c1", "eus-c1-r1", 0, HostState.InService, 8, 8192, 16,
                16384, 4);

        assertThat(decide(pack, vm(1, 1), List.of(shrunk))).isInstanceOf(Decision.NothingFits.class);
    }

    /** Three racks of two hosts; places {@code count} VMs of the set one after another, as PlaceMany does. */
    static List<Allocation> placeSet(Scheduler scheduler, PlacementGroup set, int count, List<HostUsage> hosts) {
        RegionView region = new RegionView(hosts);
        GroupState group = GroupState.empty(set);
        List<Allocation> placed = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            PlacementContext context = new PlacementContext(vm(2, 8, set), group, region.racksPerCluster());
            Decision decision = scheduler.schedule(context, region.candidates());
            assertThat(decision).as("VM %d of the set", i).isInstanceOf(Decision.Fits.class);
            Allocation a = Allocation.on(((Decision.Fits) decision).host(), context, java.time.Instant.EPOCH);
            region.add(a);
            group = group.with(a.cluster(), a.faultDomain(), a.updateDomain());
            placed.add(a);
        }
        return placed;
    }

    static List<HostUsage> threeRacks() {
        List<HostUsage> hosts = new ArrayList<>();
        for (int rack = 0; rack < 3; rack++) {
            for (int h = 1; h <= 2; h++) {
                hosts.add(host("r" + (rack + 1) + "-h" + h, rack, HostState.InService, 64, 256));
            }
        }
        return hosts;
    }

    @Test
    void theNthVmOfAnAvailabilitySetGetsFaultDomainNModFdAndUpdateDomainNModUd() {
        PlacementGroup set = new PlacementGroup(PlacementGroup.Kind.AVAILABILITY_SET, "/x/availabilitySets/web", 2, 3);

        List<Allocation> placed = placeSet(pack, set, 7, threeRacks());

        for (int n = 0; n < placed.size(); n++) {
            assertThat(placed.get(n).faultDomain()).as("FD of VM %d", n).isEqualTo(n % 2);
            assertThat(placed.get(n).updateDomain()).as("UD of VM %d", n).isEqualTo(n % 3);
        }
        // each fault domain of the set is one rack, and the two are distinct
        Map<Integer, java.util.Set<String>> racks = new LinkedHashMap<>();
        placed.forEach(a -> racks.computeIfAbsent(a.faultDomain(), d -> new java.util.HashSet<>()).add(a.rack()));
        assertThat(racks.get(0)).hasSize(1);
        assertThat(racks.get(1)).hasSize(1).doesNotContainAnyElementsOf(racks.get(0));
    }

    @Test
    void afterADeleteTheNextVmOfASetGoesToTheLeastLoadedDomains() {
        PlacementGroup set = new PlacementGroup(PlacementGroup.Kind.AVAILABILITY_SET, "/x/availabilitySets/web", 2, 3);
        // VMs 0..4 had (0,0) (1,1) (0,2) (1,0) (0,1); VM 1 was deleted
        GroupState group = new GroupState(set, "eus-c1", List.of(new GroupState.Member(0, 0),
                new GroupState.Member(0, 2), new GroupState.Member(1, 0), new GroupState.Member(0, 1)));

        assertThat(group.allowsFaultDomain(1, 3)).isTrue();
        assertThat(group.allowsFaultDomain(0, 3)).isFalse();
        assertThat(group.nextUpdateDomain()).isEqualTo(1);
    }

    @Test
    void aScaleSetSpreadsEvenlyOverItsFaultDomainsEvenInPackMode() {
        PlacementGroup set = new PlacementGroup(PlacementGroup.Kind.SCALE_SET, "/x/virtualMachineScaleSets/ss", 3, 0);

        List<Allocation> placed = placeSet(pack, set, 8, threeRacks());

        Map<Integer, Long> perDomain = placed.stream().collect(java.util.stream.Collectors.groupingBy(
                Allocation::faultDomain, java.util.stream.Collectors.counting()));
        assertThat(perDomain).containsOnlyKeys(0, 1, 2);
        assertThat(perDomain.values()).allSatisfy(c -> assertThat(c).isBetween(2L, 3L));
    }

    @Test
    void aScaleSetWithMaxSpreadingUsesEveryRackOfItsCluster() {
        PlacementGroup set = new PlacementGroup(PlacementGroup.Kind.SCALE_SET, "/x/virtualMachineScaleSets/max", 1, 0);

        List<Allocation> placed = placeSet(pack, set, 3, threeRacks());

        assertThat(placed).extracting(Allocation::rack).doesNotHaveDuplicates();
    }

    @Test
    void whenTheSetsFaultDomainIsFullTheDiagnosisNamesTheSet() {
        PlacementGroup set = new PlacementGroup(PlacementGroup.Kind.AVAILABILITY_SET, "/x/availabilitySets/web", 2, 5);
        List<HostUsage> hosts = threeRacks();
        RegionView region = new RegionView(hosts);
        PlacementRequest first = vm(2, 8, set);
        PlacementContext probe = new PlacementContext(first, GroupState.empty(set), region.racksPerCluster());
        // fill every host of the rack that is the set's fault domain 0
        List<HostUsage> full = hosts.stream().map(h -> probe.setFaultDomain(h) == 0
                ? new HostUsage(h.name(), h.region(), h.cluster(), h.rack(), h.faultDomain(), h.state(), 64, 262144,
                        64, 262144, 8)
                : h).toList();

        assertThat(decide(pack, first, full)).isInstanceOfSatisfying(Decision.NothingFits.class,
                nothing -> assertThat(nothing.message()).isEqualTo(
                        "0/6 hosts in eastus are available: 2 in another fault domain of set 'web', "
                                + "2 insufficient vCPU, 2 outside the fault domains of set 'web'"));
    }

    @Test
    void aSetNeedsAClusterWithARackPerFaultDomain() {
        PlacementGroup set = new PlacementGroup(PlacementGroup.Kind.AVAILABILITY_SET, "/x/availabilitySets/web", 3, 5);
        List<HostUsage> twoRacks = List.of(host("a", 0, HostState.InService, 64, 256),
                host("b", 1, HostState.InService, 64, 256));

        assertThat(decide(pack, vm(2, 8, set), twoRacks)).isInstanceOfSatisfying(Decision.NothingFits.class,
                nothing -> assertThat(nothing.message()).isEqualTo(
                        "0/2 hosts in eastus are available: 2 in a cluster with fewer than 3 racks for set 'web'"));
    }

    @Test
    void aBadSchedulerConfigurationIsRefusedNamingEveryProblem() {
        assertThatThrownBy(() -> new SchedulerProperties(List.of("capacity", "capacity", "gpu"),
                Map.of("pack", Double.NaN, "random", 1.0)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("unknown filter 'gpu'")
                .hasMessageContaining("'capacity' is listed twice")
                .hasMessageContaining("must contain 'host-health'")
                .hasMessageContaining("weights.pack must be a finite number")
                .hasMessageContaining("unknown scorer 'random'");
    }

    @Test
    void theFullnessIndexPicksTheSameHostAsScanningEveryHostOnRandomStates() {
        java.util.Random random = new java.util.Random(2026);
        List<HostUsage> hosts = new ArrayList<>();
        for (int c = 0; c < 3; c++) {
            for (int r = 0; r < 4; r++) {
                for (int h = 0; h < 6; h++) {
                    boolean small = random.nextInt(3) == 0;
                    hosts.add(new HostUsage(String.format("c%d-r%d-h%02d", c, r, h), "eastus", "c" + c,
                            "c" + c + "-r" + r, r, HostState.InService, small ? 32 : 64,
                            (small ? 64 : 256) * 1024L, 0, 0, 0));
                }
            }
        }
        RegionView region = new RegionView(hosts);
        List<PlacementGroup> sets = List.of(
                new PlacementGroup(PlacementGroup.Kind.AVAILABILITY_SET, "/as/a", 3, 5),
                new PlacementGroup(PlacementGroup.Kind.AVAILABILITY_SET, "/as/b", 2, 2),
                new PlacementGroup(PlacementGroup.Kind.SCALE_SET, "/ss/c", 1, 0),
                new PlacementGroup(PlacementGroup.Kind.SCALE_SET, "/ss/d", 3, 0));
        Map<String, GroupState> groups = new LinkedHashMap<>();
        List<Allocation> placed = new ArrayList<>();
        int fits = 0;
        for (int step = 0; step < 3000; step++) {
            int dice = random.nextInt(20);
            if (dice < 6 && !placed.isEmpty()) {
                region.remove(placed.remove(random.nextInt(placed.size())));
                continue;
            }
            if (dice == 6) {
                HostUsage h = hosts.get(random.nextInt(hosts.size()));
                HostState[] states = {HostState.InService, HostState.Failed, HostState.Drained};
                region.setState(h.name(), states[random.nextInt(states.length)]);
                continue;
            }
            PlacementGroup set = dice < 12 ? null : sets.get(random.nextInt(sets.size()));
            int vcpus = 1 << random.nextInt(5);
            int memoryGib = vcpus * (1 << random.nextInt(4));
            List<String> excluded = random.nextInt(5) == 0
                    ? List.of(hosts.get(random.nextInt(hosts.size())).name()) : List.of();
            PlacementRequest request = PlacementRequest.of(UUID.randomUUID().toString(), "/vm/" + step, "eastus",
                    new VmSize("", vcpus, memoryGib * 1024), set, excluded);
            GroupState group = set == null ? null : groups.getOrDefault(set.key(), GroupState.empty(set));
            PlacementContext context = new PlacementContext(request, group, region.racksPerCluster());
            Decision indexed = pack.schedule(context, region);
            Decision scanned = scan(pack, context, region);
            if (scanned instanceof Decision.Fits f) {
                fits++;
                assertThat(indexed).as("step %d", step).isInstanceOf(Decision.Fits.class);
                assertThat(((Decision.Fits) indexed).host().name()).as("step %d", step).isEqualTo(f.host().name());
                Allocation a = Allocation.on(f.host(), context, java.time.Instant.EPOCH);
                region.add(a);
                placed.add(a);
                if (group != null) {
                    groups.put(set.key(), group.with(a.cluster(), a.faultDomain(), a.updateDomain()));
                }
            } else {
                assertThat(indexed).as("step %d", step).isInstanceOf(Decision.NothingFits.class);
                assertThat(((Decision.NothingFits) indexed).message())
                        .isEqualTo(((Decision.NothingFits) scanned).message());
            }
        }
        assertThat(fits).isGreaterThan(1000);
    }

    /** The decision by scanning every host, as the scheduler decided before it had the fullness index. */
    private static Decision scan(Scheduler scheduler, PlacementContext context, RegionView region) {
        GroupState group = context.group();
        if (group != null && group.cluster() != null) {
            Decision inCluster = scheduler.schedule(context, region.inCluster(group.cluster()));
            if (inCluster instanceof Decision.Fits) {
                return inCluster;
            }
        }
        return scheduler.schedule(context, region.candidates());
    }
}
