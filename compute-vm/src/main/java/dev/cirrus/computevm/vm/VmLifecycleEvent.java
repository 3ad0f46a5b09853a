package dev.cirrus.computevm.vm;

import java.time.Instant;

import dev.cirrus.contracts.events.VmLifecycleData;

/** An event a VM transition caused: its type (from {@code EventTypes}), when it happened and its data. */
public record VmLifecycleEvent(String type, String subject, Instant time, VmLifecycleData data) {
}
