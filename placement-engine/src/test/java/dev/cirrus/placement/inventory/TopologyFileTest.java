package dev.cirrus.placement.inventory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.core.io.DefaultResourceLoader;

/** Reading and checking inventory files, without Spring. */
class TopologyFileTest {

    @TempDir
    Path dir;

    @Test
    void theDefaultTopologyHasFourRegionsOfTwoClustersOfThreeRacksOfTenHosts() {
        Topology topology = TopologyFile.read("classpath:inventory/default-topology.yaml", new DefaultResourceLoader());

        assertThat(topology.regions()).containsExactly("koreacentral", "eastus", "westeurope", "westus");
        assertThat(topology.hosts()).hasSize(240);
        assertThat(topology.hosts()).allSatisfy(h -> {
            assertThat(h.vcpus()).isEqualTo(64);
            assertThat(h.memoryMib()).isEqualTo(256 * 1024);
        });
        assertThat(topology.hosts()).filteredOn(h -> h.region().equals("eastus")).hasSize(60);
        assertThat(topology.hosts()).contains(
                new Topology.Host("kc-c1-r2-h07", "koreacentral", "kc-c1", "kc-c1-r2", 1, 64, 262144),
                new Topology.Host("wus-c2-r3-h10", "westus", "wus-c2", "wus-c2-r3", 2, 64, 262144));
    }

    @Test
    void aPlainPathAndAFileUrlBothName(/* a file on disk */) throws Exception {
        Path file = write(VALID);
        DefaultResourceLoader loader = new DefaultResourceLoader();

        assertThat(TopologyFile.read(file.toString(), loader).hosts()).hasSize(2);
        assertThat(TopologyFile.read(file.toUri().toString(), loader).hosts()).hasSize(2);
    }

    static final String VALID = """
            regions:
              - name: eastus
                clusters:
                  - name: c1
                    racks:
                      - name: r1
                        hosts:
                          - { name: h1, vcpus: 8, memoryGib: 32 }
                      - name: r2
                        hosts:
                          - { name: h2, vcpus: 8, memoryGib: 32 }
            """;

    static Stream<Arguments> invalidFiles() {
        return Stream.of(
                Arguments.of("a duplicate host name", VALID.replace("name: h2", "name: h1"),
                        "region 'eastus' > cluster 'c1' > rack 'r2' > host 'h1': duplicate host name 'h1' "
                                + "(first at region 'eastus' > cluster 'c1' > rack 'r1' > host 'h1')"),
                Arguments.of("zero vCPUs", VALID.replace("{ name: h1, vcpus: 8", "{ name: h1, vcpus: 0"),
                        "host 'h1': 'vcpus' must be positive, got 0"),
                Arguments.of("negative memory", VALID.replace("memoryGib: 32 }\n", "memoryGib: -4 }\n"),
                        "host 'h1': 'memoryGib' must be positive, got -4"),
                Arguments.of("a missing capacity", VALID.replace("vcpus: 8, ", ""), "host 'h1': 'vcpus' is missing"),
                Arguments.of("a misspelt key", VALID.replace("memoryGib: 32 }\n", "memoryGb: 32 }\n"),
                        "unknown key 'memoryGb' at line 8"),
                Arguments.of("a fractional capacity", VALID.replace("vcpus: 8,", "vcpus: 6.5,"),
                        "'vcpus' must be a whole number at line 8"),
                Arguments.of("a capacity as text", VALID.replace("vcpus: 8,", "vcpus: \"8\","),
                        "'vcpus' must be a whole number at line 8"),
                Arguments.of("a display name as region name", VALID.replace("name: eastus", "name: East US"),
                        "the region name 'East US' must be lower-case letters and digits"),
                Arguments.of("a duplicate rack name", VALID.replace("name: r2", "name: r1"),
                        "rack 'r1': duplicate rack name 'r1'"),
                Arguments.of("a cluster without racks", """
                        regions:
                          - name: eastus
                            clusters:
                              - name: c1
                                racks: []
                        """, "region 'eastus' > cluster 'c1': has no racks"),
                Arguments.of("no regions", "regions: []\n", "'regions' is missing or empty"),
                Arguments.of("an empty file", "", "'regions' is missing or empty"),
                Arguments.of("a file of comments only", "# regions: to come\n", "'regions' is missing or empty"),
                Arguments.of("a duplicate key", VALID.replace("vcpus: 8,", "vcpus: 8, vcpus: 9,"),
                        "Duplicate Object property \"vcpus\" at line 8"),
                Arguments.of("malformed YAML", "regions:\n  - name: [eastus\n", "line 2, column 11"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalidFiles")
    void anInvalidFileIsRefusedWithWhereAndWhatIsWrong(String what, String yaml, String message) throws Exception {
        Path file = write(yaml);

        assertThatThrownBy(() -> TopologyFile.read(file.toString(), new DefaultResourceLoader()))
                .isInstanceOf(InvalidInventoryException.class)
                .hasMessageStartingWith("The placement inventory '" + file + "' is invalid:")
                .hasMessageContaining(message);
    }

    @Test
    void everyProblemIsReportedAtOnce() throws Exception {
        Path file = write(VALID.replace("name: h2", "name: h1").replace("memoryGib: 32 }\n", "memoryGib: 0 }\n"));

        assertThatThrownBy(() -> TopologyFile.read(file.toString(), new DefaultResourceLoader()))
                .isInstanceOfSatisfying(InvalidInventoryException.class, e -> assertThat(e.problems()).containsExactly(
                        "region 'eastus' > cluster 'c1' > rack 'r1' > host 'h1': 'memoryGib' must be positive, got 0",
                        "region 'eastus' > cluster 'c1' > rack 'r2' > host 'h1': duplicate host name 'h1' "
                                + "(first at region 'eastus' > cluster 'c1' > rack 'r1' > host 'h1')",
                        "region 'eastus' > cluster 'c1' > rack 'r2' > host 'h1': 'memoryGib' must be positive, got 0"));
    }

    @Test
    void aMissingFileIsRefused() {
        assertThatThrownBy(() -> TopologyFile.read(dir.resolve("nope.yaml").toString(), new DefaultResourceLoader()))
                .isInstanceOf(InvalidInventoryException.class)
                .hasMessageContaining("the file does not exist");
        assertThatThrownBy(() -> TopologyFile.read("classpath:inventory/nope.yaml", new DefaultResourceLoader()))
                .hasMessageContaining("the file does not exist");
    }

    private Path write(String yaml) throws Exception {
        Path file = Files.createTempFile(dir, "inventory", ".yaml");
        Files.writeString(file, yaml);
        return file;
    }
}
