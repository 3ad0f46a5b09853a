package dev.cirrus.placement;

import java.util.UUID;

import dev.cirrus.contracts.placement.v1.AvailabilitySetGroup;
import dev.cirrus.contracts.placement.v1.GetAllocationRequest;
import dev.cirrus.contracts.placement.v1.PlacementGroup;
import dev.cirrus.contracts.placement.v1.ScaleSetGroup;
import dev.cirrus.contracts.placement.v1.PlaceRequest;
import dev.cirrus.contracts.placement.v1.ReleaseRequest;
import dev.cirrus.contracts.placement.v1.VmSize;

/**
 * A VM for tests, with a fresh vmId and ARM id: {@code TestVm.in("eastus").size(2, 8192).place()}.
 */
public final class TestVm {

    public static final String SUBSCRIPTION = "6f1b2a3c-0d4e-4f5a-8b6c-7d8e9f0a1b2c";

    private final String vmId = UUID.randomUUID().toString();
    private final String name = "vm-" + vmId.substring(0, 8);
    private String location;
    private String sizeName = "Standard_D2s_v5";
    private int vcpus = 2;
    private int memoryMib = 8192;
    private PlacementGroup group;

    private TestVm(String location) {
        this.location = location;
    }

    public static TestVm in(String location) {
        return new TestVm(location);
    }

    public TestVm size(int vcpus, int memoryMib) {
        this.sizeName = "Custom_" + vcpus + "_" + memoryMib;
        this.vcpus = vcpus;
        this.memoryMib = memoryMib;
        return this;
    }

    public TestVm size(String sizeName, int vcpus, int memoryMib) {
        this.sizeName = sizeName;
        this.vcpus = vcpus;
        this.memoryMib = memoryMib;
        return this;
    }

    public TestVm location(String location) {
        this.location = location;
        return this;
    }

    /** A member of the availability set {@code name} with these domain counts. */
    public TestVm inAvailabilitySet(String name, int faultDomains, int updateDomains) {
        this.group = PlacementGroup.newBuilder().setAvailabilitySet(AvailabilitySetGroup.newBuilder()
                .setId(setId("availabilitySets", name)).setFaultDomainCount(faultDomains)
                .setUpdateDomainCount(updateDomains)).build();
        return this;
    }

    /** An instance of the scale set {@code name}; 1 fault domain = max spreading. */
    public TestVm inScaleSet(String name, int faultDomains) {
        this.group = PlacementGroup.newBuilder().setScaleSet(ScaleSetGroup.newBuilder()
                .setId(setId("virtualMachineScaleSets", name)).setFaultDomainCount(faultDomains)).build();
        return this;
    }

    public static String setId(String type, String name) {
        return "/subscriptions/" + SUBSCRIPTION + "/resourceGroups/Test-RG/providers/Microsoft.Compute/" + type + "/"
                + name;
    }

    public String vmId() {
        return vmId;
    }

    public String resourceId() {
        return "/subscriptions/" + SUBSCRIPTION + "/resourceGroups/Test-RG/providers/Microsoft.Compute/virtualMachines/"
                + name;
    }

    public PlaceRequest place() {
        return PlaceRequest.newBuilder()
                .setVmId(vmId)
                .setResourceId(resourceId())
                .setLocation(location)
                .setSize(VmSize.newBuilder().setName(sizeName).setVcpus(vcpus).setMemoryMib(memoryMib))
                .setGroup(group == null ? PlacementGroup.getDefaultInstance() : group)
                .build();
    }

    public ReleaseRequest release() {
        return ReleaseRequest.newBuilder().setVmId(vmId).build();
    }

    public GetAllocationRequest get() {
        return GetAllocationRequest.newBuilder().setVmId(vmId).build();
    }
}
