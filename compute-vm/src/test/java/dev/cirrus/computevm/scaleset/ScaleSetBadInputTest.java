package dev.cirrus.computevm.scaleset;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.http.HttpResponse;
import java.time.Duration;

import dev.cirrus.computevm.ComputeVmTestSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The scale-set bad-input table: each case is the valid body with one JSON merge patch applied (null removes a
 * member); each must be refused with Azure's status, code and target, and leave nothing behind. Then the refusals
 * of an existing set: each leaves the set exactly as it was.
 */
class ScaleSetBadInputTest extends ComputeVmTestSupport {

    private final String sub = newSubscription();

    private static final String P = "properties.virtualMachineProfile.";
    private static final String FLEXIBLE = "\"orchestrationMode\":\"Flexible\"";
    private static final String ROLLING = "\"upgradePolicy\":{\"mode\":\"Rolling\",\"rollingUpgradePolicy\":";

    /** The valid body with {@code patch} merged in (RFC 7396). */
    static String body(String patch) {
        ObjectNode base = (ObjectNode) JSON.readTree(ScaleSetTest.uniform("westeurope", 1, ""));
        JsonNode p = JSON.readTree(patch);
        if (!p.isObject()) {
            return patch;
        }
        merge(base, p);
        return base.toString();
    }

    private static void merge(ObjectNode target, JsonNode patch) {
        for (var e : patch.properties()) {
            if (e.getValue().isNull()) {
                target.remove(e.getKey());
            } else if (e.getValue().isObject() && target.path(e.getKey()).isObject()) {
                merge((ObjectNode) target.get(e.getKey()), e.getValue());
            } else {
                target.set(e.getKey(), e.getValue());
            }
        }
    }

    @ParameterizedTest(name = "{0} → {1} {2} at {3}")
    @CsvSource(delimiter = '|', nullValues = "-", value = {
            // sku and capacity
            "{\"sku\":{\"capacity\":-1}}|400|InvalidParameter|sku.capacity",
            "{\"sku\":{\"capacity\":1001}}|400|InvalidParameter|sku.capacity",
            "{\"sku\":{\"capacity\":101}}|400|InvalidParameter|sku.capacity",
            "{\"sku\":{\"capacity\":\"three\"}}|400|InvalidRequestContent|sku.capacity",
            "{\"sku\":{\"capacity\":1.5}}|400|InvalidRequestContent|sku.capacity",
            "{\"sku\":{\"name\":\"Standard_Nope\"}}|400|InvalidParameter|sku.name",
            "{\"sku\":{\"name\":null}}|400|InvalidParameter|sku.name",
            "{\"sku\":\"big\"}|400|InvalidRequestContent|sku",
            "{\"sku\":{\"tier\":\"Premium\"}}|400|InvalidParameter|sku.tier",
            "{\"sku\":{\"capacity\":21}}|409|OperationNotAllowed|-",
            // envelope
            "{\"location\":null}|400|LocationRequired|location",
            "{\"location\":\"atlantis!\"}|400|InvalidLocation|location",
            "{\"tags\":{\"a<b\":\"x\"}}|400|InvalidTagNameCharacters|tags",
            "[1]|400|InvalidRequestContent|-",
            "{\"zones\":[\"4\"]}|400|InvalidParameter|zones",
            // orchestration and fault domains
            "{\"properties\":{\"orchestrationMode\":\"Mixed\"}}|400|InvalidParameter|properties.orchestrationMode",
            "{\"properties\":{\"platformFaultDomainCount\":6}}|400|InvalidParameter|properties.platformFaultDomainCount",
            "{\"properties\":{\"platformFaultDomainCount\":0}}|400|InvalidParameter|properties.platformFaultDomainCount",
            "{\"properties\":{\"platformFaultDomainCount\":\"two\"}}|400|InvalidRequestContent|properties.platformFaultDomainCount",
            "{\"zones\":[\"1\"],\"properties\":{\"platformFaultDomainCount\":3}}|400|InvalidParameter|properties.platformFaultDomainCount",
            "{\"properties\":{" + FLEXIBLE + ",\"platformFaultDomainCount\":4}}|400|InvalidParameter|properties.platformFaultDomainCount",
            "{\"zones\":[\"2\"],\"properties\":{" + FLEXIBLE + ",\"platformFaultDomainCount\":2}}|400|InvalidParameter|properties.platformFaultDomainCount",
            "{\"properties\":{" + FLEXIBLE + ",\"singlePlacementGroup\":true}}|400|InvalidParameter|properties.singlePlacementGroup",
            "{\"properties\":{" + FLEXIBLE + ",\"overprovision\":true}}|400|InvalidParameter|properties.overprovision",
            "{\"properties\":{" + FLEXIBLE + "}}|400|InvalidParameter|" + P + "networkProfile.networkApiVersion",
            "{\"properties\":{\"overprovision\":\"yes\"}}|400|InvalidRequestContent|properties.overprovision",
            "{\"properties\":{\"singlePlacementGroup\":1}}|400|InvalidRequestContent|properties.singlePlacementGroup",
            // upgrade and scale-in policies
            "{\"properties\":{\"upgradePolicy\":{\"mode\":\"Sometimes\"}}}|400|InvalidParameter|properties.upgradePolicy.mode",
            "{\"properties\":{\"upgradePolicy\":{\"mode\":\"Manual\",\"rollingUpgradePolicy\":{}}}}|400|InvalidParameter|properties.upgradePolicy.rollingUpgradePolicy",
            "{\"properties\":{" + ROLLING + "{\"maxBatchInstancePercent\":0}}}}|400|InvalidParameter|properties.upgradePolicy.rollingUpgradePolicy.maxBatchInstancePercent",
            "{\"properties\":{" + ROLLING + "{\"maxBatchInstancePercent\":101}}}}|400|InvalidParameter|properties.upgradePolicy.rollingUpgradePolicy.maxBatchInstancePercent",
            "{\"properties\":{" + ROLLING + "{\"maxUnhealthyInstancePercent\":4}}}}|400|InvalidParameter|properties.upgradePolicy.rollingUpgradePolicy.maxUnhealthyInstancePercent",
            "{\"properties\":{" + ROLLING + "{\"pauseTimeBetweenBatches\":\"5 minutes\"}}}}|400|InvalidParameter|properties.upgradePolicy.rollingUpgradePolicy.pauseTimeBetweenBatches",
            "{\"properties\":{" + ROLLING + "{\"pauseTimeBetweenBatches\":\"PT2H\"}}}}|400|InvalidParameter|properties.upgradePolicy.rollingUpgradePolicy.pauseTimeBetweenBatches",
            "{\"properties\":{\"scaleInPolicy\":{\"rules\":[\"Random\"]}}}|400|InvalidParameter|properties.scaleInPolicy.rules[0]",
            "{\"properties\":{\"scaleInPolicy\":{\"rules\":[\"NewestVM\",\"OldestVM\"]}}}|400|InvalidParameter|properties.scaleInPolicy.rules",
            "{\"properties\":{\"scaleInPolicy\":{\"rules\":\"NewestVM\"}}}|400|InvalidRequestContent|properties.scaleInPolicy.rules",
            "{\"properties\":{\"scaleInPolicy\":{\"forceDeletion\":\"true\"}}}|400|InvalidRequestContent|properties.scaleInPolicy.forceDeletion",
            // the VM model: the VM's own rules, under properties.virtualMachineProfile
            "{\"properties\":{\"virtualMachineProfile\":null}}|400|InvalidParameter|properties.virtualMachineProfile",
            "{\"properties\":{\"virtualMachineProfile\":{\"storageProfile\":{\"imageReference\":null}}}}|400|InvalidParameter|" + P + "storageProfile.imageReference",
            "{\"properties\":{\"virtualMachineProfile\":{\"storageProfile\":{\"imageReference\":{\"publisher\":null}}}}}|400|InvalidParameter|" + P + "storageProfile.imageReference.publisher",
            "{\"properties\":{\"virtualMachineProfile\":{\"storageProfile\":{\"imageReference\":{\"sku\":\"99_99\"}}}}}|404|PlatformImageNotFound|imageReference",
            "{\"properties\":{\"virtualMachineProfile\":{\"storageProfile\":{\"osDisk\":{\"createOption\":\"Attach\"}}}}}|400|InvalidParameter|" + P + "storageProfile.osDisk.createOption",
            "{\"properties\":{\"virtualMachineProfile\":{\"storageProfile\":{\"dataDisks\":[{\"lun\":0,\"createOption\":\"Empty\",\"diskSizeGB\":8},{\"lun\":1,\"createOption\":\"Empty\",\"diskSizeGB\":8},{\"lun\":2,\"createOption\":\"Empty\",\"diskSizeGB\":8}]}}}}|409|OperationNotAllowed|" + P + "storageProfile.dataDisks",
            "{\"properties\":{\"virtualMachineProfile\":{\"osProfile\":null}}}|400|InvalidParameter|" + P + "osProfile",
            "{\"properties\":{\"virtualMachineProfile\":{\"osProfile\":{\"adminUsername\":\"root\"}}}}|400|InvalidParameter|adminUsername",
            "{\"properties\":{\"virtualMachineProfile\":{\"osProfile\":{\"adminUsername\":null}}}}|400|InvalidParameter|" + P + "osProfile.adminUsername",
            "{\"properties\":{\"virtualMachineProfile\":{\"osProfile\":{\"computerNamePrefix\":null}}}}|400|InvalidParameter|" + P + "osProfile.computerNamePrefix",
            "{\"properties\":{\"virtualMachineProfile\":{\"osProfile\":{\"computerNamePrefix\":\"web_1!\"}}}}|400|InvalidParameter|" + P + "osProfile.computerNamePrefix",
            "{\"properties\":{\"virtualMachineProfile\":{\"osProfile\":{\"computerNamePrefix\":\"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\"}}}}|400|InvalidParameter|" + P + "osProfile.computerNamePrefix",
            "{\"properties\":{\"virtualMachineProfile\":{\"networkProfile\":{\"networkInterfaceConfigurations\":null}}}}|400|InvalidParameter|" + P + "networkProfile.networkInterfaceConfigurations",
            "{\"properties\":{\"virtualMachineProfile\":{\"networkProfile\":{\"networkInterfaceConfigurations\":[{\"name\":\"n\",\"properties\":{\"ipConfigurations\":[{\"name\":\"ip\"}]}}]}}}}|400|InvalidParameter|" + P + "networkProfile.networkInterfaceConfigurations[0].properties.ipConfigurations[0].properties.subnet.id",
            "{\"properties\":{\"virtualMachineProfile\":{\"networkProfile\":{\"networkInterfaceConfigurations\":\"nic\"}}}}|400|InvalidRequestContent|" + P + "networkProfile.networkInterfaceConfigurations"})
    void aBadScaleSetIsAnArmErrorAndCreatesNothing(String patch, int status, String code, String target) {
        String path = ScaleSetTest.setPath(sub, "rg", "bad");
        HttpResponse<String> response = put(path, body(patch));
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        JsonNode error = json(response).path("error");
        assertThat(error.path("code").stringValue()).as(response.body()).isEqualTo(code);
        if (target != null) {
            assertThat(error.path("target").stringValue()).as(response.body()).isEqualTo(target);
        }
        assertThat(get(path).statusCode()).isEqualTo(404);
        assertThat(count("select count(*) from virtual_machines where subscription_key = ?", sub)).isZero();
        assertThat(count("select count(*) from operations where subscription_key = ?", sub)).isZero();
    }

    @Test
    void aScaleSetNameWithForbiddenCharactersIsRefused() {
        HttpResponse<String> response = put(ScaleSetTest.setPath(sub, "rg", "bad-"), body("{}"));
        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(json(response).path("error").path("code").stringValue()).isEqualTo("InvalidResourceName");
        assertThat(json(response).path("error").path("target").stringValue()).isEqualTo("name");
    }

    @ParameterizedTest(name = "{0} {1} {2} → {3} {4} at {5}")
    @CsvSource(delimiter = '|', nullValues = "-", value = {
            "PUT||{\"location\":\"eastus\"}|409|PropertyChangeNotAllowed|location",
            "PUT||{\"properties\":{" + FLEXIBLE + ",\"virtualMachineProfile\":{\"networkProfile\":{\"networkApiVersion\":\"2020-11-01\"}}}}|409|PropertyChangeNotAllowed|properties.orchestrationMode",
            "PUT||{\"properties\":{\"platformFaultDomainCount\":2}}|409|PropertyChangeNotAllowed|properties.platformFaultDomainCount",
            "PUT||{\"sku\":{\"name\":\"Standard_B2s\"}}|409|OperationNotAllowed|sku.name",
            "PUT||{\"properties\":{\"virtualMachineProfile\":{\"osProfile\":{\"adminUsername\":\"someoneelse\"}}}}|409|OperationNotAllowed|properties.virtualMachineProfile",
            "PATCH||{\"sku\":{\"capacity\":-2}}|400|InvalidParameter|sku.capacity",
            "PATCH||{\"properties\":{\"scaleInPolicy\":{\"rules\":[\"Biggest\"]}}}|400|InvalidParameter|properties.scaleInPolicy.rules[0]",
            "POST|/powerOff|{\"instanceIds\":[\"42\"]}|400|InvalidParameter|instanceIds",
            "POST|/restart|{\"instanceIds\":[7]}|400|InvalidRequestContent|instanceIds[0]",
            "POST|/delete|{}|400|InvalidParameter|instanceIds",
            "POST|/manualupgrade|{\"instanceIds\":[]}|400|InvalidParameter|instanceIds",
            "GET|/virtualMachines/99||404|NotFound|-",
            "POST|/virtualMachines/99/start||404|NotFound|-",
            "PUT|/virtualMachines/99|{\"properties\":{\"protectionPolicy\":{\"protectFromScaleIn\":true}}}|404|NotFound|-",
            "PUT|/virtualMachines/99|{\"properties\":{\"protectionPolicy\":{\"protectFromScaleIn\":\"yes\"}}}|400|InvalidRequestContent|properties.protectionPolicy.protectFromScaleIn"})
    void aRefusedChangeOfAnExistingSetLeavesItAsItWas(String method, String suffix, String patch, int status,
                                                     String code, String target) {
        String path = ScaleSetTest.setPath(sub, "rg", "kept");
        HttpResponse<String> created = put(path, body("{\"sku\":{\"capacity\":0},\"properties\":"
                + "{\"platformFaultDomainCount\":3}}"));
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        String op = header(created, "Azure-AsyncOperation");
        await().atMost(Duration.ofSeconds(30)).until(() -> json(get(op)).path("status").stringValue(),
                "Succeeded"::equals);
        String before = get(path).body();

        String url = path + (suffix == null ? "" : suffix);
        // a PUT of the set sends the whole set with the change; other calls send the patch itself
        String sent = method.equals("PUT") && suffix == null ? merged(patch) : patch;
        HttpResponse<String> response = send(method, withApi(url), sent);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        JsonNode error = json(response).path("error");
        assertThat(error.path("code").stringValue()).as(response.body()).isEqualTo(code);
        if (target != null) {
            assertThat(error.path("target").stringValue()).as(response.body()).isEqualTo(target);
        }
        assertThat(get(path).body()).isEqualTo(before);
    }

    /** The existing set's body with {@code patch} merged in. */
    private static String merged(String patch) {
        ObjectNode base = (ObjectNode) JSON.readTree(body("{\"sku\":{\"capacity\":0},\"properties\":"
                + "{\"platformFaultDomainCount\":3}}"));
        merge(base, JSON.readTree(patch));
        return base.toString();
    }
}
