package dev.cirrus.contracts.events;

import java.math.BigDecimal;

/**
 * The data of {@code Microsoft.ContainerInstance.ContainerGroup*} events on {@code cirrus.compute.container}
 * (subject: the container group's ARM id). Billing meters a group per second from started to stopped or deleted, on
 * the vCPU and memory it requested (billing/README.md), summed over its containers.
 *
 * @param subscriptionId subscription GUID
 * @param resourceGroup  resource group name as the user cased it
 * @param name           container group name
 * @param location       normalised ARM location, e.g. "westeurope"
 * @param osType         "Linux" or "Windows"
 * @param cpu            requested vCPU of the whole group (may be fractional: 1.5)
 * @param memoryInGB     requested memory of the whole group in GB (may be fractional: 1.5)
 * @param state          the group's state after the transition: "Running" (billed), "Stopped" (stopped by its user),
 *                       "Succeeded" or "Failed" (its containers ended and its restart policy starts none again), or
 *                       null once deleted
 */
public record ContainerGroupData(String subscriptionId, String resourceGroup, String name, String location,
                                 String osType, BigDecimal cpu, BigDecimal memoryInGB, String state) {
}
