package dev.cirrus.computevm.batch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import dev.cirrus.computevm.TopicReader;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** Pools of a fixed size: nodes placed by the real placement engine, resized, rebooted, removed. */
class BatchPoolTest extends BatchTestSupport {

    private static List<JsonNode> nodes(JsonNode list) {
        return list.path("value").valueStream().toList();
    }

    @Test
    void aPoolGetsItsNodesPlacedAcrossFaultDomainsAndTheyBecomeIdle() {
        Account a = newAccount();
        addPool(a, "render", 3, "\"taskSlotsPerNode\": 2");
        JsonNode resizing = pool(a, "render");
        assertThat(resizing.path("allocationState").stringValue()).isIn("resizing", "steady");
        assertThat(resizing.path("targetDedicatedNodes").intValue()).isEqualTo(3);
        assertThat(resizing.path("taskSlotsPerNode").intValue()).isEqualTo(2);

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            JsonNode pool = pool(a, "render");
            assertThat(pool.path("allocationState").stringValue()).isEqualTo("steady");
            assertThat(pool.path("currentDedicatedNodes").intValue()).isEqualTo(3);
        });
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(nodes(batchJson(a, "/pools/render/nodes")))
                .extracting(n -> n.path("state").stringValue()).containsOnly("idle"));
        List<JsonNode> nodes = nodes(batchJson(a, "/pools/render/nodes"));
        Set<Integer> faultDomains = new HashSet<>();
        nodes.forEach(n -> faultDomains.add(n.path("platformFaultDomain").intValue()));
        assertThat(faultDomains).as("three nodes on three racks").hasSize(3);
        assertThat(nodes).allSatisfy(n -> {
            assertThat(n.path("id").stringValue()).startsWith("tvmps_");
            assertThat(n.path("vmSize").stringValue()).isEqualTo("Standard_D2s_v5");
            assertThat(n.path("isDedicated").booleanValue()).isTrue();
            assertThat(n.path("schedulingState").stringValue()).isEqualTo("enabled");
        });
        String nodeId = nodes.get(0).path("id").stringValue();
        assertThat(count("select count(*) from batch_nodes where node_id = ? and host is not null", nodeId)).isEqualTo(1);

        // each node is a VM to the platform: started and (on removal) deleted, with its size, for billing
        TopicReader topic = vmTopic();
        String nodeKey = (a.path() + "/pools/render/nodes/" + nodeId).toLowerCase();
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(topic.events(nodeKey))
                .extracting(TopicReader.Event::type).contains("Microsoft.Batch.PoolNodeStarted"));
        JsonNode started = topic.events(nodeKey).get(0).data();
        assertThat(started.path("vmSize").stringValue()).isEqualTo("Standard_D2s_v5");
        assertThat(started.path("vcpus").intValue()).isEqualTo(2);
        assertThat(started.path("powerState").stringValue()).isEqualTo("running");

        HttpResponse<String> removed = batch(a, "POST", "/pools/render/removenodes",
                "{\"nodeList\": [\"" + nodeId + "\"], \"nodeDeallocationOption\": \"requeue\"}");
        assertThat(removed.statusCode()).as(removed.body()).isEqualTo(202);
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            JsonNode pool = pool(a, "render");
            assertThat(pool.path("allocationState").stringValue()).isEqualTo("steady");
            assertThat(pool.path("currentDedicatedNodes").intValue()).isEqualTo(2);
            assertThat(pool.path("targetDedicatedNodes").intValue()).isEqualTo(2);
        });
        assertThat(batch(a, "GET", "/pools/render/nodes/" + nodeId, null).statusCode()).isEqualTo(404);
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(topic.events(nodeKey))
                .extracting(TopicReader.Event::type).contains("Microsoft.Batch.PoolNodeDeleted"));

        HttpResponse<String> deleted = batch(a, "DELETE", "/pools/render", null);
        assertThat(deleted.statusCode()).isEqualTo(202);
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
                assertThat(batch(a, "GET", "/pools/render", null).statusCode()).isEqualTo(404));
        assertThat(count("select count(*) from batch_nodes where account_key = ?", a.path().toLowerCase())).isZero();
    }

    @Test
    void aResizeGrowsAndShrinksThePoolAndStopResizeKeepsWhatItHas() {
        Account a = newAccount();
        addPool(a, "grow", 1, null);
        await().atMost(Duration.ofSeconds(20)).until(() -> pool(a, "grow").path("allocationState").stringValue()
                .equals("steady"));
        HttpResponse<String> resized = batch(a, "POST", "/pools/grow/resize", "{\"targetDedicatedNodes\": 3}");
        assertThat(resized.statusCode()).as(resized.body()).isEqualTo(202);
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
                assertThat(pool(a, "grow").path("currentDedicatedNodes").intValue()).isEqualTo(3));
        await().atMost(Duration.ofSeconds(20)).until(() -> pool(a, "grow").path("allocationState").stringValue()
                .equals("steady"));

        assertThat(batch(a, "POST", "/pools/grow/resize",
                "{\"targetDedicatedNodes\": 1, \"nodeDeallocationOption\": \"taskcompletion\"}").statusCode()).isEqualTo(202);
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            JsonNode pool = pool(a, "grow");
            assertThat(pool.path("allocationState").stringValue()).isEqualTo("steady");
            assertThat(pool.path("currentDedicatedNodes").intValue()).isEqualTo(1);
        });
        assertThat(nodes(batchJson(a, "/pools/grow/nodes"))).hasSize(1);

        HttpResponse<String> notResizing = batch(a, "POST", "/pools/grow/stopresize", null);
        assertThat(notResizing.statusCode()).isEqualTo(409);
        assertThat(json(notResizing).path("code").stringValue()).isEqualTo("PoolNotResizing");
    }

    @Test
    void aPoolThatDoesNotFitGetsAResizeErrorAndStaysWithTheNodesItGot() {
        String path = accountPath(sub, "batch-rg", "small" + Long.toHexString(System.nanoTime()).substring(6));
        assertThat(put(path, "{\"location\":\"northeurope\"}").statusCode()).isEqualTo(201);
        String key = json(send("POST", withApi(path + "/listKeys"), null)).path("primary").stringValue();
        Account a = new Account(path.substring(path.lastIndexOf('/') + 1), "northeurope", path, key);
        addPool(a, "toobig", 3, null);
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            JsonNode pool = pool(a, "toobig");
            assertThat(pool.path("allocationState").stringValue()).isEqualTo("steady");
            assertThat(pool.path("resizeErrors").path(0).path("code").asString()).isEqualTo("AllocationFailed");
            assertThat(pool.path("currentDedicatedNodes").intValue()).isEqualTo(2);
        });
        assertThat(batch(a, "DELETE", "/pools/toobig", null).statusCode()).isEqualTo(202);
        await().atMost(Duration.ofSeconds(20)).until(() -> batch(a, "GET", "/pools/toobig", null).statusCode() == 404);
    }

    @Test
    void aRebootedNodeComesBackIdleAndAStartTaskRunsBeforeItTakesTasks() {
        Account a = newAccount();
        addPool(a, "boot", 1, """
                "startTask": {"commandLine": "echo ready > $AZ_BATCH_NODE_SHARED_DIR/ready.txt", "waitForSuccess": true}
                """);
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(nodes(batchJson(a, "/pools/boot/nodes")))
                .extracting(n -> n.path("state").stringValue()).containsExactly("idle"));
        JsonNode node = nodes(batchJson(a, "/pools/boot/nodes")).get(0);
        assertThat(node.path("startTaskInfo").path("exitCode").intValue()).isZero();
        assertThat(node.path("startTaskInfo").path("result").stringValue()).isEqualTo("success");
        String nodeId = node.path("id").stringValue();
        HttpResponse<String> ready = batch(a, "GET", "/pools/boot/nodes/" + nodeId + "/files/shared/ready.txt", null);
        assertThat(ready.statusCode()).isEqualTo(200);
        assertThat(ready.body()).isEqualTo("ready\n");

        assertThat(batch(a, "POST", "/pools/boot/nodes/" + nodeId + "/reboot", "{}").statusCode()).isEqualTo(202);
        assertThat(batchJson(a, "/pools/boot/nodes/" + nodeId).path("state").stringValue())
                .isIn("rebooting", "waitingforstarttask", "idle");
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
                assertThat(batchJson(a, "/pools/boot/nodes/" + nodeId).path("state").stringValue()).isEqualTo("idle"));

        HttpResponse<String> failing = batch(a, "POST", "/pools", """
                {"id": "badstart", "vmSize": "Standard_D2s_v5", "targetDedicatedNodes": 1,
                 "startTask": {"commandLine": "exit 3", "waitForSuccess": true, "maxTaskRetryCount": 1}}""");
        assertThat(failing.statusCode()).isEqualTo(201);
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            JsonNode n = nodes(batchJson(a, "/pools/badstart/nodes")).get(0);
            assertThat(n.path("state").stringValue()).isEqualTo("starttaskfailed");
            assertThat(n.path("startTaskInfo").path("exitCode").intValue()).isEqualTo(3);
            assertThat(n.path("startTaskInfo").path("retryCount").intValue()).isEqualTo(1);
        });
    }

    @Test
    void listsFilterOnStateAndPageWithNextLinks() {
        Account a = newAccount();
        for (String id : List.of("p1", "p2", "p3")) {
            addPool(a, id, 0, null);
        }
        JsonNode first = batchJson(a, "/pools?maxresults=2");
        assertThat(first.path("value").findValuesAsString("id")).containsExactly("p1", "p2");
        String next = first.path("odata.nextLink").stringValue();
        assertThat(next).contains("$skiptoken=p2");
        String nextPath = next.substring(next.indexOf(a.prefix()) + a.prefix().length());
        JsonNode second = batchJson(a, nextPath);
        assertThat(second.path("value").findValuesAsString("id")).containsExactly("p3");
        assertThat(second.has("odata.nextLink")).isFalse();

        assertThat(batchJson(a, "/pools?$filter=state%20eq%20'active'").path("value").size()).isEqualTo(3);
        assertThat(batchJson(a, "/pools?$filter=state%20eq%20'deleting'").path("value").size()).isZero();
        assertThat(batchJson(a, "/pools?$select=id,state").path("value").get(0).size()).isEqualTo(2);
    }
}
