package dev.cirrus.gateway.authorization;

import static dev.cirrus.gateway.support.Gateway.errorCode;
import static dev.cirrus.gateway.support.Gateway.errorMessage;
import static dev.cirrus.gateway.support.Gateway.json;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.util.UUID;
import java.util.stream.Stream;

import dev.cirrus.gateway.identity.GatewayData;
import dev.cirrus.gateway.support.FakeService;
import dev.cirrus.gateway.support.Gateway;
import dev.cirrus.gateway.support.TestDatabase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;

/**
 * RBAC as a user meets it: principals with roles at a subscription, a resource group or a resource, what each may
 * read and write through the gateway (the gateway's own resources and routed calls), and Azure's 403.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class AuthorizationTest {

    static final String V = "?api-version=2022-04-01";
    /** A version Azure serves for resource groups (2022-04-01 is Microsoft.Authorization's, not theirs). */
    static final String RG_V = "?api-version=2021-04-01";
    /** an api-version of Microsoft.Compute/virtualMachines (the gateway checks each type's versions) */
    static final String VM_V = "?api-version=2024-07-01";
    static final String READER = "acdd72a7-3385-48ef-bd42-f606fba81ae7";
    static final String CONTRIBUTOR = "b24988ac-6180-42a0-ab88-20f7382dd24c";
    static final String VM_CONTRIBUTOR = "9980e02c-c2be-4d73-94e8-173b1dc7cf3c";

    static final FakeService computeVm = FakeService.start();

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        TestDatabase.withoutKafka(registry, "gateway_authz");
        for (String module : new String[] {"compute-vm", "compute-container", "app-service", "serverless", "billing"}) {
            registry.add("cirrus.gateway.services." + module, () -> computeVm.url().toString());
        }
    }

    @AfterAll
    static void stop() {
        computeVm.close();
    }

    @LocalServerPort
    int port;

    @Autowired
    GatewayData data;

    Gateway admin;
    String sub;

    @BeforeEach
    void aSubscriptionWithAGroup() {
        admin = Gateway.admin(port, data);
        sub = admin.newSubscription();
        assertThat(admin.put(group("apps") + RG_V, "{\"location\":\"westus\"}").statusCode()).isEqualTo(201);
        assertThat(admin.put(group("other") + RG_V, "{\"location\":\"westus\"}").statusCode()).isEqualTo(201);
        computeVm.reset();
    }

    String group(String name) {
        return "/subscriptions/" + sub + "/resourceGroups/" + name;
    }

    String vm(String groupName, String name) {
        return group(groupName) + "/providers/Microsoft.Compute/virtualMachines/" + name;
    }

    /** A new service principal, signed in. */
    Principal principal() {
        HttpResponse<String> created = admin.send("POST", "/cirrus/servicePrincipals", "{\"displayName\":\"p\"}");
        assertThat(created.statusCode()).isEqualTo(201);
        JsonNode p = json(created);
        return new Principal(p.path("objectId").asString(), p.path("clientId").asString(),
                Gateway.as(port, p.path("tenantId").asString(), p.path("clientId").asString(),
                        p.path("clientSecret").asString()));
    }

    record Principal(String objectId, String clientId, Gateway client) {
    }

    HttpResponse<String> assign(String scope, String role, Principal to) {
        return admin.put(scope + "/providers/Microsoft.Authorization/roleAssignments/" + UUID.randomUUID() + V,
                "{\"properties\":{\"roleDefinitionId\":\"/subscriptions/" + sub
                        + "/providers/Microsoft.Authorization/roleDefinitions/" + role + "\",\"principalId\":\""
                        + to.objectId() + "\",\"principalType\":\"ServicePrincipal\"}}");
    }

    @Test
    void aReaderCanReadAndCannotWrite() {
        Principal reader = principal();
        assertThat(assign("/subscriptions/" + sub, READER, reader).statusCode()).isEqualTo(201);

        assertThat(reader.client().get(group("apps") + RG_V).statusCode()).isEqualTo(200);
        assertThat(reader.client().get("/subscriptions/" + sub + "/resourcegroups" + RG_V).statusCode()).isEqualTo(200);
        assertThat(reader.client().get(vm("apps", "vm1") + VM_V).statusCode()).isEqualTo(200);
        assertThat(computeVm.received()).hasSize(1);

        HttpResponse<String> write = reader.client().put(group("apps") + RG_V, "{\"location\":\"westus\"}");
        assertThat(write.statusCode()).isEqualTo(403);
        assertThat(errorCode(write)).isEqualTo("AuthorizationFailed");
        assertThat(errorMessage(write)).isEqualTo("The client '" + reader.clientId() + "' with object id '"
                + reader.objectId() + "' does not have authorization to perform action "
                + "'Microsoft.Resources/subscriptions/resourceGroups/write' over scope '/subscriptions/" + sub
                + "/resourceGroups/apps' or the scope is invalid. If access was recently granted, please refresh "
                + "your credentials.");

        HttpResponse<String> createVm = reader.client().put(vm("apps", "vm2") + VM_V, "{\"location\":\"westus\"}");
        assertThat(createVm.statusCode()).isEqualTo(403);
        assertThat(errorMessage(createVm)).contains("'Microsoft.Compute/virtualMachines/write'")
                .contains("over scope '" + vm("apps", "vm2") + "'");
        assertThat(reader.client().send("DELETE", group("other") + RG_V, null).statusCode()).isEqualTo(403);
        assertThat(reader.client().send("POST", vm("apps", "vm1") + "/start" + VM_V, null).statusCode()).isEqualTo(403);
        assertThat(computeVm.received()).hasSize(1);
    }

    @Test
    void aPrincipalOfAnotherSubscriptionSeesNothing() {
        Principal stranger = principal();
        String own = admin.newSubscription();
        assertThat(assign("/subscriptions/" + own, "8e3af657-a8ff-443c-a75c-2fe8c4bcb635", stranger).statusCode())
                .isEqualTo(201);
        assertThat(stranger.client().put("/subscriptions/" + own + "/resourcegroups/mine" + RG_V,
                "{\"location\":\"westus\"}").statusCode()).isEqualTo(201);

        for (String path : new String[] {group("apps"), group("does-not-exist"), "/subscriptions/" + sub
                + "/resourcegroups", vm("apps", "vm1"), vm("does-not-exist", "vm1"), "/subscriptions/" + sub
                + "/providers/Microsoft.Compute/virtualMachines", "/subscriptions/" + sub
                + "/providers/Microsoft.Authorization/roleAssignments"}) {
            HttpResponse<String> response = stranger.client().get(path + (path.contains("Compute") ? VM_V : path.contains("Authorization") ? V : RG_V));
            assertThat(response.statusCode()).as(path).isEqualTo(403);
            assertThat(errorCode(response)).as(path).isEqualTo("AuthorizationFailed");
        }
        assertThat(computeVm.received()).isEmpty();
    }

    @Test
    void aRoleAtAResourceGroupIsInheritedByItsResourcesAndNotByOtherGroups() {
        Principal vmAdmin = principal();
        assertThat(assign(group("apps"), VM_CONTRIBUTOR, vmAdmin).statusCode()).isEqualTo(201);

        assertThat(vmAdmin.client().put(vm("apps", "vm1") + VM_V, "{}").statusCode()).isEqualTo(200);
        assertThat(vmAdmin.client().send("POST", vm("apps", "vm1") + "/start" + VM_V, null).statusCode()).isEqualTo(200);
        assertThat(vmAdmin.client().get(group("apps") + RG_V).statusCode()).isEqualTo(200);
        assertThat(vmAdmin.client().put(vm("other", "vm1") + VM_V, "{}").statusCode()).isEqualTo(403);
        assertThat(vmAdmin.client().send("DELETE", group("apps") + RG_V, null).statusCode()).isEqualTo(403);
        assertThat(computeVm.received()).hasSize(2);
    }

    @Test
    void aPrincipalWithARoleAtAGroupListsThatGroupOnly() {
        Principal groupReader = principal();
        assertThat(assign(group("apps"), READER, groupReader).statusCode()).isEqualTo(201);

        HttpResponse<String> list = groupReader.client().get("/subscriptions/" + sub + "/resourcegroups" + RG_V);

        assertThat(list.statusCode()).isEqualTo(200);
        assertThat(json(list).path("value").valueStream().map(g -> g.path("name").asString()).toList())
                .containsExactly("apps");
        assertThat(json(admin.get("/subscriptions/" + sub + "/resourcegroups" + RG_V)).path("value").size())
                .as("a role at the subscription or root lists them all").isEqualTo(2);
        HttpResponse<String> other = groupReader.client().get("/subscriptions/" + admin.newSubscription()
                + "/resourcegroups" + RG_V);
        assertThat(other.statusCode()).as("no role anywhere in that subscription").isEqualTo(403);
    }

    @Test
    void aRoleAtAResourceCoversThatResourceOnly() {
        Principal operator = principal();
        HttpResponse<String> assigned = assign(vm("apps", "vm1"), VM_CONTRIBUTOR, operator);
        assertThat(assigned.statusCode()).isEqualTo(201);
        assertThat(json(assigned).path("properties").path("scope").asString()).isEqualTo(vm("apps", "vm1"));

        assertThat(operator.client().send("POST", vm("apps", "vm1") + "/start" + VM_V, null).statusCode()).isEqualTo(200);
        HttpResponse<String> other = operator.client().send("POST", vm("apps", "vm2") + "/start" + VM_V, null);
        assertThat(other.statusCode()).isEqualTo(403);
        assertThat(errorMessage(other)).contains("'Microsoft.Compute/virtualMachines/start/action'")
                .contains("over scope '" + vm("apps", "vm2") + "'");
    }

    @Test
    void aContributorManagesResourcesButNotAccess() {
        Principal contributor = principal();
        assertThat(assign("/subscriptions/" + sub, CONTRIBUTOR, contributor).statusCode()).isEqualTo(201);

        assertThat(contributor.client().put(group("new") + RG_V, "{\"location\":\"westus\"}").statusCode()).isEqualTo(201);
        HttpResponse<String> grant = contributor.client().put("/subscriptions/" + sub
                + "/providers/Microsoft.Authorization/roleAssignments/" + UUID.randomUUID() + V, "{}");
        assertThat(grant.statusCode()).isEqualTo(403);
        assertThat(errorMessage(grant)).contains("'Microsoft.Authorization/roleAssignments/write'");
        assertThat(contributor.client().get("/subscriptions/" + sub
                + "/providers/Microsoft.Authorization/roleAssignments" + V).statusCode()).isEqualTo(200);
    }

    @Test
    void roleAssignmentsCanBeReadListedAndDeletedAtEachScope() {
        Principal p = principal();
        for (String scope : new String[] {"/subscriptions/" + sub, group("apps"), vm("apps", "vm1")}) {
            String name = UUID.randomUUID().toString();
            String id = scope + "/providers/Microsoft.Authorization/roleAssignments/" + name;
            String body = "{\"properties\":{\"roleDefinitionId\":\"/subscriptions/" + sub
                    + "/providers/Microsoft.Authorization/roleDefinitions/" + READER + "\",\"principalId\":\""
                    + p.objectId() + "\"}}";
            HttpResponse<String> created = admin.put(id + V, body);
            assertThat(created.statusCode()).as(scope).isEqualTo(201);
            assertThat(json(created).path("id").asString()).isEqualTo(id);
            assertThat(json(created).path("name").asString()).isEqualTo(name);
            assertThat(json(created).path("type").asString()).isEqualTo("Microsoft.Authorization/roleAssignments");
            assertThat(json(created).path("properties").path("principalId").asString()).isEqualTo(p.objectId());
            assertThat(json(created).path("properties").path("roleDefinitionId").asString())
                    .endsWith("/providers/Microsoft.Authorization/roleDefinitions/" + READER);
            assertThat(admin.put(id + V, body).statusCode()).as("put again").isEqualTo(200);

            assertThat(json(admin.get(id + V)).path("name").asString()).isEqualTo(name);
            HttpResponse<String> atScope = admin.get(scope + "/providers/Microsoft.Authorization/roleAssignments"
                    + V + "&$filter=principalId%20eq%20'" + p.objectId() + "'");
            assertThat(atScope.statusCode()).isEqualTo(200);
            assertThat(json(atScope).path("value").findValuesAsString("name")).contains(name);

            assertThat(admin.send("DELETE", id + V, null).statusCode()).isEqualTo(200);
            assertThat(admin.send("DELETE", id + V, null).statusCode()).isEqualTo(204);
            assertThat(errorCode(admin.get(id + V))).isEqualTo("RoleAssignmentNotFound");
        }
    }

    @Test
    void theBuiltInRoleDefinitionsAreListed() {
        HttpResponse<String> list = admin.get("/subscriptions/" + sub
                + "/providers/Microsoft.Authorization/roleDefinitions" + V);

        assertThat(list.statusCode()).isEqualTo(200);
        assertThat(json(list).path("value").findValuesAsString("roleName"))
                .containsExactly("Owner", "Contributor", "Reader", "Virtual Machine Contributor");
        HttpResponse<String> reader = admin.get("/subscriptions/" + sub
                + "/providers/Microsoft.Authorization/roleDefinitions/" + READER + V);
        assertThat(json(reader).path("properties").path("permissions").get(0).path("actions").get(0).asString())
                .isEqualTo("*/read");
    }

    @Test
    void onlyARoleAtTheRootMayCreateSubscriptionsAndPrincipals() {
        Principal owner = principal();
        assertThat(assign("/subscriptions/" + sub, "8e3af657-a8ff-443c-a75c-2fe8c4bcb635", owner).statusCode())
                .isEqualTo(201);

        HttpResponse<String> refused = owner.client().put("/cirrus/subscriptions/" + UUID.randomUUID(), "{}");
        assertThat(refused.statusCode()).isEqualTo(403);
        assertThat(errorMessage(refused)).contains("over scope '/'");
        assertThat(owner.client().send("POST", "/cirrus/servicePrincipals", "{}").statusCode()).isEqualTo(403);
    }

    static Stream<Arguments> badAssignments() {
        String reader = "/providers/Microsoft.Authorization/roleDefinitions/" + READER;
        return Stream.of(
                Arguments.of("a name that is not a GUID", "not-a-guid", reader, "principal", 400, "InvalidRoleAssignmentId"),
                Arguments.of("a role that does not exist", null,
                        "/providers/Microsoft.Authorization/roleDefinitions/00000000-0000-0000-0000-000000000009",
                        "principal", 400, "RoleDefinitionDoesNotExist"),
                Arguments.of("no role", null, "", "principal", 400, "InvalidRoleDefinitionId"),
                Arguments.of("a principal that does not exist", null, reader, "00000000-0000-0000-0000-000000000009",
                        400, "PrincipalNotFound"),
                Arguments.of("the same role twice", null, reader, "duplicate", 409, "RoleAssignmentExists"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badAssignments")
    void aRoleAssignmentThatCannotBeMadeIsRefused(String description, String name, String role, String principal,
                                                  int status, String code) {
        Principal p = principal();
        String principalId = principal.startsWith("0") ? principal : p.objectId();
        String body = "{\"properties\":{\"roleDefinitionId\":\"" + role + "\",\"principalId\":\"" + principalId + "\"}}";
        String base = "/subscriptions/" + sub + "/providers/Microsoft.Authorization/roleAssignments/";
        if (principal.equals("duplicate")) {
            assertThat(admin.put(base + UUID.randomUUID() + V, body).statusCode()).isEqualTo(201);
        }

        HttpResponse<String> response = admin.put(base + (name == null ? UUID.randomUUID() : name) + V, body);

        assertThat(response.statusCode()).isEqualTo(status);
        assertThat(errorCode(response)).isEqualTo(code);
    }

    @Test
    void aSubscriptionThatDoesNotExistIsSubscriptionNotFound() {
        HttpResponse<String> response = admin.get("/subscriptions/" + UUID.randomUUID() + "/resourcegroups" + RG_V);

        assertThat(response.statusCode()).isEqualTo(404);
        assertThat(errorCode(response)).isEqualTo("SubscriptionNotFound");
    }
}
