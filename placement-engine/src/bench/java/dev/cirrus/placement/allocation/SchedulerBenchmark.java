package dev.cirrus.placement.allocation;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import dev.cirrus.placement.inventory.HostUsage;
import dev.cirrus.placement.inventory.SyntheticTopology;
import dev.cirrus.placement.inventory.Topology;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One placement decision of the standard pipeline (every filter, pack scorer) over 10,000 hosts (10 clusters x 20
 * racks x 50 hosts of 64 vCPU / 256 GiB) at 50% utilization: a standalone VM, and the 11th VM of an availability set
 * (FD 3, UD 5) whose 10 members are in one cluster; and a standalone VM decided, placed and released (the decision
 * with the upkeep of the scheduler's indexes).
 */
@State(Scope.Benchmark)
@BenchmarkMode({Mode.Throughput, Mode.SampleTime})
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgs = {"-Xmx512m"})
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class SchedulerBenchmark {

    Scheduler scheduler;
    List<HostUsage> hosts;
    RegionView region;
    PlacementRequest plain;
    PlacementRequest member;
    GroupState set;

    @Setup
    public void setUp() {
        scheduler = Scheduler.standard();
        Topology topology = SyntheticTopology.generate(1, 10, 20, 50, 64, 256);
        Random random = new Random(42);
        List<HostUsage> list = new ArrayList<>();
        for (Topology.Host h : topology.hosts()) {
            // 50% on average: 0..64 vCPU used in steps of 2, memory 4 GiB per vCPU
            long used = 2L * random.nextInt(33);
            list.add(new HostUsage(h.name(), h.region(), h.cluster(), h.rack(), h.faultDomain(),
                    dev.cirrus.placement.inventory.HostState.InService, h.vcpus(), h.memoryMib(), used,
                    used * 4096, (int) (used / 2)));
        }
        hosts = List.copyOf(list);
        region = new RegionView(hosts);
        VmSize d4 = new VmSize("Standard_D4s_v5", 4, 16384);
        plain = PlacementRequest.of(UUID.randomUUID().toString(), "/vm/plain", "synth1", d4, null);
        PlacementGroup group = new PlacementGroup(PlacementGroup.Kind.AVAILABILITY_SET, "/as/bench", 3, 5);
        member = PlacementRequest.of(UUID.randomUUID().toString(), "/vm/member", "synth1", d4, group);
        List<GroupState.Member> members = new ArrayList<>();
        for (int n = 0; n < 10; n++) {
            members.add(new GroupState.Member(n % 3, n % 5));
        }
        set = new GroupState(group, "s1-c04", members);
    }

    @Benchmark
    public Decision standaloneVm() {
        return scheduler.schedule(new PlacementContext(plain, null, region.racksPerCluster()), region);
    }

    /**
     * A standalone VM decided, taken into the region's use and released again: the decision plus what keeping the
     * fullness indexes up to date costs (the engine does the first two under its decision lock, the release later).
     */
    @Benchmark
    public Allocation standaloneVmPlacedAndReleased() {
        PlacementContext context = new PlacementContext(plain, null, region.racksPerCluster());
        Allocation a = Allocation.on(((Decision.Fits) scheduler.schedule(context, region)).host(), context,
                java.time.Instant.EPOCH);
        region.add(a);
        region.remove(a);
        return a;
    }

    @Benchmark
    public Decision availabilitySetVm() {
        return scheduler.schedule(new PlacementContext(member, set, region.racksPerCluster()), region);
    }
}
