package dev.cirrus.contracts.events;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.Reader;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;
import tools.jackson.databind.json.JsonMapper;

/** The event catalogue in docs/events/asyncapi.yaml documents every event type, with an example that parses. */
class EventCatalogueTest {

    static final JsonMapper json = JsonMapper.builder().build();

    @Test
    @SuppressWarnings("unchecked")
    void everyEventTypeHasAnExampleInTheCatalogueThatIsAValidCloudEvent() throws Exception {
        Map<String, Object> doc;
        try (Reader r = Files.newBufferedReader(Path.of("..", "docs", "events", "asyncapi.yaml"))) {
            doc = new Yaml().load(r);
        }
        var messages = (Map<String, Map<String, Object>>) ((Map<String, Object>) doc.get("components")).get("messages");
        List<String> documented = new ArrayList<>();
        for (var message : messages.values()) {
            var examples = (List<Map<String, Object>>) message.get("examples");
            assertThat(examples).as("examples of %s", message.get("name")).isNotEmpty();
            for (var example : examples) {
                CloudEvent event = json.convertValue(example.get("payload"), CloudEvent.class);
                assertThat(event.specversion()).isEqualTo("1.0");
                assertThat(event.type()).isEqualTo(message.get("name"));
                assertThat(event.source()).startsWith("/cirrus/");
                if (event.type().startsWith("Microsoft.Compute.VirtualMachine")) {
                    VmLifecycleData data = json.treeToValue(event.data(), VmLifecycleData.class);
                    assertThat(data.vmId()).isNotBlank();
                    assertThat(event.subject()).endsWith("/virtualMachines/" + data.name());
                }
                if (event.type().startsWith("Microsoft.Batch.PoolNode")) {
                    VmLifecycleData data = json.treeToValue(event.data(), VmLifecycleData.class);
                    assertThat(data.vmSize()).isNotBlank();
                    assertThat(event.subject()).contains("/pools/").endsWith("/nodes/" + data.name());
                }
                if (event.type().startsWith("Cirrus.Placement.")) {
                    assertThat(json.treeToValue(event.data(), PlacementData.class).host()).isNotBlank();
                }
                if (event.type().startsWith("Microsoft.Resources.ResourceGroup")) {
                    assertThat(json.treeToValue(event.data(), ResourceGroupData.class).name()).isNotBlank();
                }
                if (event.type().startsWith("Microsoft.ContainerInstance.ContainerGroup")) {
                    ContainerGroupData data = json.treeToValue(event.data(), ContainerGroupData.class);
                    assertThat(data.cpu()).isPositive();
                    assertThat(data.memoryInGB()).isPositive();
                    assertThat(event.subject()).endsWith("/containerGroups/" + data.name());
                }
                if (event.type().startsWith("Microsoft.Web.ServerFarm")) {
                    AppServicePlanData data = json.treeToValue(event.data(), AppServicePlanData.class);
                    assertThat(data.skuName()).isNotBlank();
                    assertThat(event.subject()).endsWith("/serverfarms/" + data.name());
                }
                if (event.type().equals(EventTypes.WEB_APP_SLOTS_SWAPPED)) {
                    WebAppSwapData data = json.treeToValue(event.data(), WebAppSwapData.class);
                    assertThat(data.sourceSlot()).isNotEqualTo(data.targetSlot());
                    assertThat(event.subject()).endsWith("/sites/" + data.name());
                } else if (event.type().startsWith("Microsoft.Web.WebAppSlot")) {
                    WebAppData data = json.treeToValue(event.data(), WebAppData.class);
                    assertThat(data.name()).contains("/");
                    assertThat(event.subject()).endsWith("/sites/" + data.name().replace("/", "/slots/"));
                } else if (event.type().startsWith("Microsoft.Web.WebApp")) {
                    WebAppData data = json.treeToValue(event.data(), WebAppData.class);
                    assertThat(data.kind()).doesNotContain("functionapp");
                    assertThat(event.subject()).endsWith("/sites/" + data.name());
                }
                if (event.type().equals(EventTypes.FUNCTION_EXECUTED)) {
                    FunctionExecutionData data = json.treeToValue(event.data(), FunctionExecutionData.class);
                    assertThat(data.durationMs()).isNotNegative();
                    assertThat(data.memoryMb()).isPositive();
                    assertThat(event.subject()).endsWith("/sites/" + data.name());
                }
                if (event.type().startsWith("Microsoft.Web.FunctionApp")) {
                    FunctionAppData data = json.treeToValue(event.data(), FunctionAppData.class);
                    assertThat(data.kind()).contains("functionapp");
                    assertThat(event.subject()).endsWith("/sites/" + data.name());
                }
                if (event.type().equals(EventTypes.WORKFLOW_RUN_COMPLETED)) {
                    WorkflowRunData data = json.treeToValue(event.data(), WorkflowRunData.class);
                    assertThat(data.runId()).isNotBlank();
                    assertThat(event.subject()).endsWith("/workflows/" + data.name());
                }
                if (event.type().startsWith("Microsoft.Compute.ScaleSet")) {
                    ScaleSetData data = json.treeToValue(event.data(), ScaleSetData.class);
                    assertThat(event.subject()).endsWith("/virtualMachineScaleSets/" + data.name());
                    assertThat(data.orchestrationMode()).isIn("Uniform", "Flexible");
                }
                if (event.type().startsWith("Microsoft.Network.Resource")) {
                    NetworkResourceData data = json.treeToValue(event.data(), NetworkResourceData.class);
                    assertThat(event.subject()).endsWith(data.resourceType().substring(
                            data.resourceType().indexOf('/')) + "/" + data.name());
                    assertThat(data.location() == null).isEqualTo(event.type().equals(
                            EventTypes.NETWORK_RESOURCE_DELETED));
                }
                if (event.type().equals(EventTypes.BUDGET_THRESHOLD_CROSSED)) {
                    BudgetAlertData data = json.treeToValue(event.data(), BudgetAlertData.class);
                    assertThat(data.spend()).isGreaterThan(data.amount().multiply(data.threshold()).movePointLeft(2));
                    assertThat(event.subject()).endsWith("/budgets/" + data.budgetName());
                }
                documented.add(event.type());
            }
        }
        assertThat(documented).containsAll(declaredTypes());
        assertThat(declaredTypes()).containsAll(documented);
    }

    @Test
    void theRecordKeyIsTheLowerCasedResourceId() {
        CloudEvent e = CloudEvent.of("t", EventTypes.VM_CREATED, "/subscriptions/S/resourceGroups/RG/x", java.time.Instant.EPOCH,
                json.createObjectNode());
        assertThat(e.key()).isEqualTo("/subscriptions/s/resourcegroups/rg/x");
    }

    static List<String> declaredTypes() throws IllegalAccessException {
        List<String> types = new ArrayList<>();
        for (Field f : EventTypes.class.getDeclaredFields()) {
            if (Modifier.isStatic(f.getModifiers()) && f.getType() == String.class) {
                types.add((String) f.get(null));
            }
        }
        return types;
    }
}
