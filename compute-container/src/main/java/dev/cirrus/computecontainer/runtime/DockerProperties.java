package dev.cirrus.computecontainer.runtime;

import java.time.Duration;

import jakarta.validation.constraints.NotBlank;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

/**
 * {@code cirrus.container.docker.*}: the Docker engine container groups run on.
 *
 * @param host        the engine's address ({@code unix:///path/docker.sock} or {@code tcp://host:2375}); default:
 *                    the environment's {@code DOCKER_HOST}, else the engine's own default socket
 * @param owner       the value of the {@code dev.cirrus.owner} label on every container this service runs; after a
 *                    restart it adopts the labelled containers it knows and removes the others, so two Cirrus
 *                    instances sharing one engine need two owners (default {@code compute-container})
 * @param pullTimeout how long pulling one image may take before the group fails (default 2 min)
 */
@Validated
@ConfigurationProperties("cirrus.container.docker")
public record DockerProperties(String host, @NotBlank String owner, Duration pullTimeout) {

    public DockerProperties {
        host = host == null || host.isBlank() ? null : host.trim();
        owner = owner == null ? "compute-container" : owner;
        // a local engine pulls a small image in seconds; a slow registry gets a couple of minutes
        pullTimeout = pullTimeout == null ? Duration.ofMinutes(2) : pullTimeout;
    }
}
