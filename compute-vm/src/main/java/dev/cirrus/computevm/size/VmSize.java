package dev.cirrus.computevm.size;

/**
 * One entry of the VM size catalogue, in the shape of ARM's size list ({@code GET …/locations/{loc}/vmSizes}).
 */
public record VmSize(String name, int numberOfCores, int memoryInMB, int maxDataDiskCount, int osDiskSizeInMB,
                     int resourceDiskSizeInMB) {

    public VmSize {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("a VM size needs a name");
        }
        if (numberOfCores < 1 || memoryInMB < 1 || maxDataDiskCount < 0 || osDiskSizeInMB < 1 || resourceDiskSizeInMB < 0) {
            throw new IllegalArgumentException("VM size " + name + " has an impossible shape");
        }
    }
}
