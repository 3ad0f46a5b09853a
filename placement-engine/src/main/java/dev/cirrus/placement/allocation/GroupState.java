package dev.cirrus.placement.allocation;

import java.util.ArrayList;
import java.util.List;

/**
 * A set (availability set or scale set) as the scheduler sees it when its next VM is placed: its cluster (once it
 * has a member) and how many of its current members are in each of its fault and update domains.
 *
 * <p>Domain assignment. An availability set's n-th VM (n counted in creation order from 0) gets fault domain
 * n mod FD and update domain n mod UD, as Azure documents. This class does not keep n: it gives the next VM the
 * least-loaded fault domain and the least-loaded update domain, ties going to the lowest index. While no member has
 * been deleted the two are the same thing (after k placements round-robin, domains 0..(k mod D)-1 hold one VM more
 * than the others, so the least loaded with the lowest index is k mod D). When members are deleted, new ones go to
 * the least-loaded domains, which refills the holes instead of piling onto the domains that still have their VMs.
 *
 * <p>Worked example: an availability set with FD=2, UD=3. VMs 0..4 get (FD,UD) (0,0) (1,1) (0,2) (1,0) (0,1).
 * Delete VM 1 (FD1, UD1): FD counts are 3/1, UD counts 2/1/1; the next VM gets FD 1 and UD 1.
 *
 * <p>A scale set's next VM may go to any of its least-loaded fault domains (the spread scorer or the pack scorer
 * choose among them), which keeps the set's skew at most 1; FD count 1 means "max spreading": as many fault
 * domains as its cluster has racks. Scale-set VMs get update domains like an availability set of 5 update domains,
 * Azure's default.
 */
final class GroupState {

    /** Azure's default number of update domains, used for scale-set VMs (the request carries none). */
    static final int SCALE_SET_UPDATE_DOMAINS = 5;

    record Member(int faultDomain, int updateDomain) {
    }

    private final PlacementGroup group;
    private final String cluster;
    private final List<Member> members;
    private final int hash;
    private final String otherCluster;
    private final String tooFewRacks;
    private final String outsideDomains;
    private final String otherFaultDomain;
    private int[] faultDomainCounts;
    private int[] updateDomainCounts;

    GroupState(PlacementGroup group, String cluster, List<Member> members) {
        this.group = group;
        this.cluster = cluster;
        this.members = new ArrayList<>(members);
        // String.hashCode is specified by the JLS: the same set maps to the same racks in every engine life
        this.hash = group.key().hashCode();
        String name = group.displayName();
        this.otherCluster = "in another cluster than " + name;
        this.tooFewRacks = "in a cluster with fewer than " + minimumRacks() + " racks for " + name;
        this.outsideDomains = "outside the fault domains of " + name;
        this.otherFaultDomain = group.kind() == PlacementGroup.Kind.AVAILABILITY_SET
                ? "in another fault domain of " + name
                : "in a fuller fault domain of " + name;
        recount();
    }

    static GroupState empty(PlacementGroup group) {
        return new GroupState(group, null, List.of());
    }

    PlacementGroup group() {
        return group;
    }

    /** The cluster of the set's members, or null while it has none. */
    String cluster() {
        return cluster;
    }

    int size() {
        return members.size();
    }

    int hash() {
        return hash;
    }

    /** How many racks a cluster needs to hold the set. */
    int minimumRacks() {
        return group.kind() == PlacementGroup.Kind.SCALE_SET && group.faultDomainCount() == 1
                ? 1 : group.faultDomainCount();
    }

    /** The set's fault-domain count in a cluster of {@code racks} racks. */
    int faultDomainCount(int racks) {
        return group.kind() == PlacementGroup.Kind.SCALE_SET && group.faultDomainCount() == 1
                ? racks : group.faultDomainCount();
    }

    int updateDomainCount() {
        return group.kind() == PlacementGroup.Kind.AVAILABILITY_SET
                ? group.updateDomainCount() : SCALE_SET_UPDATE_DOMAINS;
    }

    /** Whether the next VM may go to the set's fault domain {@code domain} in a cluster of {@code racks} racks. */
    boolean allowsFaultDomain(int domain, int racks) {
        return allowsFaultDomain(domain, racks, null);
    }

    /**
     * Whether the next VM may go to the set's fault domain {@code domain} in a cluster of {@code racks} racks. An
     * availability set's next VM goes to its least-loaded domain; a scale set's to any of its least-loaded domains
     * among {@code usable} (the domains with a host in service; null or empty: all), so that a failed rack does not
     * hold the set back: Azure balances a scale set's fault domains on a best-effort basis. Worked example: a set of
     * three racks with 2, 0 and 1 members whose second rack failed: the next VM goes to the third (min over {0, 2}).
     */
    boolean allowsFaultDomain(int domain, int racks, java.util.Set<Integer> usable) {
        int count = faultDomainCount(racks);
        if (group.kind() == PlacementGroup.Kind.AVAILABILITY_SET) {
            return domain == leastLoaded(faultDomainCounts, count);
        }
        int min = Integer.MAX_VALUE;
        for (int d = 0; d < count; d++) {
            if (usable == null || usable.isEmpty() || usable.contains(d)) {
                min = Math.min(min, countOf(faultDomainCounts, d));
            }
        }
        return countOf(faultDomainCounts, domain) == min;
    }

    /** The update domain of the next VM: the least loaded, ties to the lowest index (= n mod UD without deletes). */
    int nextUpdateDomain() {
        return leastLoaded(updateDomainCounts, updateDomainCount());
    }

    /** The set after one more member: for the next VM of a multi-VM request. */
    GroupState with(String memberCluster, int faultDomain, int updateDomain) {
        List<Member> more = new ArrayList<>(members);
        more.add(new Member(faultDomain, updateDomain));
        return new GroupState(group, memberCluster, more);
    }

    String otherClusterReason() {
        return otherCluster;
    }

    String tooFewRacksReason() {
        return tooFewRacks;
    }

    String outsideDomainsReason() {
        return outsideDomains;
    }

    String otherFaultDomainReason() {
        return otherFaultDomain;
    }

    private void recount() {
        int fdMax = 0;
        int udMax = 0;
        for (Member m : members) {
            fdMax = Math.max(fdMax, m.faultDomain() + 1);
            udMax = Math.max(udMax, m.updateDomain() + 1);
        }
        faultDomainCounts = new int[fdMax];
        updateDomainCounts = new int[udMax];
        for (Member m : members) {
            faultDomainCounts[m.faultDomain()]++;
            updateDomainCounts[m.updateDomain()]++;
        }
    }

    private static int countOf(int[] counts, int domain) {
        return domain < counts.length ? counts[domain] : 0;
    }

    private static int leastLoaded(int[] counts, int domains) {
        int best = 0;
        for (int d = 1; d < domains; d++) {
            if (countOf(counts, d) < countOf(counts, best)) {
                best = d;
            }
        }
        return best;
    }
}
