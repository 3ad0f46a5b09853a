package dev.cirrus.computevm.vm;

/** Where the placement engine put a VM. */
public record Placement(String host, String cluster, String rack, int faultDomain, int updateDomain) {
}
