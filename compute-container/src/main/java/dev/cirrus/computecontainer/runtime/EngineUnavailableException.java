package dev.cirrus.computecontainer.runtime;

/** No Docker engine answers: container groups cannot run. The message says how to give Cirrus one. */
public class EngineUnavailableException extends RuntimeException {

    public static final String CODE = "DockerEngineUnavailable";

    public EngineUnavailableException(String host, Throwable cause) {
        super("No Docker engine answers at " + host + ": Cirrus runs container groups as containers on a Docker "
                + "engine. Start one (for example 'dockerd', or Docker Desktop), point DOCKER_HOST or "
                + "cirrus.container.docker.host at its socket (e.g. unix:///var/run/docker.sock), and create or start "
                + "the container group again. compute-container/README.md says more.", cause);
    }
}
