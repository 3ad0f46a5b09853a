package dev.cirrus.computecontainer.runtime;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The Docker engine client. The service starts without an engine too: it says so once here, and every create or
 * start of a group then ends Failed with {@link EngineUnavailableException}'s message (how to give Cirrus one).
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(DockerProperties.class)
class RuntimeConfiguration {

    private static final Logger log = LoggerFactory.getLogger(RuntimeConfiguration.class);

    @Bean(destroyMethod = "close")
    DockerEngine dockerEngine(DockerProperties properties) {
        DockerEngine engine = new DockerEngine(properties);
        if (engine.answers()) {
            log.info("container groups run on the Docker engine at {} (containers labelled {}={})", engine.host(),
                    DockerEngine.OWNER, engine.owner());
        } else {
            log.warn("no Docker engine answers at {}: container groups will fail until one does (set DOCKER_HOST or "
                    + "cirrus.container.docker.host)", engine.host());
        }
        return engine;
    }
}
