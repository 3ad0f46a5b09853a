package dev.cirrus.computecontainer.group;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Stream;

import dev.cirrus.computecontainer.ContainerGroupTestSupport;
import dev.cirrus.computecontainer.TestDocker;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Bad input, as a table: each row changes one thing of a valid container group's PUT and names the status and the
 * ARM error code Azure answers with. Every refusal leaves no group (GET is 404) and no container labelled with
 * the refused group's id on the engine.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ContainerGroupBadInputTest extends ContainerGroupTestSupport {

    static final String TAKEN_LABEL = "taken-" + OWNER.substring(OWNER.length() - 8);

    /** A valid group: one httpd container with a port, an IP address with a DNS name label, an emptyDir volume. */
    static ObjectNode valid() {
        return (ObjectNode) JSON.readTree("""
                {"location": "westeurope", "tags": {"a": "b"},
                 "properties": {"osType": "Linux", "restartPolicy": "Always", "sku": "Standard",
                   "containers": [{"name": "web", "properties": {"image": "%s",
                       "command": ["/bin/httpd", "-f", "-p", "80", "-h", "/www"],
                       "ports": [{"port": 80, "protocol": "TCP"}],
                       "environmentVariables": [{"name": "A", "value": "1"}],
                       "resources": {"requests": {"cpu": 1, "memoryInGB": 1}},
                       "volumeMounts": [{"name": "data", "mountPath": "/data"}]}}],
                   "ipAddress": {"type": "Public", "ports": [{"port": 80, "protocol": "TCP"}],
                                 "dnsNameLabel": "bad-input-label"},
                   "volumes": [{"name": "data", "emptyDir": {}}]}}
                """.formatted(TestDocker.BUSYBOX));
    }

    static ObjectNode props(ObjectNode root) {
        return (ObjectNode) root.get("properties");
    }

    static ObjectNode container(ObjectNode root) {
        return (ObjectNode) props(root).get("containers").get(0).get("properties");
    }

    static ObjectNode secondContainer(ObjectNode root, String name) {
        ObjectNode copy = (ObjectNode) props(root).get("containers").get(0).deepCopy();
        copy.put("name", name);
        ((ArrayNode) props(root).get("containers")).add(copy);
        return (ObjectNode) copy.get("properties");
    }

    static ObjectNode liveness(ObjectNode root) {
        return container(root).putObject("livenessProbe");
    }

    /** One row: what is changed, the group's name, the body (null: the valid one changed by {@code change}). */
    record Case(String what, int status, String code, String name, String raw, Consumer<ObjectNode> change) {
        @Override
        public String toString() {
            return what + " -> " + status + " " + code;
        }
    }

    static Case c(String what, int status, String code, Consumer<ObjectNode> change) {
        return new Case(what, status, code, "bad1", null, change);
    }

    static Stream<Case> cases() {
        return Stream.of(
                new Case("a body that is an array", 400, "InvalidRequestContent", "bad1", "[]", null),
                new Case("a body that is not JSON", 400, "InvalidRequestContent", "bad1", "{\"location\":", null),
                new Case("a group name with capitals", 400, "InvalidContainerGroupName", "Web_1", null, r -> { }),
                new Case("a group name of 64 characters", 400, "InvalidContainerGroupName", "a".repeat(64), null,
                        r -> { }),
                new Case("a group name ending in a dash", 400, "InvalidContainerGroupName", "web-", null, r -> { }),
                c("no location", 400, "LocationRequired", r -> r.remove("location")),
                c("a location no host is in", 400, "LocationNotAvailableForResourceType", r -> r.put("location", "mars")),
                c("tags that are not strings", 400, "InvalidRequestContent", r -> r.putObject("tags").put("a", 1)),
                c("no properties", 400, "InvalidParameter", r -> r.remove("properties")),
                c("no osType", 400, "InvalidParameter", r -> props(r).remove("osType")),
                c("osType in the wrong case", 400, "InvalidParameter", r -> props(r).put("osType", "linux")),
                c("osType Windows", 400, "UnsupportedOsType", r -> props(r).put("osType", "Windows")),
                c("a restart policy in the wrong case", 400, "InvalidParameter",
                        r -> props(r).put("restartPolicy", "always")),
                c("an unknown restart policy", 400, "InvalidParameter", r -> props(r).put("restartPolicy", "Sometimes")),
                c("an unknown sku", 400, "InvalidParameter", r -> props(r).put("sku", "Premium")),
                c("no containers", 400, "NoContainersInContainerGroup", r -> props(r).putArray("containers")),
                c("containers that are not an array", 400, "InvalidRequestContent",
                        r -> props(r).put("containers", "web")),
                c("61 containers", 400, "TooManyContainersInContainerGroup", r -> {
                    for (int i = 0; i < 60; i++) {
                        secondContainer(r, "c" + i).remove("ports");
                    }
                }),
                c("two containers of one name", 400, "DuplicateContainerName",
                        r -> secondContainer(r, "web").remove("ports")),
                c("a container name with capitals", 400, "InvalidContainerName",
                        r -> ((ObjectNode) props(r).get("containers").get(0)).put("name", "Web")),
                c("a container without a name", 400, "InvalidParameter",
                        r -> ((ObjectNode) props(r).get("containers").get(0)).remove("name")),
                c("a container without an image", 400, "InvalidParameter", r -> container(r).remove("image")),
                c("an image name Docker refuses", 400, "InvalidImageName",
                        r -> container(r).put("image", "Busybox:Latest!")),
                c("one port in two containers", 400, "DuplicateContainerPorts", r -> secondContainer(r, "second")),
                c("port 0", 400, "InvalidParameter",
                        r -> ((ObjectNode) container(r).get("ports").get(0)).put("port", 0)),
                c("port 70000", 400, "InvalidParameter",
                        r -> ((ObjectNode) container(r).get("ports").get(0)).put("port", 70000)),
                c("protocol SCTP", 400, "InvalidParameter",
                        r -> ((ObjectNode) container(r).get("ports").get(0)).put("protocol", "SCTP")),
                c("no resources", 400, "InvalidParameter", r -> container(r).remove("resources")),
                c("no resource requests", 400, "InvalidParameter",
                        r -> ((ObjectNode) container(r).get("resources")).remove("requests")),
                c("a request of 0 vCPU", 400, "InvalidParameter",
                        r -> ((ObjectNode) container(r).get("resources").get("requests")).put("cpu", 0)),
                c("a negative memory request", 400, "InvalidParameter",
                        r -> ((ObjectNode) container(r).get("resources").get("requests")).put("memoryInGB", -1)),
                c("a vCPU request as text", 400, "InvalidRequestContent",
                        r -> ((ObjectNode) container(r).get("resources").get("requests")).put("cpu", "1")),
                c("a CPU limit below its request", 400, "ResourceLimitsLessThanRequests",
                        r -> ((ObjectNode) container(r).get("resources")).putObject("limits").put("cpu", 0.5)),
                c("a memory limit above the group's request", 400,
                        "ContainerLimitGreaterThanContainerGroupTotalRequest",
                        r -> ((ObjectNode) container(r).get("resources")).putObject("limits").put("memoryInGB", 2)),
                c("5 vCPU in one group", 400, "ResourceRequestsNotSupported",
                        r -> ((ObjectNode) container(r).get("resources").get("requests")).put("cpu", 5)),
                c("17 GB in one group", 400, "ResourceRequestsNotSupported",
                        r -> ((ObjectNode) container(r).get("resources").get("requests")).put("memoryInGB", 17)),
                c("an environment variable with value and secureValue", 400, "InvalidEnvironmentVariable",
                        r -> ((ObjectNode) container(r).get("environmentVariables").get(0)).put("secureValue", "x")),
                c("an environment variable name starting with a digit", 400, "InvalidEnvironmentVariable",
                        r -> ((ObjectNode) container(r).get("environmentVariables").get(0)).put("name", "1A")),
                c("one environment variable twice", 400, "DuplicateEnvironmentVariable",
                        r -> ((ArrayNode) container(r).get("environmentVariables")).addObject().put("name", "A")),
                c("a probe with exec and httpGet", 400, "InvalidProbe", r -> {
                    ObjectNode probe = liveness(r);
                    probe.putObject("exec").putArray("command").add("true");
                    probe.putObject("httpGet").put("port", 80);
                }),
                c("a probe with neither exec nor httpGet", 400, "InvalidProbe",
                        r -> liveness(r).put("periodSeconds", 5)),
                c("a probe every 0 seconds", 400, "InvalidParameter", r -> {
                    ObjectNode probe = liveness(r);
                    probe.putObject("exec").putArray("command").add("true");
                    probe.put("periodSeconds", 0);
                }),
                c("a liveness probe needing 2 successes", 400, "InvalidProbe", r -> {
                    ObjectNode probe = liveness(r);
                    probe.putObject("exec").putArray("command").add("true");
                    probe.put("successThreshold", 2);
                }),
                c("an httpGet probe without a port", 400, "InvalidProbe",
                        r -> liveness(r).putObject("httpGet").put("path", "/")),
                c("a mount of a volume the group has not", 400, "InvalidVolumeMount",
                        r -> ((ObjectNode) container(r).get("volumeMounts").get(0)).put("name", "other")),
                c("a relative mount path", 400, "InvalidVolumeMount",
                        r -> ((ObjectNode) container(r).get("volumeMounts").get(0)).put("mountPath", "data")),
                c("a volume both emptyDir and secret", 400, "InvalidVolume",
                        r -> ((ObjectNode) props(r).get("volumes").get(0)).putObject("secret").put("f", "eA==")),
                c("an azureFile volume", 400, "InvalidVolume", r -> {
                    ObjectNode v = (ObjectNode) props(r).get("volumes").get(0);
                    v.remove("emptyDir");
                    v.putObject("azureFile").put("shareName", "s");
                }),
                c("a secret file that is not base64", 400, "InvalidVolume", r -> {
                    ObjectNode v = (ObjectNode) props(r).get("volumes").get(0);
                    v.remove("emptyDir");
                    v.putObject("secret").put("f", "not base64!");
                }),
                c("an IP address port no container has", 400, "InvalidIpAddressPorts",
                        r -> ((ArrayNode) props(r).get("ipAddress").get("ports")).addObject().put("port", 81)),
                c("an IP address of an unknown type", 400, "InvalidParameter",
                        r -> ((ObjectNode) props(r).get("ipAddress")).put("type", "Internal")),
                c("an IP address without ports", 400, "InvalidParameter",
                        r -> ((ObjectNode) props(r).get("ipAddress")).remove("ports")),
                c("a DNS name label of 2 characters", 400, "InvalidDnsNameLabel",
                        r -> ((ObjectNode) props(r).get("ipAddress")).put("dnsNameLabel", "ab")),
                c("a DNS name label another group has", 400, "DnsNameLabelNotAvailable",
                        r -> ((ObjectNode) props(r).get("ipAddress")).put("dnsNameLabel", TAKEN_LABEL)),
                c("a registry credential for another server", 400, "InvalidImageRegistryCredential", r -> {
                    ObjectNode cred = props(r).putArray("imageRegistryCredentials").addObject();
                    cred.put("server", "other.example");
                    cred.put("username", "u");
                    cred.put("password", "p");
                }),
                c("a registry credential without a user", 400, "InvalidParameter", r -> {
                    container(r).put("image", "registry.example/app:1");
                    props(r).putArray("imageRegistryCredentials").addObject().put("server", "registry.example");
                }),
                c("more vCPU than the subscription has left in the region", 409, "ContainerGroupQuotaReached",
                        r -> r.put("__quota", true)));
    }

    @BeforeAll
    void aGroupHoldsTheTakenLabel() {
        if (TestDocker.answers()) {
            TestDocker.busybox();
        }
        ObjectNode holder = valid();
        ((ObjectNode) props(holder).get("ipAddress")).put("dnsNameLabel", TAKEN_LABEL);
        HttpResponse<String> created = put(groupPath(newSubscription(), "holder", "holder"), holder.toString());
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void aBadPutIsRefusedWithAzuresStatusAndCodeAndChangesNothing(Case bad) {
        String sub = newSubscription();
        String body;
        if (bad.raw() != null) {
            body = bad.raw();
        } else {
            ObjectNode root = valid();
            bad.change().accept(root);
            if (root.has("__quota")) {
                root.remove("__quota");
                // the tests' regional quota is 8 vCPU: two groups of 4 hold it all
                for (String name : List.of("q1", "q2")) {
                    ObjectNode big = valid();
                    ((ObjectNode) props(big).get("ipAddress")).remove("dnsNameLabel");
                    ((ObjectNode) container(big).get("resources").get("requests")).put("cpu", 4);
                    assertThat(put(groupPath(sub, "quota", name), big.toString()).statusCode()).isEqualTo(201);
                }
                ((ObjectNode) props(root).get("ipAddress")).remove("dnsNameLabel");
            }
            body = root.toString();
        }
        String path = groupPath(sub, "rg", bad.name());

        HttpResponse<String> refused = put(path, body);

        assertThat(refused.statusCode()).as(refused.body()).isEqualTo(bad.status());
        JsonNode error = json(refused).path("error");
        assertThat(error.path("code").asString()).as(refused.body()).isEqualTo(bad.code());
        assertThat(error.path("message").asString()).isNotBlank();
        assertThat(get(path).statusCode()).isEqualTo(404);
        assertThat(containersOf(path)).isEmpty();
    }

    @Test
    void anImageThatDoesNotExistIsRefusedAsInaccessibleAndLeavesNothingBehind() {
        TestDocker.requireEngine();
        ObjectNode root = valid();
        container(root).put("image", "cirrus-test/does-not-exist:1");
        ((ObjectNode) props(root).get("ipAddress")).remove("dnsNameLabel");
        String path = groupPath(newSubscription(), "rg", "no-image");

        HttpResponse<String> refused = put(path, root.toString());

        assertThat(refused.statusCode()).isEqualTo(400);
        assertThat(json(refused).path("error").path("code").asString()).isEqualTo("InaccessibleImage");
        assertThat(json(refused).path("error").path("message").asString())
                .contains("cirrus-test/does-not-exist:1");
        assertThat(get(path).statusCode()).isEqualTo(404);
        assertThat(containersOf(path)).isEmpty();
    }

    @Test
    void aPutWithoutApiVersionIsRefused() {
        HttpResponse<String> refused = send("PUT", groupPath(newSubscription(), "rg", "noapi"), valid().toString());
        assertThat(refused.statusCode()).isEqualTo(400);
        assertThat(json(refused).path("error").path("code").asString()).isEqualTo("MissingApiVersionParameter");
    }

    @Test
    void logsOfAContainerTheGroupHasNotAreNotFoundAndABadTailIsRefused() {
        String path = groupPath(newSubscription(), "rg", "logs-bad");
        ObjectNode root = valid();
        ((ObjectNode) props(root).get("ipAddress")).remove("dnsNameLabel");
        assertThat(put(path, root.toString()).statusCode()).isEqualTo(201);

        HttpResponse<String> unknown = get(path + "/containers/nope/logs");
        HttpResponse<String> badTail = get(path + "/containers/web/logs?tail=-3&" + API);

        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(json(unknown).path("error").path("code").asString()).isEqualTo("ContainerNotFound");
        assertThat(badTail.statusCode()).isEqualTo(400);
        assertThat(json(badTail).path("error").path("target").asString()).isEqualTo("tail");
        assertThat(delete(path).statusCode()).isEqualTo(200);
    }
}
