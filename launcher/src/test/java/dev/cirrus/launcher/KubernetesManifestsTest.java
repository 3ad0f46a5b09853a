package dev.cirrus.launcher;

import static dev.cirrus.launcher.RepoFiles.ROOT;
import static dev.cirrus.launcher.RepoFiles.at;
import static dev.cirrus.launcher.RepoFiles.map;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

/** Every YAML file under deploy/, parsed and checked against the service modules. */
@SuppressWarnings("unchecked")
class KubernetesManifestsTest {

    private static final Path DEPLOY = ROOT.resolve("deploy");

    /** Every Kubernetes object under deploy/ (not the kustomization files), by "Kind/name". */
    private final Map<String, Map<String, Object>> objects = new LinkedHashMap<>();

    KubernetesManifestsTest() throws IOException {
        for (Path file : yamlFiles()) {
            if (file.getFileName().toString().equals("kustomization.yaml")) {
                continue;
            }
            for (Object doc : RepoFiles.yamlDocuments(file)) {
                Map<String, Object> object = map(doc);
                assertThat(object).as(file + " document").containsKeys("apiVersion", "kind", "metadata");
                String key = object.get("kind") + "/" + at(object, "metadata.name");
                assertThat(objects).as("duplicate " + key).doesNotContainKey(key);
                objects.put(key, object);
            }
        }
    }

    private static List<Path> yamlFiles() throws IOException {
        try (Stream<Path> files = Files.walk(DEPLOY)) {
            return files.filter(f -> f.toString().endsWith(".yaml") || f.toString().endsWith(".yml")).sorted().toList();
        }
    }

    private Map<String, Object> object(String kind, String name) {
        assertThat(objects).as("deploy/ objects").containsKey(kind + "/" + name);
        return objects.get(kind + "/" + name);
    }

    private Map<String, Object> container(ServiceModule m) {
        List<Object> containers = (List<Object>) at(object("Deployment", m.moduleName()), "spec.template.spec.containers");
        assertThat(containers).as(m + " containers").hasSize(1);
        return map(containers.get(0));
    }

    /** The environment a service's container gets from its ConfigMaps. */
    private Map<String, String> environment(ServiceModule m) {
        Map<String, String> env = new LinkedHashMap<>();
        for (Object source : (List<Object>) container(m).get("envFrom")) {
            String name = String.valueOf(at(map(source), "configMapRef.name"));
            map(object("ConfigMap", name).get("data")).forEach((k, v) -> env.put(k, String.valueOf(v)));
        }
        return env;
    }

    @Test
    void everyServiceHasADeploymentWithLivenessAndReadinessProbesOnItsActuatorPort() {
        for (ServiceModule m : ServiceModule.values()) {
            Map<String, Object> c = container(m);
            int port = RepoFiles.serverPort(m);
            List<Object> ports = (List<Object>) c.get("ports");
            assertThat(ports).as(m + " ports").contains(Map.of("name", "http", "containerPort", port));

            assertThat(at(c, "livenessProbe.httpGet.path")).as(m + " liveness").isEqualTo("/actuator/health/liveness");
            assertThat(at(c, "livenessProbe.httpGet.port")).as(m + " liveness port").isEqualTo("http");
            assertThat(at(c, "readinessProbe.httpGet.path")).as(m + " readiness").isEqualTo("/actuator/health/readiness");
            assertThat(at(c, "readinessProbe.httpGet.port")).as(m + " readiness port").isEqualTo("http");
            assertThat(at(c, "startupProbe.httpGet.path")).as(m + " startup").isEqualTo("/actuator/health/liveness");
        }
    }

    @Test
    void everyServiceRequestsAndLimitsCpuAndMemory() {
        for (ServiceModule m : ServiceModule.values()) {
            Map<String, Object> resources = map(container(m).get("resources"));
            assertThat(map(resources.get("requests"))).as(m + " requests").containsKeys("cpu", "memory");
            assertThat(map(resources.get("limits"))).as(m + " limits").containsKeys("cpu", "memory");
        }
    }

    @Test
    void everyServiceRunsItsOwnPinnedImageAsANonRootUser() {
        for (ServiceModule m : ServiceModule.values()) {
            assertThat(String.valueOf(container(m).get("image"))).matches("cirrus/" + m.moduleName() + ":\\d+\\.\\d+\\.\\d+");
            assertThat(at(object("Deployment", m.moduleName()), "spec.template.spec.securityContext.runAsNonRoot"))
                    .as(m + " runAsNonRoot").isEqualTo(true);
        }
    }

    @Test
    void everyServiceHasAServiceSelectingItsPodsOnItsPort() {
        for (ServiceModule m : ServiceModule.values()) {
            Map<String, Object> deployment = object("Deployment", m.moduleName());
            Map<String, Object> service = object("Service", m.moduleName());
            Map<String, Object> podLabels = map(at(deployment, "spec.template.metadata.labels"));
            assertThat(podLabels).containsAllEntriesOf(map(at(service, "spec.selector")));
            assertThat(map(at(deployment, "spec.selector.matchLabels"))).isEqualTo(map(at(service, "spec.selector")));
            assertThat((List<Object>) at(service, "spec.ports")).as(m + " service ports")
                    .contains(Map.of("name", "http", "port", RepoFiles.serverPort(m), "targetPort", "http"));
        }
        assertThat((List<Object>) at(object("Service", "placement-engine"), "spec.ports"))
                .contains(Map.of("name", "grpc", "port", RepoFiles.placementGrpcPort(), "targetPort", "grpc"));
    }

    @Test
    void theEnvironmentPointsEachServiceAtItsDatabaseKafkaAndNeighbours() {
        String postgresHost = at(object("Cluster", "cirrus-postgres"), "metadata.name") + "-rw";
        String kafkaBootstrap = at(object("Kafka", "cirrus-kafka"), "metadata.name") + "-kafka-bootstrap:9092";
        for (ServiceModule m : ServiceModule.values()) {
            Map<String, String> env = environment(m);
            assertThat(env).as(m.moduleName())
                    .containsEntry("SPRING_DATASOURCE_URL", "jdbc:postgresql://" + postgresHost + ":5432/" + m.database())
                    .containsEntry("CIRRUS_KAFKA_BOOTSTRAP_SERVERS", kafkaBootstrap)
                    .containsEntry("SERVER_PORT", Integer.toString(RepoFiles.serverPort(m)));
            List<Object> secrets = (List<Object>) container(m).get("env");
            assertThat(secrets.toString()).contains("SPRING_DATASOURCE_USERNAME", "SPRING_DATASOURCE_PASSWORD",
                    "cirrus-postgres-app");
            assertThat(secrets).as(m + ": the platform's service credential from its Secret").contains(Map.of(
                    "name", "CIRRUS_SERVICE_CREDENTIAL", "valueFrom",
                    Map.of("secretKeyRef", Map.of("name", "cirrus-service-credential", "key", "credential"))));
        }
        assertThat(environment(ServiceModule.PLACEMENT_ENGINE))
                .containsEntry("CIRRUS_PLACEMENT_GRPC_PORT", Integer.toString(RepoFiles.placementGrpcPort()));
        assertThat(environment(ServiceModule.COMPUTE_VM))
                .containsEntry("CIRRUS_PLACEMENT_TARGET", "placement-engine:" + RepoFiles.placementGrpcPort());
        assertThat(environment(ServiceModule.GATEWAY)).as("the gateway's operator API")
                .containsEntry("CIRRUS_PLACEMENT_TARGET", "placement-engine:" + RepoFiles.placementGrpcPort());
        Map<String, String> gateway = environment(ServiceModule.GATEWAY);
        for (ServiceModule routed : ServiceModule.routedByGateway()) {
            assertThat(gateway).containsEntry(
                    "CIRRUS_GATEWAY_SERVICES_" + routed.moduleName().replace('-', '_').toUpperCase(Locale.ROOT),
                    "http://" + routed.moduleName() + ":" + RepoFiles.serverPort(routed));
        }
    }

    @Test
    void theGatewayServesHttpsAndKeepsItsDataFolderOnAPersistentVolume() {
        int https = DockerComposeTest.gatewayHttpsPort();
        Map<String, Object> c = container(ServiceModule.GATEWAY);
        assertThat((List<Object>) c.get("ports")).contains(Map.of("name", "https", "containerPort", https));
        assertThat((List<Object>) at(object("Service", "gateway"), "spec.ports"))
                .contains(Map.of("name", "https", "port", https, "targetPort", "https"));
        Map<String, String> env = environment(ServiceModule.GATEWAY);
        assertThat(env).containsEntry("CIRRUS_GATEWAY_HTTPS_PORT", Integer.toString(https));

        String dataDir = env.get("CIRRUS_GATEWAY_DATA_DIR");
        Map<String, Object> pod = map(at(object("Deployment", "gateway"), "spec.template.spec"));
        assertThat((List<Object>) c.get("volumeMounts")).contains(Map.of("name", "data", "mountPath", dataDir));
        assertThat((List<Object>) pod.get("volumes"))
                .contains(Map.of("name", "data", "persistentVolumeClaim", Map.of("claimName", "gateway-data")));
        assertThat(at(object("PersistentVolumeClaim", "gateway-data"), "spec.accessModes").toString()).contains("ReadWriteOnce");
        assertThat(at(object("Deployment", "gateway"), "spec.strategy.type"))
                .as("a ReadWriteOnce volume: the old pod goes before the new one starts").isEqualTo("Recreate");
        assertThat(at(pod, "securityContext.fsGroup")).as("the volume is writable by the gateway's user").isEqualTo(10001);
    }

    @Test
    void postgresAndKafkaComeFromTheirOperatorsCustomResources() {
        Map<String, Object> cluster = object("Cluster", "cirrus-postgres");
        assertThat(String.valueOf(cluster.get("apiVersion"))).startsWith("postgresql.cnpg.io/");
        Set<String> databases = new TreeSet<>();
        databases.add(String.valueOf(at(cluster, "spec.bootstrap.initdb.database")));
        for (Object sql : (List<Object>) at(cluster, "spec.bootstrap.initdb.postInitSQL")) {
            var matcher = Pattern.compile("(?i)CREATE DATABASE (\\w+)").matcher(sql.toString());
            if (matcher.find()) {
                databases.add(matcher.group(1));
            }
        }
        Set<String> expected = new TreeSet<>();
        for (ServiceModule m : ServiceModule.values()) {
            expected.add(m.database());
        }
        assertThat(databases).isEqualTo(expected);

        Map<String, Object> kafka = object("Kafka", "cirrus-kafka");
        assertThat(String.valueOf(kafka.get("apiVersion"))).startsWith("kafka.strimzi.io/");
        assertThat(map(at(kafka, "metadata.annotations"))).containsEntry("strimzi.io/kraft", "enabled");
        Map<String, Object> pool = object("KafkaNodePool", "dual-role");
        assertThat((List<Object>) at(pool, "spec.roles")).containsExactlyInAnyOrder("controller", "broker");
        assertThat(map(at(pool, "metadata.labels"))).containsEntry("strimzi.io/cluster", "cirrus-kafka");
    }

    @Test
    void theKustomizationsListExactlyTheFilesBesideThem() throws IOException {
        for (Path kustomization : yamlFiles().stream()
                .filter(f -> f.getFileName().toString().equals("kustomization.yaml")).toList()) {
            Path dir = kustomization.getParent();
            List<String> listed = new ArrayList<>();
            for (Object r : (List<Object>) RepoFiles.yaml(kustomization).get("resources")) {
                listed.add(r.toString());
            }
            List<String> present = new ArrayList<>();
            try (Stream<Path> entries = Files.list(dir)) {
                entries.filter(p -> !p.getFileName().toString().equals("kustomization.yaml"))
                        .filter(p -> Files.isDirectory(p) ? Files.exists(p.resolve("kustomization.yaml"))
                                : p.toString().endsWith(".yaml"))
                        .forEach(p -> present.add(p.getFileName().toString()));
            }
            assertThat(listed).as(kustomization.toString()).containsExactlyInAnyOrderElementsOf(present);
        }
    }

    @Test
    void theReadmeSaysWherePostgresAndKafkaComeFrom() {
        assertThat(RepoFiles.read(DEPLOY.resolve("README.md"))).contains("CloudNativePG", "Strimzi", "Cluster", "Kafka");
    }
}
