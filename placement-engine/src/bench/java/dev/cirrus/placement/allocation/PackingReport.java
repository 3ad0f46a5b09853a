package dev.cirrus.placement.allocation;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;

import dev.cirrus.placement.inventory.HostUsage;
import dev.cirrus.placement.inventory.SyntheticTopology;
import dev.cirrus.placement.inventory.Topology;

/**
 * The default mixed workload placed by the in-process pipeline, in pack mode and in spread mode: hosts opened
 * against the lower bound (total demand / host capacity, the larger of vCPU and memory), stranded capacity, and
 * the worst fault-domain skew of any set.
 *
 * <p>Workload (seeded): 600 VMs of the D, E and F series (2 to 16 vCPU), 60% standalone, 20% in 10 availability
 * sets (FD 3, UD 5), 20% in 6 scale sets (3 with FD 3, 3 with max spreading), in arrival order mixed. Hosts: one
 * region of 2 clusters x 3 racks x 40 hosts of 64 vCPU / 256 GiB.
 */
public final class PackingReport {

    record Size(String name, int vcpus, int memoryGib) {
    }

    static final List<Size> SIZES = List.of(new Size("D2s_v5", 2, 8), new Size("D4s_v5", 4, 16),
            new Size("D8s_v5", 8, 32), new Size("D16s_v5", 16, 64), new Size("E4s_v5", 4, 32),
            new Size("E8s_v5", 8, 64), new Size("F4s_v2", 4, 8), new Size("F8s_v2", 8, 16));

    public record Result(String mode, int vms, int placed, long demandVcpus, long demandMemoryGib, int lowerBound,
                         int hostsOpened, long freeVcpusOnOpened, long freeMemoryGibOnOpened, long strandedVcpus,
                         long strandedMemoryGib, int worstSetSkew) {

        public double overLowerBound() {
            return (double) hostsOpened / lowerBound - 1;
        }
    }

    public static Result run(String mode, Scheduler scheduler) {
        Topology topology = SyntheticTopology.generate(1, 2, 3, 40, 64, 256);
        List<HostUsage> hosts = topology.hosts().stream().map(h -> new HostUsage(h.name(), h.region(), h.cluster(),
                h.rack(), h.faultDomain(), dev.cirrus.placement.inventory.HostState.InService, h.vcpus(),
                h.memoryMib(), 0, 0, 0)).toList();
        RegionView region = new RegionView(hosts);
        Random random = new Random(7);
        Map<String, GroupState> groups = new HashMap<>();
        Map<String, List<Allocation>> members = new HashMap<>();
        int placed = 0;
        long demandVcpus = 0;
        long demandMemory = 0;
        int vms = 600;
        for (int i = 0; i < vms; i++) {
            Size size = SIZES.get(random.nextInt(SIZES.size()));
            int dice = random.nextInt(10);
            PlacementGroup group = null;
            if (dice >= 8) {
                int s = random.nextInt(6);
                group = new PlacementGroup(PlacementGroup.Kind.SCALE_SET, "/ss/" + s, s < 3 ? 3 : 1, 0);
                size = SIZES.get(s % SIZES.size());
            } else if (dice >= 6) {
                int s = random.nextInt(10);
                group = new PlacementGroup(PlacementGroup.Kind.AVAILABILITY_SET, "/as/" + s, 3, 5);
                size = SIZES.get(s % SIZES.size());
            }
            demandVcpus += size.vcpus();
            demandMemory += size.memoryGib();
            PlacementRequest request = PlacementRequest.of(UUID.randomUUID().toString(), "/vm/" + i, "synth1",
                    new VmSize(size.name(), size.vcpus(), size.memoryGib() * 1024), group);
            PlacementGroup g = group;
            GroupState state = g == null ? null : groups.computeIfAbsent(g.key(), k -> GroupState.empty(g));
            PlacementContext context = new PlacementContext(request, state, region.racksPerCluster());
            if (scheduler.schedule(context, region) instanceof Decision.Fits fits) {
                Allocation a = Allocation.on(fits.host(), context, Instant.EPOCH);
                region.add(a);
                if (g != null) {
                    groups.put(g.key(), state.with(a.cluster(), a.faultDomain(), a.updateDomain()));
                    members.computeIfAbsent(g.key(), k -> new ArrayList<>()).add(a);
                }
                placed++;
            }
        }
        int lowerBound = (int) Math.max(Math.ceil(demandVcpus / 64.0), Math.ceil(demandMemory / 256.0));
        int opened = 0;
        long freeVcpus = 0;
        long freeMemory = 0;
        long strandedVcpus = 0;
        long strandedMemory = 0;
        for (HostUsage h : region.candidates()) {
            if (h.allocations() == 0) {
                continue;
            }
            opened++;
            long fv = h.freeVcpus();
            long fm = h.freeMemoryMib() / 1024;
            freeVcpus += fv;
            freeMemory += fm;
            // stranded: free capacity no size of the workload can use, because the other resource is gone
            boolean usable = SIZES.stream().anyMatch(s -> s.vcpus() <= fv && s.memoryGib() <= fm);
            if (!usable) {
                strandedVcpus += fv;
                strandedMemory += fm;
            }
        }
        int worstSkew = 0;
        for (Map.Entry<String, List<Allocation>> e : members.entrySet()) {
            GroupState g = groups.get(e.getKey());
            int domains = g.faultDomainCount(region.racksPerCluster().get(e.getValue().getFirst().cluster()));
            int[] counts = new int[domains];
            e.getValue().forEach(a -> counts[a.faultDomain()]++);
            int max = 0;
            int min = Integer.MAX_VALUE;
            for (int c : counts) {
                max = Math.max(max, c);
                min = Math.min(min, c);
            }
            worstSkew = Math.max(worstSkew, max - min);
        }
        return new Result(mode, vms, placed, demandVcpus, demandMemory, lowerBound, opened, freeVcpus, freeMemory,
                strandedVcpus, strandedMemory, worstSkew);
    }

    public static Result pack() {
        return run("pack", new SchedulerProperties(null, Map.of("pack", 1.0)).scheduler());
    }

    public static Result spread() {
        return run("spread", new SchedulerProperties(null, Map.of("spread", 1.0)).scheduler());
    }
}
