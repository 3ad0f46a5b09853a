package dev.cirrus.placement.allocation;

/**
 * What a VM needs of a host.
 *
 * @param name e.g. Standard_D2s_v5; a label only ("" when the caller sent none): capacity is vcpus and memoryMib
 */
public record VmSize(String name, int vcpus, int memoryMib) {

    public VmSize {
        name = name == null ? "" : name.strip();
    }
}
