package dev.cirrus.computecontainer.group;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import com.github.dockerjava.api.command.InspectContainerResponse;
import dev.cirrus.computecontainer.ContainerGroupTestSupport;
import dev.cirrus.computecontainer.TestDocker;
import dev.cirrus.computecontainer.TopicReader;
import dev.cirrus.computecontainer.runtime.DockerEngine;
import dev.cirrus.contracts.events.EventTypes;
import dev.cirrus.contracts.placement.v1.HostSelector;
import dev.cirrus.contracts.placement.v1.RackRef;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.JsonNode;

/**
 * Container groups on a real Docker engine (skipped, with the reason printed, when none answers): the test image is
 * a busybox built locally ({@link TestDocker}); traffic goes to the ports published on 127.0.0.1 only.
 */
class ContainerGroupRuntimeTest extends ContainerGroupTestSupport {

    @Autowired
    GroupMonitor monitor;

    @BeforeEach
    void engine() {
        TestDocker.requireEngine();
    }

    static String httpdGroup(String label) {
        return """
                {"location": "westeurope",
                 "properties": {"osType": "Linux", "restartPolicy": "Always",
                   "containers": [
                     {"name": "web", "properties": {"image": "%1$s",
                       "command": ["/bin/sh", "-c", "echo hello from cirrus > /www/index.html; echo started; exec httpd -f -p 8000 -h /www"],
                       "ports": [{"port": 8000}],
                       "resources": {"requests": {"cpu": 0.5, "memoryInGB": 0.25},
                                     "limits": {"cpu": 0.75, "memoryInGB": 0.5}},
                       "volumeMounts": [{"name": "shared", "mountPath": "/shared"},
                                        {"name": "keys", "mountPath": "/keys", "readOnly": true}]}},
                     {"name": "sidecar", "properties": {"image": "%1$s",
                       "command": ["/bin/sh", "-c", "sleep 1; wget -q -O /shared/seen http://localhost:8000/ ; sleep 3600"],
                       "resources": {"requests": {"cpu": 0.25, "memoryInGB": 0.25}},
                       "volumeMounts": [{"name": "shared", "mountPath": "/shared"}]}}],
                   "ipAddress": {"type": "Public", "ports": [{"port": 8000, "protocol": "TCP"}], "dnsNameLabel": "%2$s"},
                   "volumes": [{"name": "shared", "emptyDir": {}},
                               {"name": "keys", "secret": {"token": "c2VjcmV0LXRva2Vu"}}]}}
                """.formatted(TestDocker.BUSYBOX, label);
    }

    private JsonNode awaitState(String path, String state) {
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
                .until(() -> json(get(path)).path("properties").path("instanceView").path("state").asString()
                        .equals(state));
        return json(get(path));
    }

    private static JsonNode container(JsonNode group, int i) {
        return group.path("properties").path("containers").get(i).path("properties").path("instanceView");
    }

    private static String exec(String containerId, String... command) throws Exception {
        var client = TestDocker.engine().client();
        String exec = client.execCreateCmd(containerId).withCmd(command).withAttachStdout(true).withAttachStderr(true)
                .exec().getId();
        StringBuilder out = new StringBuilder();
        client.execStartCmd(exec).exec(new com.github.dockerjava.api.async.ResultCallback.Adapter<
                com.github.dockerjava.api.model.Frame>() {
            @Override
            public void onNext(com.github.dockerjava.api.model.Frame frame) {
                out.append(new String(frame.getPayload()));
            }
        }).awaitCompletion();
        return out.toString();
    }

    @Test
    void anHttpdGroupRunsItsContainersInOneNetworkNamespaceWithLimitsPortsVolumesAndLogs() throws Exception {
        String sub = newSubscription();
        String path = groupPath(sub, "web", "httpd");
        String label = "httpd-" + OWNER.substring(OWNER.length() - 8);

        HttpResponse<String> created = put(path, httpdGroup(label));
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        JsonNode group = awaitState(path, "Running");

        assertThat(operationStatus(created)).isEqualTo("Succeeded");
        JsonNode ip = group.path("properties").path("ipAddress");
        assertThat(ip.path("ip").asString()).isEqualTo("127.0.0.1");
        assertThat(ip.path("fqdn").asString()).isEqualTo(label + ".westeurope.azurecontainer.localhost");
        int hostPort = ip.path("ports").get(0).path("hostPort").asInt();
        HttpResponse<String> page = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + hostPort + "/")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(page.body()).contains("hello from cirrus");

        JsonNode web = container(group, 0);
        assertThat(web.path("currentState").path("state").asString()).isEqualTo("Running");
        assertThat(web.path("events")).extracting(e -> e.path("name").asString())
                .containsSubsequence("Pulling", "Pulled", "Started");
        Map<String, ContainerInstanceView> views = viewsOf(path);
        InspectContainerResponse inspected = TestDocker.engine().client()
                .inspectContainerCmd(views.get("web").dockerId()).exec();
        // the limits (at most the group's total request, as Azure allows), not the requests: 0.75 vCPU and 0.5 GB
        assertThat(inspected.getHostConfig().getNanoCPUs()).isEqualTo(750_000_000L);
        assertThat(inspected.getHostConfig().getMemory()).isEqualTo(512L * 1024 * 1024);
        assertThat(inspected.getConfig().getLabels()).containsEntry(DockerEngine.OWNER, OWNER);

        // the sidecar reached the web container on localhost and wrote what it saw to the shared emptyDir volume
        String sidecar = views.get("sidecar").dockerId();
        await().atMost(Duration.ofSeconds(20)).until(() -> exec(sidecar, "cat", "/shared/seen")
                .contains("hello from cirrus"));
        assertThat(exec(views.get("web").dockerId(), "cat", "/keys/token")).isEqualTo("secret-token");

        JsonNode logs = json(get(path + "/containers/web/logs?tail=1&timestamps=true&" + API));
        assertThat(logs.path("content").asString()).contains("started").matches("(?s)\\d{4}-\\d{2}-\\d{2}T.*");

        assertThat(delete(path).statusCode()).isEqualTo(200);
        assertThat(containersOf(path)).isEmpty();
    }

    @Test
    void underAlwaysACrashingContainerIsRestartedAndItsRestartsCounted() {
        String path = groupPath(newSubscription(), "crash", "always");
        put(path, groupBody("Always", "[\"/bin/sh\", \"-c\", \"echo crash; exit 3\"]"));
        awaitState(path, "Running");

        await().atMost(Duration.ofSeconds(60)).until(() -> container(json(get(path)), 0).path("restartCount")
                .asInt() >= 2);
        JsonNode view = container(json(get(path)), 0);
        assertThat(view.path("previousState").path("state").asString()).isEqualTo("Terminated");
        assertThat(json(get(path)).path("properties").path("instanceView").path("state").asString())
                .isEqualTo("Running");
        assertThat(delete(path).statusCode()).isEqualTo(200);
    }

    @Test
    void underOnFailureAFailingContainerIsRestartedAndOneThatSucceedsEndsTheGroupSucceeded() {
        String failing = groupPath(newSubscription(), "crash", "onfailure-bad");
        String succeeding = groupPath(newSubscription(), "crash", "onfailure-good");
        put(failing, groupBody("OnFailure", "[\"/bin/sh\", \"-c\", \"exit 1\"]"));
        put(succeeding, groupBody("OnFailure", "[\"/bin/sh\", \"-c\", \"echo done\"]"));

        JsonNode done = awaitState(succeeding, "Succeeded");
        assertThat(container(done, 0).path("currentState").path("state").asString()).isEqualTo("Terminated");
        assertThat(container(done, 0).path("currentState").path("exitCode").asInt()).isZero();
        assertThat(container(done, 0).path("currentState").path("detailStatus").asString()).isEqualTo("Completed");
        await().atMost(Duration.ofSeconds(60)).until(() -> container(json(get(failing)), 0).path("restartCount")
                .asInt() >= 1);
        assertThat(json(get(failing)).path("properties").path("instanceView").path("state").asString())
                .isEqualTo("Running");
        // the finished group keeps its exited container, so its logs can still be read
        assertThat(json(get(succeeding + "/containers/main/logs")).path("content").asString()).contains("done");
        assertThat(delete(failing).statusCode()).isEqualTo(200);
        assertThat(delete(succeeding).statusCode()).isEqualTo(200);
    }

    @Test
    void underNeverAFailingContainerEndsTheGroupFailedAndItsMeterStartsAndStopsOnTheTopic() {
        String path = groupPath(newSubscription(), "crash", "never");
        TopicReader topic = containerTopic();
        put(path, groupBody("Never", "[\"/bin/sh\", \"-c\", \"sleep 1; exit 7\"]"));

        JsonNode failed = awaitState(path, "Failed");

        JsonNode view = container(failed, 0);
        assertThat(view.path("restartCount").asInt()).isZero();
        assertThat(view.path("currentState").path("exitCode").asInt()).isEqualTo(7);
        assertThat(view.path("currentState").path("detailStatus").asString()).isEqualTo("Error");
        await().atMost(Duration.ofSeconds(30)).until(() -> topic.events(path.toLowerCase()).size() >= 2);
        List<TopicReader.Event> events = topic.events(path.toLowerCase());
        assertThat(events).extracting(TopicReader.Event::type).containsExactly(EventTypes.CONTAINER_GROUP_STARTED,
                EventTypes.CONTAINER_GROUP_STOPPED);
        assertThat(events.get(0).data().path("state").asString()).isEqualTo("Running");
        assertThat(events.get(0).data().path("cpu").decimalValue()).isEqualByComparingTo("0.5");
        assertThat(events.get(0).data().path("memoryInGB").decimalValue()).isEqualByComparingTo("0.5");
        assertThat(events.get(1).data().path("state").asString()).isEqualTo("Failed");
        assertThat(delete(path).statusCode()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(30)).until(() -> topic.events(path.toLowerCase()).size() == 3);
        assertThat(topic.events(path.toLowerCase()).get(2).type()).isEqualTo(EventTypes.CONTAINER_GROUP_DELETED);
    }

    @Test
    void stopRemovesTheContainersAndStopsTheMeterAndStartRunsThemAgain() {
        String path = groupPath(newSubscription(), "power", "sleeper");
        TopicReader topic = containerTopic();
        put(path, groupBody("Always", "[\"/bin/sleep\", \"3600\"]"));
        awaitState(path, "Running");

        assertThat(post(path + "/stop").statusCode()).isEqualTo(204);

        JsonNode stopped = json(get(path));
        assertThat(stopped.path("properties").path("instanceView").path("state").asString()).isEqualTo("Stopped");
        assertThat(container(stopped, 0).path("events")).extracting(e -> e.path("name").asString()).contains("Killing");
        assertThat(containersOf(path)).isEmpty();
        HttpResponse<String> started = post(path + "/start");
        assertThat(started.statusCode()).isEqualTo(202);
        awaitState(path, "Running");
        assertThat(containersOf(path)).hasSize(1);
        HttpResponse<String> restarted = post(path + "/restart");
        assertThat(restarted.statusCode()).isEqualTo(202);
        await().atMost(Duration.ofSeconds(60)).until(() -> operationStatus(restarted).equals("Succeeded"));
        await().atMost(Duration.ofSeconds(30)).until(() -> topic.events(path.toLowerCase()).size() >= 3);
        assertThat(topic.events(path.toLowerCase())).extracting(TopicReader.Event::type).startsWith(
                EventTypes.CONTAINER_GROUP_STARTED, EventTypes.CONTAINER_GROUP_STOPPED,
                EventTypes.CONTAINER_GROUP_STARTED);
        assertThat(delete(path).statusCode()).isEqualTo(200);
    }

    @Test
    void afterARestartTheServiceAdoptsItsGroupsContainersAndRemovesOnesNoGroupKnows() {
        String path = groupPath(newSubscription(), "adopt", "kept");
        put(path, groupBody("Always", "[\"/bin/sleep\", \"3600\"]"));
        awaitState(path, "Running");
        var client = TestDocker.engine().client();
        String stray = client.createContainerCmd(TestDocker.BUSYBOX).withEntrypoint("/bin/sleep", "3600")
                .withLabels(Map.of(DockerEngine.OWNER, OWNER, DockerEngine.GROUP, java.util.UUID.randomUUID()
                        .toString())).exec().getId();
        String kept = viewsOf(path).get("main").dockerId();

        monitor.adopt();

        assertThat(ownedContainers()).contains(kept).doesNotContain(stray);
        assertThat(json(get(path)).path("properties").path("instanceView").path("state").asString())
                .isEqualTo("Running");
        assertThat(delete(path).statusCode()).isEqualTo(200);
    }

    @Test
    void aRackFailureMovesARunningGroupToAHostOfAnotherRackAndRunsItThere() {
        String path = groupPath(newSubscription(), "rack", "mover");
        put(path, groupBody("Always", "[\"/bin/sleep\", \"3600\"]").replace("westeurope", "centralus"));
        awaitState(path, "Running");
        String key = path.toLowerCase();
        String rackBefore = jdbc.queryForObject("select rack from container_groups where resource_key = ?",
                String.class, key);
        String containerBefore = viewsOf(path).get("main").dockerId();
        HostSelector rack = HostSelector.newBuilder()
                .setRack(RackRef.newBuilder().setCluster("cus-c1").setRack(rackBefore)).build();

        ENGINE.grpc().failHosts(rack);
        try {
            await().atMost(Duration.ofSeconds(60)).until(() -> {
                String now = jdbc.queryForObject("select rack from container_groups where resource_key = ?",
                        String.class, key);
                JsonNode group = json(get(path)).path("properties");
                String container = viewsOf(path).get("main").dockerId();
                return now != null && !now.equals(rackBefore) && group.path("provisioningState").asString()
                        .equals("Succeeded") && group.path("instanceView").path("state").asString().equals("Running")
                        && container != null && !container.equals(containerBefore);
            });
            assertThat(containersOf(path)).hasSize(1).doesNotContain(containerBefore);
        } finally {
            ENGINE.grpc().recoverHosts(rack);
        }
        assertThat(delete(path).statusCode()).isEqualTo(200);
    }

    @Autowired
    ContainerGroupRepository repository;

    private Map<String, ContainerInstanceView> viewsOf(String path) {
        return repository.views(path.toLowerCase());
    }
}
