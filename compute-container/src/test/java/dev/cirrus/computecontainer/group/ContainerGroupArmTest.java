package dev.cirrus.computecontainer.group;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.http.HttpResponse;
import java.time.Duration;

import dev.cirrus.computecontainer.ContainerGroupTestSupport;
import dev.cirrus.computecontainer.TestDocker;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** The ARM surface of container groups: create, read, list, tag, delete, ETags, operations. */
class ContainerGroupArmTest extends ContainerGroupTestSupport {

    static final String SLEEPER = "[\"/bin/sleep\", \"3600\"]";

    private HttpResponse<String> create(String path, String body) {
        if (TestDocker.answers()) {
            TestDocker.busybox();
        }
        return put(path, body);
    }

    @Test
    void aPutCreatesTheGroupWith201AndAnAsyncOperationAndNeverShowsASecureValue() {
        String sub = newSubscription();
        String path = groupPath(sub, "Demo", "web1");

        HttpResponse<String> created = create(path, groupBody("Always", SLEEPER));

        assertThat(created.statusCode()).isEqualTo(201);
        JsonNode body = json(created);
        assertThat(body.path("id").asString()).isEqualTo(path);
        assertThat(body.path("type").asString()).isEqualTo("Microsoft.ContainerInstance/containerGroups");
        assertThat(body.path("properties").path("provisioningState").asString()).isEqualTo("Creating");
        assertThat(body.path("properties").path("restartPolicy").asString()).isEqualTo("Always");
        assertThat(body.path("properties").path("instanceView").path("state").asString()).isEqualTo("Pending");
        assertThat(created.headers().firstValue("Azure-AsyncOperation").orElseThrow())
                .contains("/subscriptions/" + sub + "/providers/Microsoft.ContainerInstance/locations/westeurope/"
                        + "operations/");
        assertThat(created.headers().firstValue("ETag")).hasValue(body.path("etag").asString());
        JsonNode env = body.path("properties").path("containers").get(0).path("properties")
                .path("environmentVariables");
        assertThat(env.get(0).path("value").asString()).isEqualTo("hello");
        assertThat(env.get(1).path("name").asString()).isEqualTo("SECRET");
        assertThat(env.get(1).has("value")).isFalse();
        assertThat(env.get(1).has("secureValue")).isFalse();
        assertThat(created.body()).doesNotContain("s3cr3t-value");
        assertThat(get(path).body()).doesNotContain("s3cr3t-value");

        // the operation ends either way; with an engine the group runs, without one it fails saying why
        await().atMost(Duration.ofSeconds(60)).until(() -> !operationStatus(created).equals("InProgress"));
        JsonNode after = json(get(path));
        if (TestDocker.answers()) {
            assertThat(operationStatus(created)).isEqualTo("Succeeded");
            assertThat(after.path("properties").path("provisioningState").asString()).isEqualTo("Succeeded");
            assertThat(after.path("properties").path("instanceView").path("state").asString()).isEqualTo("Running");
        }
        assertThat(delete(path).statusCode()).isEqualTo(200);
    }

    @Test
    void withoutADockerEngineACreateEndsFailedWithAMessageSayingHowToGiveCirrusOne() {
        Assumptions.assumeFalse(TestDocker.answers(), "a Docker engine answers: the group runs instead");
        String path = groupPath(newSubscription(), "rg", "no-engine");

        HttpResponse<String> created = put(path, groupBody("Always", SLEEPER));

        assertThat(created.statusCode()).isEqualTo(201);
        await().atMost(Duration.ofSeconds(30)).until(() -> operationStatus(created).equals("Failed"));
        JsonNode op = json(get(created.headers().firstValue("Azure-AsyncOperation").orElseThrow()));
        assertThat(op.path("error").path("code").asString()).isEqualTo("DockerEngineUnavailable");
        assertThat(op.path("error").path("message").asString()).contains("DOCKER_HOST").contains("dockerd");
        JsonNode group = json(get(path)).path("properties");
        assertThat(group.path("provisioningState").asString()).isEqualTo("Failed");
        assertThat(group.path("instanceView").path("state").asString()).isEqualTo("Failed");
        assertThat(group.path("provisioningError").path("message").asString()).contains("DOCKER_HOST");
    }

    @Test
    void aGroupNoHostCanTakeEndsFailedWithThePlacementEnginesDiagnosis() {
        String path = groupPath(newSubscription(), "rg", "too-big");
        // northeurope's only host has 1 vCPU
        String body = groupBody("Always", SLEEPER).replace("westeurope", "northeurope")
                .replace("\"cpu\": 0.5", "\"cpu\": 2");

        HttpResponse<String> created = create(path, body);

        assertThat(created.statusCode()).isEqualTo(201);
        await().atMost(Duration.ofSeconds(30)).until(() -> operationStatus(created).equals("Failed"));
        JsonNode op = json(get(created.headers().firstValue("Azure-AsyncOperation").orElseThrow()));
        assertThat(op.path("error").path("code").asString()).isEqualTo("InsufficientCapacity");
        assertThat(op.path("error").path("message").asString()).contains("northeurope").contains("hosts");
        assertThat(containersOf(path)).isEmpty();
    }

    @Test
    void groupsAreListedByResourceGroupAndSubscriptionInPagesWithANextLink() {
        String sub = newSubscription();
        for (String name : new String[] {"a1", "a2", "a3", "a4"}) {
            assertThat(create(groupPath(sub, "One", name), groupBody("Never", "[\"/bin/true\"]")).statusCode())
                    .isEqualTo(201);
        }
        assertThat(create(groupPath(sub, "Two", "b1"), groupBody("Never", "[\"/bin/true\"]")).statusCode())
                .isEqualTo(201);

        JsonNode first = json(get("/subscriptions/" + sub + "/resourceGroups/One/providers/"
                + "Microsoft.ContainerInstance/containerGroups"));
        assertThat(first.path("value")).hasSize(3);
        JsonNode second = json(get(first.path("nextLink").asString()));
        assertThat(second.path("value")).hasSize(1);
        assertThat(second.has("nextLink")).isFalse();
        assertThat(second.path("value").get(0).path("name").asString()).isEqualTo("a4");

        JsonNode all = json(get("/subscriptions/" + sub + "/providers/Microsoft.ContainerInstance/containerGroups"
                + "?$top=10&" + API));
        assertThat(all.path("value")).hasSize(3);
        JsonNode rest = json(get(all.path("nextLink").asString()));
        assertThat(rest.path("value")).extracting(v -> v.path("name").asString()).containsExactly("a4", "b1");
    }

    @Test
    void aPatchChangesTheTagsAndTheEtagAndAStaleIfMatchIsRefused() {
        String path = groupPath(newSubscription(), "rg", "tagged");
        String etag = json(create(path, groupBody("Never", "[\"/bin/true\"]"))).path("etag").asString();

        HttpResponse<String> patched = send("PATCH", withApi(path), "{\"tags\": {\"team\": \"blue\"}}",
                "If-Match", etag);

        assertThat(patched.statusCode()).isEqualTo(200);
        assertThat(json(patched).path("tags").path("team").asString()).isEqualTo("blue");
        assertThat(json(patched).path("etag").asString()).isNotEqualTo(etag);
        HttpResponse<String> stale = send("PATCH", withApi(path), "{\"tags\": {}}", "If-Match", etag);
        assertThat(stale.statusCode()).isEqualTo(412);
        assertThat(json(stale).path("error").path("code").asString()).isEqualTo("PreconditionFailed");
        assertThat(json(get(path)).path("tags").path("team").asString()).isEqualTo("blue");
        HttpResponse<String> noneMatch = put(path, groupBody("Never", "[\"/bin/true\"]"), "If-None-Match", "*");
        assertThat(noneMatch.statusCode()).isEqualTo(412);
    }

    @Test
    void aPutOfTheSameDefinitionRetagsTheGroupAndAChangedDefinitionIsRefused() {
        String path = groupPath(newSubscription(), "rg", "same");
        create(path, groupBody("Never", "[\"/bin/true\"]"));

        HttpResponse<String> again = put(path, groupBody("Never", "[\"/bin/true\"]").replace("\"env\": \"test\"",
                "\"env\": \"prod\""));
        HttpResponse<String> changed = put(path, groupBody("Always", "[\"/bin/true\"]"));

        assertThat(again.statusCode()).isEqualTo(200);
        assertThat(json(again).path("tags").path("env").asString()).isEqualTo("prod");
        assertThat(changed.statusCode()).isEqualTo(400);
        assertThat(json(changed).path("error").path("code").asString()).isEqualTo("InvalidContainerGroupUpdate");
        assertThat(json(get(path)).path("properties").path("restartPolicy").asString()).isEqualTo("Never");
    }

    @Test
    void aDeleteAnswers200WithTheGroupThenTheGroupIsGoneAndASecondDeleteIs204() {
        String path = groupPath(newSubscription(), "rg", "gone");
        create(path, groupBody("Never", "[\"/bin/true\"]"));

        HttpResponse<String> deleted = delete(path);

        assertThat(deleted.statusCode()).isEqualTo(200);
        assertThat(json(deleted).path("name").asString()).isEqualTo("gone");
        assertThat(get(path).statusCode()).isEqualTo(404);
        assertThat(json(get(path)).path("error").path("code").asString()).isEqualTo("ResourceNotFound");
        assertThat(delete(path).statusCode()).isEqualTo(204);
        assertThat(count("select count(*) from container_states where resource_key = ?", path.toLowerCase()))
                .isZero();
    }

    @Test
    void anUnknownOperationIsNotFound() {
        HttpResponse<String> missing = get("/subscriptions/" + newSubscription() + "/providers/"
                + "Microsoft.ContainerInstance/locations/westeurope/operations/" + java.util.UUID.randomUUID());
        assertThat(missing.statusCode()).isEqualTo(404);
        assertThat(json(missing).path("error").path("code").asString()).isEqualTo("OperationNotFound");
    }
}
