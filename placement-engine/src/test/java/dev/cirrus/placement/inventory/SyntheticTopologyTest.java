package dev.cirrus.placement.inventory;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.core.io.DefaultResourceLoader;

class SyntheticTopologyTest {

    @TempDir
    Path dir;

    @Test
    void aGeneratedTenThousandHostInventoryIsAValidInventoryFile() throws Exception {
        Topology generated = SyntheticTopology.generate(1, 10, 20, 50, 64, 256);
        Path file = dir.resolve("synthetic.yaml");
        Files.writeString(file, SyntheticTopology.yaml(generated));

        Topology read = TopologyFile.read(file.toString(), new DefaultResourceLoader());

        assertThat(read).isEqualTo(generated);
        assertThat(read.hosts()).hasSize(10_000);
        assertThat(read.hosts().getLast().faultDomain()).isEqualTo(19);
    }
}
