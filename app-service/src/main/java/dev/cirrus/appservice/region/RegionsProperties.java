package dev.cirrus.appservice.region;

import jakarta.validation.constraints.NotBlank;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

/**
 * {@code cirrus.appservice.*}: where this service's regions come from.
 *
 * @param topology the placement topology file whose regions App Service plans may be created in
 *                 ({@code classpath:…} or {@code file:…}); default
 *                 {@code classpath:inventory/default-topology.yaml} of cirrus-contracts, the file the placement
 *                 engine, compute-vm and the gateway read by default too
 */
@Validated
@ConfigurationProperties("cirrus.appservice")
public record RegionsProperties(@NotBlank String topology) {

    public static final String DEFAULT_TOPOLOGY = "classpath:inventory/default-topology.yaml";

    public RegionsProperties {
        topology = topology == null ? DEFAULT_TOPOLOGY : topology;
    }
}
