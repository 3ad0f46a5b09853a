package dev.cirrus.computevm.vm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import dev.cirrus.computevm.ComputeVmTestSupport;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * A VM stands on network interfaces, as in Azure: attaching sets the NIC's virtualMachine and MAC address, a NIC in
 * use cannot be deleted nor taken by a second VM (not even by two racing creates), deleting the VM detaches its
 * NICs or deletes them (deleteOption Delete), and networkInterfaceConfigurations make the VM create its own NIC
 * and public IP.
 */
class VmNetworkInterfacesTest extends ComputeVmTestSupport {

    private final String sub = newSubscription();

    private String bodyWith(String nicId) {
        return vmBody("Standard_B1s").replace(NIC_PLACEHOLDER, nicId);
    }

    private void awaitCreated(HttpResponse<String> created) {
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        String operation = header(created, "Azure-AsyncOperation");
        await().atMost(Duration.ofSeconds(30)).until(() -> json(get(operation)).path("status").stringValue(),
                "Succeeded"::equals);
    }

    private void deleteAndAwait(String vmPath) {
        HttpResponse<String> deleting = delete(vmPath);
        assertThat(deleting.statusCode()).as(deleting.body()).isEqualTo(202);
        await().atMost(Duration.ofSeconds(30)).until(() -> get(vmPath).statusCode() == 404);
    }

    private int nicEvents(String nicId, String type) {
        return count("select count(*) from outbox where lower(record_key) = ? and event_type = ?",
                nicId.toLowerCase(Locale.ROOT), type);
    }

    @Test
    void attachingSetsTheNicsVirtualMachineAndMacAndTheNicInUseCannotBeDeletedUntilTheVmIsGone() {
        String nic = createNic(sub, "rg", "westeurope", "web-nic");
        String vm = vmPath(sub, "rg", "web");
        assertThat(json(get(nic)).path("properties").has("virtualMachine")).isFalse();

        awaitCreated(put(vm, bodyWith(nic)));

        JsonNode attached = json(get(nic)).path("properties");
        assertThat(attached.path("virtualMachine").path("id").stringValue()).isEqualTo(vm);
        assertThat(attached.path("macAddress").stringValue()).matches("00-0D-3A(-[0-9A-F]{2}){3}");
        assertThat(attached.path("primary").booleanValue()).isTrue();
        assertThat(attached.path("ipConfigurations").get(0).path("properties").path("privateIPAddress").stringValue())
                .isEqualTo("10.0.0.4");
        assertThat(nicEvents(nic, "Microsoft.Network.ResourceUpdated")).as("the attach is a write of the NIC")
                .isEqualTo(1);
        JsonNode profile = json(get(vm)).path("properties").path("networkProfile").path("networkInterfaces").get(0);
        assertThat(profile.path("id").stringValue()).isEqualTo(nic);
        assertThat(profile.path("properties").path("primary").booleanValue()).isTrue();
        assertThat(profile.path("properties").path("deleteOption").stringValue()).isEqualTo("Detach");

        HttpResponse<String> refused = delete(nic);
        assertThat(refused.statusCode()).isEqualTo(400);
        assertThat(json(refused).path("error").path("code").stringValue()).isEqualTo("NicInUse");
        assertThat(get(nic).statusCode()).isEqualTo(200);

        // a PUT of the NIC keeps the attachment: only the VM sets it
        assertThat(put(nic, """
                {"location": "westeurope", "tags": {"k": "v"}, "properties": {"ipConfigurations": [{"name": "ipconfig1",
                 "properties": {"subnet": {"id": "%s"}}}]}}""".formatted(json(get(nic)).path("properties")
                .path("ipConfigurations").get(0).path("properties").path("subnet").path("id").stringValue()))
                .statusCode()).isEqualTo(200);
        assertThat(json(get(nic)).path("properties").path("virtualMachine").path("id").stringValue()).isEqualTo(vm);
        String mac = json(get(nic)).path("properties").path("macAddress").stringValue();

        deleteAndAwait(vm);

        JsonNode detached = json(get(nic)).path("properties");
        assertThat(detached.has("virtualMachine")).isFalse();
        assertThat(detached.has("macAddress")).isFalse();
        assertThat(count("select count(*) from vm_network_interfaces where nic_key = ?", nic.toLowerCase(Locale.ROOT)))
                .isZero();

        // detached, it can stand under another VM (with the same MAC) or be deleted
        String next = vmPath(sub, "rg", "web2");
        awaitCreated(put(next, bodyWith(nic)));
        assertThat(json(get(nic)).path("properties").path("macAddress").stringValue()).isEqualTo(mac);
        deleteAndAwait(next);
        assertThat(delete(nic).statusCode()).isEqualTo(200);
    }

    @Test
    void aNicWithDeleteOptionDeleteGoesWithItsVmAndFreesItsAddress() {
        String nic = createNic(sub, "gone", "westeurope", "temp-nic");
        String vm = vmPath(sub, "gone", "temp");
        awaitCreated(put(vm, bodyWith(nic).replace("\"primary\": true", "\"primary\": true, \"deleteOption\": \"Delete\"")));
        assertThat(json(get(vm)).path("properties").path("networkProfile").path("networkInterfaces").get(0)
                .path("properties").path("deleteOption").stringValue()).isEqualTo("Delete");

        deleteAndAwait(vm);

        assertThat(get(nic).statusCode()).isEqualTo(404);
        assertThat(count("select count(*) from network_private_ips where nic_key = ?", nic.toLowerCase(Locale.ROOT)))
                .isZero();
        assertThat(nicEvents(nic, "Microsoft.Network.ResourceDeleted")).isEqualTo(1);
    }

    @Test
    void aVmWithTwoNicsHasOnePrimaryAndTheNicsKnowWhichOne() {
        String first = createNic(sub, "multi", "westeurope", "front");
        String second = createNic(sub, "multi", "westeurope", "back");
        String vm = vmPath(sub, "multi", "twonics");
        String body = bodyWith(first).replace("\"properties\": {\"primary\": true}}]",
                "\"properties\": {\"primary\": false}}, {\"id\": \"" + second + "\", \"properties\": {\"primary\": true}}]");

        awaitCreated(put(vm, body));

        assertThat(json(get(first)).path("properties").path("primary").booleanValue()).isFalse();
        assertThat(json(get(second)).path("properties").path("primary").booleanValue()).isTrue();
        assertThat(json(get(first)).path("properties").path("macAddress").stringValue())
                .isNotEqualTo(json(get(second)).path("properties").path("macAddress").stringValue());
        deleteAndAwait(vm);
    }

    @Test
    void twoVmsRacingForOneNicCannotBothTakeIt() throws Exception {
        for (int round = 0; round < 3; round++) {
            String nic = createNic(sub, "race", "westeurope", "contested" + round);
            int racers = 4;
            CountDownLatch start = new CountDownLatch(1);
            List<Callable<HttpResponse<String>>> creates = new ArrayList<>();
            for (int i = 0; i < racers; i++) {
                String vm = vmPath(sub, "race", "racer" + round + "-" + i);
                creates.add(() -> {
                    start.await();
                    return put(vm, bodyWith(nic));
                });
            }
            ExecutorService pool = Executors.newFixedThreadPool(racers);
            List<HttpResponse<String>> answers = new ArrayList<>();
            try {
                List<Future<HttpResponse<String>>> futures = new ArrayList<>();
                for (Callable<HttpResponse<String>> c : creates) {
                    futures.add(pool.submit(c));
                }
                start.countDown();
                for (Future<HttpResponse<String>> f : futures) {
                    answers.add(f.get());
                }
            } finally {
                pool.shutdown();
            }
            List<HttpResponse<String>> won = answers.stream().filter(a -> a.statusCode() == 201).toList();
            assertThat(won).as("exactly one VM takes the NIC").hasSize(1);
            assertThat(answers).filteredOn(a -> a.statusCode() != 201)
                    .allSatisfy(a -> {
                        assertThat(a.statusCode()).as(a.body()).isEqualTo(400);
                        assertThat(json(a).path("error").path("code").stringValue()).isEqualTo("NicInUse");
                    });
            String winner = json(won.getFirst()).path("id").stringValue();
            assertThat(json(get(nic)).path("properties").path("virtualMachine").path("id").stringValue())
                    .isEqualTo(winner);
            assertThat(count("select count(*) from vm_network_interfaces where nic_key = ?",
                    nic.toLowerCase(Locale.ROOT))).isEqualTo(1);
            assertThat(count("select count(*) from virtual_machines where resource_key like ?",
                    vmKey(sub, "race", "racer" + round + "-") + "%")).isEqualTo(1);
        }
    }

    @Test
    void networkInterfaceConfigurationsCreateTheVmsNicAndPublicIpAndDeleteThemWithIt() {
        String vnet = createNic(sub, "cfg", "westeurope", "seed").replace("networkInterfaces/seed",
                "virtualNetworks/vnet-westeurope");
        String vm = vmPath(sub, "cfg", "app");
        ObjectNode tree = (ObjectNode) JSON.readTree(vmBody("Standard_B1s"));
        ((ObjectNode) tree.path("properties")).set("networkProfile", JSON.readTree("""
                {"networkApiVersion": "2020-11-01", "networkInterfaceConfigurations": [
                  {"name": "nic", "properties": {"primary": true, "deleteOption": "Delete", "ipConfigurations": [
                    {"name": "ipconfig1", "properties": {"subnet": {"id": "%s/subnets/default"},
                     "publicIPAddressConfiguration": {"name": "pip", "sku": {"name": "Standard"},
                       "properties": {"deleteOption": "Delete"}}}}]}}]}""".formatted(vnet)));
        String body = JSON.writeValueAsString(tree);
        assertThat(body).contains("networkInterfaceConfigurations");

        awaitCreated(put(vm, body));

        String nic = networkPath(sub, "cfg", "networkInterfaces", "app-nic");
        String pip = networkPath(sub, "cfg", "publicIPAddresses", "app-pip");
        JsonNode vmNics = json(get(vm)).path("properties").path("networkProfile");
        assertThat(vmNics.path("networkInterfaces").get(0).path("id").stringValue()).isEqualTo(nic);
        assertThat(vmNics.path("networkInterfaceConfigurations").get(0).path("name").stringValue()).isEqualTo("nic");
        JsonNode config = json(get(nic)).path("properties").path("ipConfigurations").get(0).path("properties");
        assertThat(config.path("privateIPAddress").stringValue()).startsWith("10.0.0.");
        assertThat(config.path("publicIPAddress").path("id").stringValue()).isEqualTo(pip);
        assertThat(json(get(nic)).path("properties").path("virtualMachine").path("id").stringValue()).isEqualTo(vm);
        assertThat(json(get(pip)).path("properties").path("ipAddress").stringValue()).isNotBlank();

        // a re-PUT of the same body is no change
        assertThat(put(vm, body).statusCode()).isEqualTo(200);

        deleteAndAwait(vm);

        assertThat(get(nic).statusCode()).isEqualTo(404);
        assertThat(get(pip).statusCode()).isEqualTo(404);
    }
}
