package dev.cirrus.computevm.vm;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

import dev.cirrus.computevm.ComputeVmTestSupport;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Every kind of bad request gets a 4xx with an ARM error body, and changes nothing: no VM row, no event.
 */
class BadInputTest extends ComputeVmTestSupport {

    private static final String SUB = newSubscription();

    private static final String GOOD = vmBody("Standard_B1s");

    /** One bad request: what is sent, and the status, code and (when given) target that must come back. */
    record Case(String description, String method, String name, String query, String body, String contentType,
                int status, String code, String target) {
        @Override
        public String toString() {
            return description;
        }
    }

    static Stream<Arguments> cases() {
        return Stream.of(
                put("malformed JSON", "{\"location\": \"westeurope\", ", 400, "InvalidRequestContent", null),
                put("a body that is not an object", "[1, 2, 3]", 400, "InvalidRequestContent", null),
                put("a JSON null body", "null", 400, "InvalidRequestContent", null),
                put("an empty body", "", 400, "InvalidRequestContent", null),
                put("vmSize a number", GOOD.replace("\"Standard_B1s\"", "2"), 400, "InvalidRequestContent",
                        "properties.hardwareProfile.vmSize"),
                put("tags an array", GOOD.replace("{\"env\": \"test\", \"owner\": \"cirrus\"}", "[\"env\"]"), 400,
                        "InvalidRequestContent", "tags"),
                put("a tag value a number", GOOD.replace("\"env\": \"test\"", "\"env\": 1"), 400,
                        "InvalidRequestContent", "tags.env"),
                put("location a number", GOOD.replace("\"West Europe\"", "42"), 400, "InvalidRequestContent", "location"),
                put("properties a string", "{\"location\": \"westeurope\", \"properties\": \"big\"}", 400,
                        "InvalidRequestContent", "properties"),
                put("missing location", GOOD.replace("\"location\": \"West Europe\",", ""), 400, "LocationRequired",
                        "location"),
                put("missing vmSize", GOOD.replace("\"vmSize\": \"Standard_B1s\"", ""), 400, "InvalidParameter",
                        "properties.hardwareProfile.vmSize"),
                put("unknown vmSize", GOOD.replace("Standard_B1s", "Standard_Z99"), 400, "InvalidParameter",
                        "vmSize"),
                put("missing image on create", GOOD.replace("\"imageReference\"", "\"notAnImage\""), 400,
                        "InvalidParameter", "properties.storageProfile.imageReference"),
                put("image without a publisher", GOOD.replace("\"publisher\": \"Canonical\",", ""), 400,
                        "InvalidParameter", "properties.storageProfile.imageReference.publisher"),
                put("an OS disk attached rather than created",
                        GOOD.replace("\"storageProfile\": {", "\"storageProfile\": {\"osDisk\": {\"createOption\": \"Attach\"},"),
                        400, "InvalidParameter", "properties.storageProfile.osDisk.createOption"),
                put("an unknown disk caching mode",
                        GOOD.replace("\"storageProfile\": {", "\"storageProfile\": {\"osDisk\": {\"caching\": \"Sometimes\"},"),
                        400, "InvalidParameter", "properties.storageProfile.osDisk.caching"),
                put("more data disks than the size allows",
                        GOOD.replace("\"storageProfile\": {", "\"storageProfile\": {\"dataDisks\": ["
                                + "{\"lun\":0,\"createOption\":\"Empty\",\"diskSizeGB\":8},"
                                + "{\"lun\":1,\"createOption\":\"Empty\",\"diskSizeGB\":8},"
                                + "{\"lun\":2,\"createOption\":\"Empty\",\"diskSizeGB\":8}],"),
                        409, "OperationNotAllowed", "properties.storageProfile.dataDisks"),
                put("two data disks on one LUN",
                        GOOD.replace("\"storageProfile\": {", "\"storageProfile\": {\"dataDisks\": ["
                                + "{\"lun\":0,\"createOption\":\"Empty\",\"diskSizeGB\":8},"
                                + "{\"lun\":0,\"createOption\":\"Empty\",\"diskSizeGB\":8}],"),
                        400, "InvalidParameter", "properties.storageProfile.dataDisks[1].lun"),
                put("an osProfile without adminUsername", GOOD.replace("\"adminUsername\": \"azureuser\",", ""), 400,
                        "InvalidParameter", "properties.osProfile.adminUsername"),
                put("an adminPassword that is not a string",
                        GOOD.replace("\"" + PASSWORD + "\"", "12345"), 400, "InvalidRequestContent",
                        "properties.osProfile.adminPassword"),
                put("a zone that does not exist", GOOD.replace("\"tags\"", "\"zones\": [\"7\"], \"tags\""), 400,
                        "InvalidParameter", "zones"),
                put("an availability set id that is no resource id",
                        GOOD.replace("\"hardwareProfile\"", "\"availabilitySet\": {\"id\": \"/x\"}, \"hardwareProfile\""),
                        400, "InvalidParameter", "properties.availabilitySet.id"),
                put("an availability set that does not exist",
                        GOOD.replace("\"hardwareProfile\"", "\"availabilitySet\": {\"id\": \"/subscriptions/" + SUB
                                + "/resourceGroups/rg/providers/Microsoft.Compute/availabilitySets/none\"}, \"hardwareProfile\""),
                        404, "NotFound", "properties.availabilitySet.id"),
                put("an availability set id that is a number",
                        GOOD.replace("\"hardwareProfile\"", "\"availabilitySet\": {\"id\": 7}, \"hardwareProfile\""),
                        400, "InvalidRequestContent", "properties.availabilitySet.id"),
                put("an image nobody publishes", GOOD.replace("\"Canonical\"", "\"Nobody\""), 404,
                        "PlatformImageNotFound", "imageReference"),
                put("an image version that does not exist", GOOD.replace("\"latest\"", "\"1.2.3\""), 404,
                        "PlatformImageNotFound", "imageReference"),
                put("an unknown OS disk storage type",
                        GOOD.replace("\"storageProfile\": {", "\"storageProfile\": {\"osDisk\": {\"managedDisk\": "
                                + "{\"storageAccountType\": \"Floppy\"}},"),
                        400, "InvalidParameter", "properties.storageProfile.osDisk.managedDisk.storageAccountType"),
                put("a negative data disk size",
                        GOOD.replace("\"storageProfile\": {", "\"storageProfile\": {\"dataDisks\": ["
                                + "{\"lun\":0,\"createOption\":\"Empty\",\"diskSizeGB\":-8}],"),
                        400, "InvalidParameter", "properties.storageProfile.dataDisks[0].diskSizeGB"),
                put("a tag name with a forbidden character", GOOD.replace("\"owner\"", "\"own/er\""), 400,
                        "InvalidTagNameCharacters", "tags"),
                put("a network interface without an id",
                        GOOD.replace("\"id\":\n", "\"ref\":\n"), 400, "InvalidParameter",
                        "properties.networkProfile.networkInterfaces[0].id"),
                new Case("an invalid name (ends with '-')", "PUT", "bad-name-", API, GOOD, "application/json", 400,
                        "InvalidParameter", "name"),
                new Case("an invalid name (a '!')", "PUT", "bad!name", API, GOOD, "application/json", 400,
                        "InvalidParameter", "name"),
                new Case("a name of 65 characters", "PUT", "n".repeat(65), API, GOOD, "application/json", 400,
                        "InvalidParameter", "name"),
                new Case("missing api-version", "PUT", null, "", GOOD, "application/json", 400,
                        "MissingApiVersionParameter", null),
                new Case("a malformed api-version", "PUT", null, "api-version=latest", GOOD, "application/json", 400,
                        "InvalidApiVersionParameter", null),
                new Case("an api-version that is no date", "PUT", null, "api-version=2024-13-45", GOOD,
                        "application/json", 400, "InvalidApiVersionParameter", null),
                new Case("a body over 4 MB", "PUT", null, API,
                        GOOD.replace("\"owner\": \"cirrus\"", "\"owner\": \"" + "x".repeat(4 * 1024 * 1024) + "\""),
                        "application/json", 413, "RequestEntityTooLarge", null),
                new Case("a body that is not JSON", "PUT", null, API, "location=westeurope", "text/plain", 415,
                        "UnsupportedMediaType", null),
                new Case("an unknown sub-path", "GET", null, API + "&x=/bogus", null, null, 404, "NotFound", null),
                new Case("a method the resource does not have", "POST", null, API, GOOD, "application/json", 405,
                        "MethodNotAllowed", null),
                new Case("a subscription id that is not a GUID", "PUT", null, API + "&sub=not-a-guid", GOOD,
                        "application/json", 400, "InvalidSubscriptionId", null),
                new Case("a bad $expand", "GET", null, API + "&$expand=everything", null, null, 400,
                        "InvalidParameter", "$expand"),
                new Case("a $top that is no number", "LIST", null, API + "&$top=many", null, null, 400,
                        "InvalidParameter", "$top"),
                new Case("a forged $skipToken", "LIST", null, API + "&$skipToken=forged", null, null, 400,
                        "InvalidParameter", "$skiptoken"))
                .map(Arguments::of);
    }

    /** A bad request to another endpoint: method, path (under the test subscription), body, and the answer. */
    record Other(String description, String method, String path, String body, int status, String code, String target) {
        @Override
        public String toString() {
            return description;
        }
    }

    static Stream<Arguments> otherEndpoints() {
        String vm = vmPath(SUB, "rg", "absent");
        String loc = "/subscriptions/" + SUB + "/providers/Microsoft.Compute/locations/westeurope";
        String versions = loc + "/publishers/Canonical/artifacttypes/vmimage/offers/0001-com-ubuntu-server-jammy/skus/"
                + "22_04-lts/versions";
        String set = "/subscriptions/" + SUB + "/resourceGroups/rg/providers/Microsoft.Compute/availabilitySets/absent";
        return Stream.of(
                new Other("start of a VM that does not exist", "POST", vm + "/start", null, 404, "ResourceNotFound", null),
                new Other("deallocate with hibernation", "POST", vm + "/deallocate?hibernate=true", null, 400,
                        "InvalidParameter", "hibernate"),
                new Other("powerOff with skipShutdown not a boolean", "POST", vm + "/powerOff?skipShutdown=perhaps", null,
                        400, "InvalidParameter", "skipShutdown"),
                new Other("an action nobody offers", "POST", vm + "/explode", null, 404, "NotFound", null),
                new Other("a PATCH body that is not an object", "PATCH", vm, "[1]", 400, "InvalidRequestContent", null),
                new Other("a PATCH of a VM that does not exist", "PATCH", vm, "{\"tags\":{}}", 404, "ResourceNotFound",
                        null),
                new Other("usages of a location that cannot exist", "GET",
                        "/subscriptions/" + SUB + "/providers/Microsoft.Compute/locations/no%20where!/usages", null, 400,
                        "InvalidLocation", "location"),
                new Other("image versions with $top 0", "GET", versions + "?$top=0", null, 400, "InvalidParameter", "$top"),
                new Other("image versions ordered by size", "GET", versions + "?$orderby=size", null, 400,
                        "InvalidParameter", "$orderby"),
                new Other("offers of an unknown publisher", "GET", loc + "/publishers/Nobody/artifacttypes/vmimage/offers",
                        null, 404, "NotFound", null),
                new Other("an unknown image version", "GET", versions + "/0.0.1", null, 404, "NotFound", null),
                new Other("an availability set that does not exist", "GET", set, null, 404, "ResourceNotFound", null),
                new Other("the sizes of an availability set that does not exist", "GET", set + "/vmSizes", null, 404,
                        "ResourceNotFound", null),
                new Other("a PATCH of an availability set that does not exist", "PATCH", set, "{\"tags\":{}}", 404,
                        "ResourceNotFound", null),
                new Other("an availability set name with a '!'", "PUT", set.replace("absent", "bad!set"),
                        "{\"location\":\"westeurope\"}", 400, "InvalidParameter", "name"),
                new Other("an availability set list with a forged $skipToken", "GET",
                        "/subscriptions/" + SUB + "/providers/Microsoft.Compute/availabilitySets?$skipToken=forged", null,
                        400, "InvalidParameter", "$skiptoken"))
                .map(Arguments::of);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("otherEndpoints")
    void aBadRequestToAnotherEndpointGetsAnArmErrorAndChangesNothing(Other c) throws Exception {
        String url = url(c.path() + (c.path().contains("?") ? "&" : "?") + API);
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30))
                .method(c.method(), c.body() == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(c.body()));
        if (c.body() != null) {
            request.header("Content-Type", "application/json");
        }
        HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).as(response.body()).isEqualTo(c.status());
        JsonNode error = JSON.readTree(response.body()).path("error");
        assertThat(error.path("code").stringValue()).isEqualTo(c.code());
        assertThat(error.path("message").stringValue()).isNotBlank();
        if (c.target() != null) {
            assertThat(error.path("target").stringValue()).isEqualTo(c.target());
        }
        assertThat(count("select count(*) from virtual_machines where subscription_key = ?", SUB)).isZero();
        assertThat(count("select count(*) from availability_sets where subscription_key = ?", SUB)).isZero();
        assertThat(count("select count(*) from operations where subscription_key = ?", SUB)).isZero();
    }

    private static Case put(String description, String body, int status, String code, String target) {
        return new Case(description, "PUT", null, API, body, "application/json", status, code, target);
    }

    private static int counter;

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void aBadRequestGetsAnArmErrorAndChangesNothing(Case c) throws Exception {
        String name = c.name() != null ? c.name() : "bad" + (++counter) + System.nanoTime();
        String sub = c.query().contains("sub=not-a-guid") ? "not-a-guid" : SUB;
        String path = switch (c.method()) {
            case "LIST" -> "/subscriptions/" + sub + "/providers/Microsoft.Compute/virtualMachines";
            default -> vmPath(sub, "rg", name) + (c.query().contains("x=/bogus") ? "/bogus" : "");
        };
        String query = c.query().replace("&x=/bogus", "").replace("&sub=not-a-guid", "");
        String method = c.method().equals("LIST") ? "GET" : c.method();
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url(path + (query.isEmpty() ? "" : "?" + query))))
                .timeout(Duration.ofSeconds(30))
                .method(method, c.body() == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(c.body()));
        if (c.contentType() != null) {
            request.header("Content-Type", c.contentType());
        }
        HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).as(response.body()).isEqualTo(c.status());
        assertThat(response.headers().firstValue("Content-Type").orElse("")).startsWith("application/json");
        JsonNode error = JSON.readTree(response.body()).path("error");
        assertThat(error.path("code").stringValue()).isEqualTo(c.code());
        assertThat(error.path("message").stringValue()).isNotBlank();
        if (c.target() != null) {
            assertThat(error.path("target").stringValue()).isEqualTo(c.target());
        }
        assertThat(response.body()).doesNotContain("Exception").doesNotContain(PASSWORD);
        String key = vmKey(sub, "rg", name);
        assertThat(count("select count(*) from virtual_machines where resource_key = ?", key)).isZero();
        assertThat(count("select count(*) from outbox where record_key = ?", key)).isZero();
        assertThat(count("select count(*) from operations where resource_key = ?", key)).isZero();
    }

    // ---- network interfaces: the VM must stand on NICs of its own subscription and region that no other VM holds

    /** The subscription of the NIC cases: its NICs are made once ({@link #nicFixtures}), its VMs are refused. */
    private static final String NIC_SUB = newSubscription();
    private static final String HOLDER = vmPath(NIC_SUB, "holders", "holder");
    private static boolean nicsMade;

    /** One NIC case: the {@code networkProfile} sent (null: none), and what must come back. */
    record NicCase(String description, String networkProfile, String code, String target) {
        @Override
        public String toString() {
            return description;
        }
    }

    private static String nicId(String name) {
        return networkPath(NIC_SUB, "nics", "networkInterfaces", name);
    }

    private static String nics(String... entries) {
        return "{\"networkInterfaces\": [" + String.join(", ", entries) + "]}";
    }

    private static String nic(String id, Boolean primary) {
        return "{\"id\": \"" + id + "\"" + (primary == null ? "" : ", \"properties\": {\"primary\": " + primary + "}")
                + "}";
    }

    static Stream<Arguments> nicCases() {
        String nicTarget = "properties.networkProfile.networkInterfaces[0].id";
        return Stream.of(
                new NicCase("a NIC that does not exist", nics(nic(nicId("missing"), true)),
                        "InvalidResourceReference", nicTarget),
                new NicCase("a NIC in another region", nics(nic(nicId("far"), true)),
                        "InvalidResourceReference", nicTarget),
                new NicCase("a NIC of another subscription", nics(nic(networkPath(newSubscription(), "nics",
                        "networkInterfaces", "free-a"), true)), "InvalidResourceReference", nicTarget),
                new NicCase("a NIC attached to another VM", nics(nic(nicId("held"), true)), "NicInUse", nicTarget),
                new NicCase("no networkProfile", null, "InvalidParameter", "networkProfile"),
                new NicCase("a networkProfile without NICs", nics(), "InvalidParameter", "networkProfile"),
                new NicCase("two primary NICs", nics(nic(nicId("free-a"), true), nic(nicId("free-b"), true)),
                        "InvalidParameter", "properties.networkProfile"),
                new NicCase("two NICs and no primary", nics(nic(nicId("free-a"), null), nic(nicId("free-b"), false)),
                        "NetworkInterfaceMustHavePrimaryPropertySet", "properties.networkProfile"),
                new NicCase("one NIC named twice", nics(nic(nicId("free-a"), true), nic(nicId("free-a"), false)),
                        "InvalidParameter", "properties.networkProfile.networkInterfaces[1].id"),
                new NicCase("a free NIC beside one that does not exist",
                        nics(nic(nicId("free-a"), true), nic(nicId("missing"), false)), "InvalidResourceReference",
                        "properties.networkProfile.networkInterfaces[1].id"),
                new NicCase("a NIC id of another resource type", nics(nic(networkPath(NIC_SUB, "nics",
                        "publicIPAddresses", "free-a"), true)), "LinkedInvalidPropertyId", nicTarget),
                new NicCase("configurations without networkApiVersion", "{\"networkInterfaceConfigurations\": [{"
                        + "\"name\": \"c\", \"properties\": {\"ipConfigurations\": [{\"name\": \"i\", \"properties\": "
                        + "{\"subnet\": {\"id\": \"" + networkPath(NIC_SUB, "nics", "virtualNetworks", "vnet-westeurope")
                        + "/subnets/default\"}}}]}}]}", "InvalidParameter", "properties.networkProfile.networkApiVersion"))
                .map(Arguments::of);
    }

    /** NICs free-a and free-b (westeurope), far (eastus), held (attached to the VM {@link #HOLDER}). */
    private synchronized void nicFixtures() {
        if (nicsMade) {
            return;
        }
        createNic(NIC_SUB, "nics", "westeurope", "free-a");
        createNic(NIC_SUB, "nics", "westeurope", "free-b");
        createNic(NIC_SUB, "nics", "eastus", "far");
        String held = createNic(NIC_SUB, "nics", "westeurope", "held");
        HttpResponse<String> holder = put(HOLDER, vmBody("Standard_B1s").replace(NIC_PLACEHOLDER, held));
        assertThat(holder.statusCode()).as(holder.body()).isEqualTo(201);
        nicsMade = true;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("nicCases")
    void aVmNamingBadNetworkInterfacesIsRefusedAndNoNicChanges(NicCase c) {
        nicFixtures();
        ObjectNode body = (ObjectNode) JSON.readTree(GOOD);
        ObjectNode props = (ObjectNode) body.path("properties");
        if (c.networkProfile() == null) {
            props.remove("networkProfile");
        } else {
            props.set("networkProfile", JSON.readTree(c.networkProfile()));
        }
        List<String> before = Stream.of("free-a", "free-b", "far", "held").map(n -> get(nicId(n)).body()).toList();
        String path = vmPath(NIC_SUB, "rg", "nicless" + (++counter));

        HttpResponse<String> response = put(path, JSON.writeValueAsString(body));

        assertThat(response.statusCode()).as(response.body()).isEqualTo(400);
        JsonNode error = json(response).path("error");
        assertThat(error.path("code").stringValue()).isEqualTo(c.code());
        assertThat(error.path("target").stringValue()).isEqualTo(c.target());
        assertThat(error.path("message").stringValue()).isNotBlank();
        String key = path.toLowerCase(Locale.ROOT);
        assertThat(count("select count(*) from virtual_machines where resource_key = ?", key)).isZero();
        assertThat(count("select count(*) from outbox where record_key = ?", key)).isZero();
        assertThat(count("select count(*) from vm_network_interfaces where vm_key = ?", key)).isZero();
        assertThat(Stream.of("free-a", "free-b", "far", "held").map(n -> get(nicId(n)).body()).toList())
                .as("the NICs, their ETags included, are untouched").isEqualTo(before);
        assertThat(json(get(nicId("held"))).path("properties").path("virtualMachine").path("id").stringValue())
                .isEqualTo(HOLDER);
    }
}
