package dev.cirrus.launcher;

import static dev.cirrus.launcher.RepoFiles.ROOT;
import static dev.cirrus.launcher.RepoFiles.map;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

/**
 * docker-compose.yml and the services' Dockerfiles, checked against the modules they run (no Docker daemon needed):
 * the same ports as each module's application.yml, the right database, Kafka, placement engine and service URLs.
 */
@SuppressWarnings("unchecked")
class DockerComposeTest {

    /** A tag that names a version (a digit, a dot, a digit somewhere), or a digest; never latest or a bare major. */
    private static final Pattern PINNED = Pattern.compile("^[^\\s:@]+(:[^\\s:]*\\d+\\.\\d+[^\\s:]*|@sha256:[0-9a-f]{64})$");

    private final Map<String, Object> compose = RepoFiles.yaml(ROOT.resolve("docker-compose.yml"));
    private final Map<String, Object> services = map(compose.get("services"));

    private Map<String, Object> service(String name) {
        assertThat(services).as("compose services").containsKey(name);
        return map(services.get(name));
    }

    private Map<String, String> environment(String name) {
        Object env = service(name).get("environment");
        assertThat(env).as(name + " environment").isInstanceOf(Map.class);
        Map<String, String> values = new LinkedHashMap<>();
        map(env).forEach((k, v) -> values.put(k, String.valueOf(v)));
        return values;
    }

    private static String envName(ServiceModule module) {
        return module.moduleName().replace('-', '_').toUpperCase(Locale.ROOT);
    }

    @Test
    void everyServiceModuleIsAComposeServiceBuiltFromItsOwnDockerfileInTheRepositoryContext() {
        for (ServiceModule m : ServiceModule.values()) {
            Map<String, Object> build = map(service(m.moduleName()).get("build"));
            assertThat(ROOT.resolve(String.valueOf(build.get("context"))).normalize()).as(m + " build context").isEqualTo(ROOT);
            assertThat(build.get("dockerfile")).as(m + " dockerfile").isEqualTo(m.moduleName() + "/Dockerfile");
            assertThat(ROOT.resolve(m.moduleName()).resolve("Dockerfile")).exists();
        }
        Set<String> expected = new TreeSet<>(Set.of("postgres", "kafka", "service-credential"));
        Arrays.stream(ServiceModule.values()).map(ServiceModule::moduleName).forEach(expected::add);
        assertThat(new TreeSet<>(services.keySet())).isEqualTo(expected);
    }

    @Test
    void eachDockerfileBuildsItsModuleWithMavenAndRunsTheExecJarOnAJavaRuntimeAtTheModulesPort() {
        for (ServiceModule m : ServiceModule.values()) {
            String dockerfile = RepoFiles.read(ROOT.resolve(m.moduleName()).resolve("Dockerfile"));
            List<String> from = fromImages(dockerfile);
            int port = RepoFiles.serverPort(m);

            assertThat(from).as(m + " stages").hasSize(2);
            assertThat(from.get(0)).as(m + " build stage").matches("maven:[0-9.]+-eclipse-temurin-21 AS build");
            assertThat(from.get(1)).as(m + " runtime stage").startsWith("eclipse-temurin:21").contains("-jre");
            assertThat(dockerfile).contains("mvn -B -q -pl " + m.moduleName() + " -am -DskipTests package")
                    .contains(m.moduleName() + "/target/" + m.moduleName() + "-*-exec.jar")
                    .containsPattern("EXPOSE " + port + "\\b")
                    .contains("curl -fsS http://127.0.0.1:" + port + "/actuator/health/readiness")
                    .contains("ENTRYPOINT [\"java\"");
        }
    }

    @Test
    void onlyTheGatewayIsPublishedOnItsOwnPort() {
        List<String> published = new ArrayList<>();
        services.forEach((name, s) -> {
            if (map(s).containsKey("ports")) {
                published.add(name);
            }
        });
        assertThat(published).containsExactly("gateway");
        int port = RepoFiles.serverPort(ServiceModule.GATEWAY);
        int https = gatewayHttpsPort();
        assertThat((List<Object>) service("gateway").get("ports")).containsExactly(port + ":" + port, https + ":" + https);
        assertThat(environment("gateway")).containsEntry("CIRRUS_GATEWAY_HTTPS_PORT", Integer.toString(https));
    }

    @Test
    void theGatewayKeepsItsDataFolderOnANamedVolume() {
        String dataDir = environment("gateway").get("CIRRUS_GATEWAY_DATA_DIR");
        assertThat(dataDir).as("the gateway's data folder").startsWith("/");

        assertThat((List<Object>) service("gateway").get("volumes")).contains("gateway-data:" + dataDir);
        assertThat(map(compose.get("volumes"))).containsKey("gateway-data");
        assertThat(RepoFiles.read(ROOT.resolve("gateway/Dockerfile")))
                .as("the image creates the folder for its user").contains("mkdir -p " + dataDir).contains("chown 10001 " + dataDir);
    }

    /** The gateway's TLS listener port, from its application.yml. */
    static int gatewayHttpsPort() {
        Object port = RepoFiles.at(RepoFiles.yaml(ROOT.resolve("gateway/src/main/resources/application.yml")),
                "cirrus.gateway.https-port");
        return Integer.parseInt(String.valueOf(port));
    }

    @Test
    void everyServiceReadsThePlatformsServiceCredentialMadeOnceOnItsOwnVolume() {
        Map<String, Object> maker = service("service-credential");
        assertThat((List<Object>) maker.get("volumes")).containsExactly("service-credential:/secrets");
        assertThat(String.valueOf(maker.get("command"))).contains("/dev/urandom")
                .contains("test -s /secrets/cirrus.service-credential");
        assertThat(map(compose.get("volumes"))).containsKey("service-credential");
        for (ServiceModule m : ServiceModule.values()) {
            assertThat((List<Object>) service(m.moduleName()).get("volumes")).as(m.moduleName())
                    .contains("service-credential:/run/secrets/cirrus:ro");
            assertThat(environment(m.moduleName())).as(m.moduleName())
                    .containsEntry("SPRING_CONFIG_IMPORT", "optional:configtree:/run/secrets/cirrus/");
            assertThat(map(map(service(m.moduleName()).get("depends_on")).get("service-credential")))
                    .as(m.moduleName()).containsEntry("condition", "service_completed_successfully");
        }
    }

    @Test
    void everyImageIsPinnedToAVersion() {
        List<String> images = new ArrayList<>();
        services.values().forEach(s -> images.add(String.valueOf(map(s).get("image"))));
        for (ServiceModule m : ServiceModule.values()) {
            fromImages(RepoFiles.read(ROOT.resolve(m.moduleName()).resolve("Dockerfile")))
                    .forEach(f -> images.add(f.split("\\s+")[0]));
        }
        assertThat(images).hasSizeGreaterThanOrEqualTo(2 + 3 * ServiceModule.values().length)
                .allSatisfy(image -> assertThat(image).as("image").matches(PINNED).doesNotContain("latest"));
    }

    @Test
    void eachServiceTalksToItsOwnDatabaseAndToKafkaOnItsApplicationYmlPort() {
        for (ServiceModule m : ServiceModule.values()) {
            Map<String, String> env = environment(m.moduleName());
            int port = RepoFiles.serverPort(m);

            assertThat(env).as(m.moduleName())
                    .containsEntry("SPRING_DATASOURCE_URL", "jdbc:postgresql://postgres:5432/" + m.database())
                    .containsEntry("SPRING_DATASOURCE_USERNAME", environment("postgres").get("POSTGRES_USER"))
                    .containsEntry("SPRING_DATASOURCE_PASSWORD", environment("postgres").get("POSTGRES_PASSWORD"))
                    .containsEntry("CIRRUS_KAFKA_BOOTSTRAP_SERVERS", "kafka:9092")
                    .containsEntry("SERVER_PORT", Integer.toString(port));
            assertThat(map(service(m.moduleName()).get("healthcheck")).get("test").toString())
                    .as(m + " health check").contains("http://127.0.0.1:" + port + "/actuator/health/readiness");
        }
    }

    @Test
    void kafkaRunsInKraftModeAndServicesReachItAsKafka9092() {
        Map<String, String> kafka = environment("kafka");

        assertThat(kafka.get("KAFKA_PROCESS_ROLES")).contains("broker").contains("controller");
        assertThat(kafka.get("KAFKA_ADVERTISED_LISTENERS")).contains("PLAINTEXT://kafka:9092");
        assertThat(kafka.get("KAFKA_LISTENERS")).contains(":9092");
        assertThat(kafka.get("KAFKA_CONTROLLER_QUORUM_VOTERS")).startsWith(kafka.get("KAFKA_NODE_ID") + "@kafka:");
        assertThat(kafka).containsKey("CLUSTER_ID").doesNotContainKey("KAFKA_ZOOKEEPER_CONNECT");
        assertThat(String.valueOf(service("kafka").get("image"))).startsWith("apache/kafka:");
    }

    @Test
    void theVmServiceFindsThePlacementEngineOnTheGrpcPortItServes() {
        String grpcPort = environment("placement-engine").get("CIRRUS_PLACEMENT_GRPC_PORT");

        assertThat(grpcPort).isEqualTo(Integer.toString(RepoFiles.placementGrpcPort()));
        assertThat(environment("compute-vm")).containsEntry("CIRRUS_PLACEMENT_TARGET", "placement-engine:" + grpcPort);
        assertThat(environment("gateway")).as("the gateway's operator API")
                .containsEntry("CIRRUS_PLACEMENT_TARGET", "placement-engine:" + grpcPort);
    }

    @Test
    void theGatewayRoutesToEachServiceByItsComposeNameAndApplicationYmlPort() {
        Map<String, String> env = environment("gateway");
        for (ServiceModule routed : ServiceModule.routedByGateway()) {
            assertThat(env).containsEntry("CIRRUS_GATEWAY_SERVICES_" + envName(routed),
                    "http://" + routed.moduleName() + ":" + RepoFiles.serverPort(routed));
        }
    }

    @Test
    void servicesStartOnlyOnceWhatTheyDependOnIsHealthy() {
        for (ServiceModule m : ServiceModule.values()) {
            Map<String, Object> dependsOn = map(service(m.moduleName()).get("depends_on"));
            assertThat(dependsOn).as(m + " depends_on").containsKeys("postgres", "kafka");
            dependsOn.forEach((name, condition) -> {
                if (name.equals("service-credential")) {
                    return; // a one-shot job: checked in everyServiceReadsThePlatformsServiceCredential...
                }
                assertThat(map(condition)).as(m + " on " + name).containsEntry("condition", "service_healthy");
                assertThat(service(name)).as(name + " has a health check").containsKey("healthcheck");
            });
        }
        assertThat(map(service("compute-vm").get("depends_on"))).containsKey("placement-engine");
        assertThat(map(service("gateway").get("depends_on")))
                .containsKeys(ServiceModule.routedByGateway().stream().map(ServiceModule::moduleName).toArray(String[]::new));
    }

    @Test
    void thePostgresInitScriptCreatesEveryServicesDatabase() {
        Path script = ROOT.resolve("docker/postgres/init-databases.sql");
        Matcher create = Pattern.compile("(?im)^\\s*CREATE DATABASE\\s+(\\w+)\\s*;").matcher(RepoFiles.read(script));
        Set<String> created = new TreeSet<>();
        while (create.find()) {
            created.add(create.group(1));
        }

        Set<String> databases = new TreeSet<>();
        Arrays.stream(ServiceModule.values()).map(ServiceModule::database).forEach(databases::add);
        assertThat(created).isEqualTo(databases);
        assertThat((List<Object>) service("postgres").get("volumes"))
                .contains("./docker/postgres/init-databases.sql:/docker-entrypoint-initdb.d/init-databases.sql:ro");
    }

    private static List<String> fromImages(String dockerfile) {
        List<String> from = new ArrayList<>();
        Matcher m = Pattern.compile("(?m)^FROM\\s+(.+?)\\s*$").matcher(dockerfile);
        while (m.find()) {
            from.add(m.group(1));
        }
        return from;
    }
}
