package dev.cirrus.placement.grpc;

import dev.cirrus.contracts.placement.v1.HostOperationResponse;
import dev.cirrus.contracts.placement.v1.Move;
import dev.cirrus.contracts.placement.v1.PlaceRequest;
import dev.cirrus.placement.allocation.HostOperations;
import dev.cirrus.placement.allocation.HostSelector;
import dev.cirrus.placement.allocation.PlacementRefusal;
import dev.cirrus.placement.inventory.HostUsage;
import dev.cirrus.placement.maintenance.Maintenances;
import dev.cirrus.placement.allocation.Allocation;
import dev.cirrus.placement.allocation.PlacementGroup;
import dev.cirrus.placement.allocation.PlacementRequest;
import dev.cirrus.placement.allocation.VmSize;

/** Between the proto messages of {@code placement.proto} and the engine's own types. */
final class ProtoMapping {

    private ProtoMapping() {
    }

    /** @throws dev.cirrus.placement.allocation.PlacementRefusal INVALID_REQUEST when the request is malformed */
    static PlacementRequest request(PlaceRequest proto) {
        VmSize size = proto.hasSize()
                ? new VmSize(proto.getSize().getName(), proto.getSize().getVcpus(), proto.getSize().getMemoryMib())
                : null;
        PlacementGroup group = null;
        if (proto.hasGroup()) {
            var g = proto.getGroup();
            group = switch (g.getKindCase()) {
                case AVAILABILITY_SET -> new PlacementGroup(PlacementGroup.Kind.AVAILABILITY_SET,
                        g.getAvailabilitySet().getId(), g.getAvailabilitySet().getFaultDomainCount(),
                        g.getAvailabilitySet().getUpdateDomainCount());
                case SCALE_SET -> new PlacementGroup(PlacementGroup.Kind.SCALE_SET, g.getScaleSet().getId(),
                        g.getScaleSet().getFaultDomainCount(), 0);
                // an empty PlacementGroup message names no group: a standalone VM
                case KIND_NOT_SET -> null;
            };
        }
        return PlacementRequest.of(proto.getVmId(), proto.getResourceId(), proto.getLocation(), size, group,
                proto.getExcludeHostsList());
    }

    static dev.cirrus.contracts.placement.v1.Allocation allocation(Allocation a) {
        return dev.cirrus.contracts.placement.v1.Allocation.newBuilder()
                .setVmId(a.vmId())
                .setResourceId(a.resourceId())
                .setRegion(a.region())
                .setCluster(a.cluster())
                .setRack(a.rack())
                .setHost(a.host())
                .setFaultDomain(a.faultDomain())
                .setUpdateDomain(a.updateDomain())
                .setSize(dev.cirrus.contracts.placement.v1.VmSize.newBuilder()
                        .setName(a.size().name())
                        .setVcpus(a.size().vcpus())
                        .setMemoryMib(a.size().memoryMib()))
                .setGroupId(a.groupId() == null ? "" : a.groupId())
                .build();
    }

    static dev.cirrus.contracts.placement.v1.Host host(HostUsage h) {
        return dev.cirrus.contracts.placement.v1.Host.newBuilder()
                .setName(h.name()).setRegion(h.region()).setCluster(h.cluster()).setRack(h.rack())
                .setFaultDomain(h.faultDomain()).setState(h.state().name()).setVcpus(h.vcpus())
                .setMemoryMib(h.memoryMib()).setUsedVcpus(h.usedVcpus()).setUsedMemoryMib(h.usedMemoryMib())
                .setAllocations(h.allocations())
                .build();
    }

    /** @throws PlacementRefusal INVALID_REQUEST when the selector names nothing */
    static HostSelector selector(dev.cirrus.contracts.placement.v1.HostSelector proto) {
        return switch (proto.getTargetCase()) {
            case HOST -> HostSelector.host(proto.getHost());
            case RACK -> HostSelector.rack(proto.getRack().getCluster(), proto.getRack().getRack());
            case TARGET_NOT_SET -> throw new PlacementRefusal(PlacementRefusal.Reason.INVALID_REQUEST,
                    "one of host or rack is required");
        };
    }

    static dev.cirrus.contracts.placement.v1.Maintenance maintenance(Maintenances.View m) {
        return dev.cirrus.contracts.placement.v1.Maintenance.newBuilder()
                .setId(m.id()).setRegion(m.region()).setCluster(m.cluster()).setState(m.state())
                .setWaves(m.waves()).setWave(m.wave()).setPauseMillis(m.pauseMillis())
                .addAllRebootingVmIds(m.rebootingVmIds())
                .build();
    }

    static HostOperationResponse outcome(HostOperations.Outcome outcome) {
        return HostOperationResponse.newBuilder()
                .addAllHosts(outcome.hosts())
                .addAllMoves(outcome.moves().stream().map(m -> Move.newBuilder()
                        .setVmId(m.now().vmId())
                        .setResourceId(m.now().resourceId())
                        .setFromHost(m.fromHost())
                        .setAllocation(allocation(m.now()))
                        .setStranded(m.stranded())
                        .setReason(m.reason())
                        .build()).toList())
                .build();
    }
}
