package dev.cirrus.serverless.sdk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import java.util.stream.StreamSupport;

import com.azure.core.http.HttpClient;
import com.azure.core.http.HttpHeaderName;
import com.azure.core.http.HttpHeaders;
import com.azure.core.http.HttpPipelineBuilder;
import com.azure.core.http.policy.AddHeadersPolicy;
import com.azure.core.management.AzureEnvironment;
import com.azure.core.management.exception.ManagementException;
import com.azure.core.management.profile.AzureProfile;
import com.azure.resourcemanager.appservice.AppServiceManager;
import com.azure.resourcemanager.appservice.fluent.WebAppsClient;
import com.azure.resourcemanager.appservice.fluent.models.FunctionEnvelopeInner;
import com.azure.resourcemanager.appservice.fluent.models.GeoRegionInner;
import com.azure.resourcemanager.appservice.fluent.models.KeyInfoInner;
import com.azure.resourcemanager.appservice.fluent.models.SiteConfigResourceInner;
import com.azure.resourcemanager.appservice.fluent.models.SiteInner;
import com.azure.resourcemanager.appservice.fluent.models.StringDictionaryInner;
import dev.cirrus.serverless.support.EndToEndTest;
import dev.cirrus.testkit.ServiceCredentials;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The official Azure SDK for Java (azure-resourcemanager-appservice) driving this service's Microsoft.Web API
 * directly (plain HTTP, so no bearer token: the gateway's sign-in is not what this test is about). Each call fails
 * here if a status code or a shape is not what the SDK accepts.
 */
class AppServiceSdkTest extends EndToEndTest {

    private WebAppsClient webApps;
    private AppServiceManager manager;

    @BeforeEach
    void client() {
        AzureEnvironment local = new AzureEnvironment(Map.of(
                "resourceManagerEndpointUrl", "http://127.0.0.1:" + port + "/",
                "activeDirectoryEndpointUrl", "http://127.0.0.1:" + port + "/",
                "activeDirectoryGraphResourceId", "http://127.0.0.1:" + port + "/",
                "microsoftGraphResourceId", "http://127.0.0.1:" + port + "/"));
        manager = AppServiceManager.authenticate(new HttpPipelineBuilder().httpClient(HttpClient.createDefault())
                        // the SDK talks to the service directly here (the gateway's own SDK tests go through it):
                        // it carries the service credential the gateway would add
                        .policies(new AddHeadersPolicy(new HttpHeaders().set(
                                HttpHeaderName.fromString(ServiceCredentials.HEADER), ServiceCredentials.value())))
                        .build(),
                new AzureProfile("00000000-0000-0000-0000-000000000000", sub, local));
        webApps = manager.serviceClient().getWebApps();
    }

    @Test
    void theJavaSdkCreatesConfiguresKeysAndDeletesAFunctionApp() {
        String app = unique("sdk");
        SiteInner created = webApps.createOrUpdate("rg1", app, new SiteInner().withLocation("West Europe").withKind("functionapp"));
        assertThat(created.name()).isEqualTo(app);
        assertThat(created.location()).isEqualTo("westeurope");
        assertThat(created.defaultHostname()).isEqualTo(app + ".azurewebsites.localhost:8080");
        assertThat(webApps.getByResourceGroup("rg1", app).state()).isEqualTo("Running");
        List<String> listed = StreamSupport.stream(webApps.listByResourceGroup("rg1").spliterator(), false)
                .map(SiteInner::name).toList();
        assertThat(listed).contains(app);

        SiteConfigResourceInner config = webApps.getConfiguration("rg1", app);
        assertThat(config.alwaysOn()).isFalse();
        SiteConfigResourceInner updated = webApps.updateConfiguration("rg1", app,
                new SiteConfigResourceInner().withAlwaysOn(true).withFunctionAppScaleLimit(4));
        assertThat(updated.alwaysOn()).isTrue();
        assertThat(updated.functionAppScaleLimit()).isEqualTo(4);

        webApps.updateApplicationSettings("rg1", app, new StringDictionaryInner()
                .withProperties(Map.of("FUNCTIONS_WORKER_RUNTIME", "node", "GREETING", "hi")));
        assertThat(webApps.listApplicationSettings("rg1", app).properties()).containsEntry("GREETING", "hi");

        webApps.createFunction("rg1", app, "hello", new FunctionEnvelopeInner()
                .withConfig(Map.of("bindings", List.of(
                        Map.of("type", "httpTrigger", "direction", "in", "name", "req", "authLevel", "function"),
                        Map.of("type", "http", "direction", "out", "name", "$return"))))
                .withFiles(Map.of("index.js", "module.exports = async () => ({ body: 'hi from the sdk' });")));
        assertThat(StreamSupport.stream(webApps.listFunctions("rg1", app).spliterator(), false)).hasSize(1);

        String key = webApps.listFunctionKeys("rg1", app, "hello").properties().get("default");
        assertThat(key).isNotBlank();
        var secrets = webApps.listFunctionSecrets("rg1", app, "hello");
        assertThat(secrets.key()).isEqualTo(key);
        assertThat(secrets.triggerUrl()).isEqualTo("http://" + app + ".azurewebsites.localhost:8080/api/hello?code=" + key);

        KeyInfoInner ci = webApps.createOrUpdateFunctionSecret("rg1", app, "hello", "ci", new KeyInfoInner().withName("ci"));
        assertThat(ci.value()).isNotBlank();
        assertThat(webApps.listFunctionKeys("rg1", app, "hello").properties()).containsEntry("ci", ci.value());
        webApps.deleteFunctionSecret("rg1", app, "hello", "ci");
        assertThat(webApps.listFunctionKeys("rg1", app, "hello").properties()).doesNotContainKey("ci");

        KeyInfoInner shared = webApps.createOrUpdateHostSecret("rg1", app, "functionKeys", "shared",
                new KeyInfoInner().withName("shared"));
        var hostKeys = webApps.listHostKeys("rg1", app);
        assertThat(hostKeys.masterKey()).isNotBlank();
        assertThat(hostKeys.functionKeys()).containsEntry("shared", shared.value());
        webApps.deleteHostSecret("rg1", app, "functionKeys", "shared");
        assertThat(webApps.listHostKeys("rg1", app).functionKeys()).doesNotContainKey("shared");

        webApps.syncFunctionTriggers("rg1", app);
        webApps.stop("rg1", app);
        assertThat(webApps.getByResourceGroup("rg1", app).state()).isEqualTo("Stopped");
        webApps.start("rg1", app);
        webApps.deleteFunction("rg1", app, "hello");
        webApps.delete("rg1", app);
        assertThatThrownBy(() -> webApps.getByResourceGroup("rg1", app))
                .isInstanceOfSatisfying(ManagementException.class, e -> assertThat(e.getResponse().getStatusCode()).isEqualTo(404));
    }

    @Test
    void theJavaSdkReadsGeoRegionsAndFunctionAppStacks() {
        List<String> regions = StreamSupport.stream(manager.serviceClient().getResourceProviders().listGeoRegions().spliterator(), false)
                .map(GeoRegionInner::name).toList();
        assertThat(regions).contains("West Europe", "Korea Central");
        var stacks = StreamSupport.stream(manager.serviceClient().getProviders().getFunctionAppStacks().spliterator(), false).toList();
        assertThat(stacks).hasSize(1);
        assertThat(stacks.get(0).value()).isEqualTo("node");
        assertThat(stacks.get(0).majorVersions().get(0).minorVersions().get(0).stackSettings()
                .windowsRuntimeSettings().appSettingsDictionary()).containsEntry("FUNCTIONS_WORKER_RUNTIME", "node");
    }
}
