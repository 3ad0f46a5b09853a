package dev.cirrus.contracts.events;

/**
 * The data of {@code Microsoft.Network.Resource*} events on {@code cirrus.compute.vm} (compute-vm owns
 * Microsoft.Network; subject: the resource's ARM id). A subnet or security rule change is an update of its parent.
 *
 * @param subscriptionId subscription GUID
 * @param resourceGroup  resource group name as the user cased it
 * @param name           resource name
 * @param resourceType   {@code Microsoft.Network/virtualNetworks}, {@code …/networkInterfaces},
 *                       {@code …/publicIPAddresses}, {@code …/networkSecurityGroups} or {@code …/loadBalancers}
 * @param location       normalised ARM location of the resource; null in a deletion event
 */
public record NetworkResourceData(String subscriptionId, String resourceGroup, String name, String resourceType,
                                  String location) {
}
