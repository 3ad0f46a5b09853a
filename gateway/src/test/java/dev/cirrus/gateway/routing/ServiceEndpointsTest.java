package dev.cirrus.gateway.routing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.util.Map;

import dev.cirrus.gateway.provider.ProviderRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.SystemEnvironmentPropertySource;

class ServiceEndpointsTest {

    static final URI OK = URI.create("http://127.0.0.1:8081");

    @Test
    void everyServiceHasItsBaseUrl() {
        ServiceEndpoints endpoints = new ServiceEndpoints(OK, URI.create("http://127.0.0.1:8082/"),
                URI.create("https://app-service:8443"), URI.create("http://serverless:8084"), URI.create("http://billing"));

        assertThat(endpoints.byModule()).containsOnlyKeys("compute-vm", "compute-container", "app-service",
                "serverless", "billing");
        assertThat(endpoints.byModule().get("app-service")).isEqualTo(URI.create("https://app-service:8443"));
    }

    @Test
    void bindsFromCommandLinePropertiesAsTheLauncherPassesThem() {
        var source = new MapPropertySource("args", Map.of(
                "cirrus.gateway.services.compute-vm", "http://127.0.0.1:8081",
                "cirrus.gateway.services.compute-container", "http://127.0.0.1:8082",
                "cirrus.gateway.services.app-service", "http://127.0.0.1:8083",
                "cirrus.gateway.services.serverless", "http://127.0.0.1:8084",
                "cirrus.gateway.services.billing", "http://127.0.0.1:8085"));

        ServiceEndpoints endpoints = new Binder(ConfigurationPropertySources.from(source))
                .bind("cirrus.gateway.services", ServiceEndpoints.class).get();

        assertThat(endpoints.computeContainer()).isEqualTo(URI.create("http://127.0.0.1:8082"));
    }

    @Test
    void bindsFromEnvironmentVariablesAsDockerComposeSetsThem() {
        var source = new SystemEnvironmentPropertySource("env", Map.of(
                "CIRRUS_GATEWAY_SERVICES_COMPUTE_VM", "http://compute-vm:8081",
                "CIRRUS_GATEWAY_SERVICES_COMPUTE_CONTAINER", "http://compute-container:8082",
                "CIRRUS_GATEWAY_SERVICES_APP_SERVICE", "http://app-service:8083",
                "CIRRUS_GATEWAY_SERVICES_SERVERLESS", "http://serverless:8084",
                "CIRRUS_GATEWAY_SERVICES_BILLING", "http://billing:8085"));

        ServiceEndpoints endpoints = new Binder(ConfigurationPropertySources.from(source))
                .bind("cirrus.gateway.services", ServiceEndpoints.class).get();

        assertThat(endpoints.byModule().get("compute-vm")).isEqualTo(URI.create("http://compute-vm:8081"));
        assertThat(endpoints.byModule().get("app-service")).isEqualTo(URI.create("http://app-service:8083"));
    }

    @Test
    void aMissingServiceStopsTheStartWithThePropertyToSet() {
        assertThatThrownBy(() -> new ServiceEndpoints(OK, OK, OK, null, OK))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("cirrus.gateway.services.serverless is required");
    }

    @ParameterizedTest
    @ValueSource(strings = {"ftp://host:21", "http://host:8081/api", "http://host:8081?x=1", "host:8081", "/relative"})
    void aUrlTheGatewayCouldNotRouteToStopsTheStart(String url) {
        assertThatThrownBy(() -> new ServiceEndpoints(URI.create(url), OK, OK, OK, OK))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("cirrus.gateway.services.compute-vm=" + url);
    }

    @ParameterizedTest
    @CsvSource({"Microsoft.Compute, compute-vm", "microsoft.compute, compute-vm", "MICROSOFT.BATCH, compute-vm",
            "Microsoft.ContainerInstance, compute-container", "microsoft.containerservice, compute-container",
            "Microsoft.Web, app-service", "Microsoft.Logic, serverless", "Microsoft.Storage, serverless", "Microsoft.Consumption, billing",
            "microsoft.costmanagement, billing"})
    void eachNamespaceHasOneOwner(String namespace, String module) {
        assertThat(ProviderRegistry.defaults().provider(namespace).orElseThrow().owner()).isEqualTo(module);
    }

    @Test
    void namespacesNoServiceOwnsHaveNoOwner() {
        assertThat(ProviderRegistry.defaults().provider("Microsoft.Maps")).isEmpty();
        assertThat(ProviderRegistry.defaults().provider("Microsoft.Compute2")).isEmpty();
    }
}
