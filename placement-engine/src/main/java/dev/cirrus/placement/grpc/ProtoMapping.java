package dev.cirrus.placement.grpc;

import dev.cirrus.contracts.placement.v1.PlaceRequest;
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
        return PlacementRequest.of(proto.getVmId(), proto.getResourceId(), proto.getLocation(), size, group);
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
                .build();
    }
}
