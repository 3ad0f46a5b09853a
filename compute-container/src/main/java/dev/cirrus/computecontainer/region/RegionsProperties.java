package dev.cirrus.computecontainer.region;

import jakarta.validation.constraints.NotBlank;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

/**
 * {@code cirrus.container.*}: where this service's regions come from.
 *
 * @param topology the placement topology file whose regions container groups may be created in
 *                 ({@code classpath:…} or {@code file:…}); default {@code classpath:inventory/default-topology.yaml}
 *                 of cirrus-contracts, the file the placement engine reads by default too
 */
@Validated
@ConfigurationProperties("cirrus.container")
public record RegionsProperties(@NotBlank String topology) {

    public static final String DEFAULT_TOPOLOGY = "classpath:inventory/default-topology.yaml";

    public RegionsProperties {
        topology = topology == null ? DEFAULT_TOPOLOGY : topology;
    }
}
