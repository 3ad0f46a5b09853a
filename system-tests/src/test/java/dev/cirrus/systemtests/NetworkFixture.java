package dev.cirrus.systemtests;

/**
 * What a VM stands on, created through the gateway as a user would: a virtual network {@code vnet} (10.0.0.0/16,
 * one subnet {@code default} spanning it) in the group, and network interfaces in its subnet.
 */
final class NetworkFixture {

    private NetworkFixture() {
    }

    static String networkPath(String sub, String rg, String type, String name) {
        return "/subscriptions/" + sub + "/resourceGroups/" + rg + "/providers/Microsoft.Network/" + type + "/" + name;
    }

    /** Creates (or leaves as it is) the group's virtual network {@code vnet} in {@code location}. */
    static void network(Arm arm, String sub, String rg, String location) {
        Arm.Reply reply = arm.put(networkPath(sub, rg, "virtualNetworks", "vnet") + "?" + Arm.API, """
                {"location": "%s", "properties": {"addressSpace": {"addressPrefixes": ["10.0.0.0/16"]},
                 "subnets": [{"name": "default", "properties": {"addressPrefix": "10.0.0.0/16"}}]}}
                """.formatted(location));
        if (reply.status() >= 300) {
            throw new IllegalStateException("virtual network refused: " + reply.status() + " " + reply.body());
        }
    }

    /** Creates the NIC {@code name} in the group's virtual network (which must exist); returns its id. */
    static String nic(Arm arm, String sub, String rg, String location, String name) {
        String id = networkPath(sub, rg, "networkInterfaces", name);
        Arm.Reply reply = arm.put(id + "?" + Arm.API, """
                {"location": "%s", "properties": {"ipConfigurations": [{"name": "ipconfig1",
                 "properties": {"subnet": {"id": "%s/subnets/default"}}}]}}
                """.formatted(location, networkPath(sub, rg, "virtualNetworks", "vnet")));
        if (reply.status() >= 300) {
            throw new IllegalStateException("network interface refused: " + reply.status() + " " + reply.body());
        }
        return id;
    }
}
