package dev.cirrus.gateway.sdk;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.UUID;

import com.azure.core.management.Region;
import com.azure.resourcemanager.AzureResourceManager;
import com.azure.resourcemanager.storage.models.CheckNameAvailabilityResult;
import com.azure.resourcemanager.storage.models.Reason;
import com.azure.resourcemanager.storage.models.StorageAccount;
import com.azure.resourcemanager.storage.models.StorageAccountKey;
import com.azure.resourcemanager.storage.models.StorageAccountSkuType;
import dev.cirrus.gateway.identity.GatewayData;
import dev.cirrus.gateway.support.AzureSdk;
import dev.cirrus.gateway.support.ChildService;
import dev.cirrus.gateway.support.FakeService;
import dev.cirrus.gateway.support.Gateway;
import dev.cirrus.gateway.support.TestDatabase;
import dev.cirrus.gateway.tls.HttpsListener;
import dev.cirrus.testkit.TestInfrastructure;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Storage accounts with the official Azure SDK for Java (azure-resourcemanager-storage) through the real gateway to
 * the real serverless service (its executable jar as a child process): define and create, keys, key regeneration,
 * the name check, lists, deletion; the resource index knows the account from its routed PUT.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class StorageAccountSdkTest {

    static final int serverlessPort = FakeService.freePort();
    /** the services not run here answer as a service that lists nothing */
    static final FakeService otherServices = FakeService.start();
    static ChildService serverless;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        TestDatabase.withoutKafka(registry, "gateway_storage_sdk");
        registry.add("cirrus.gateway.services.serverless", () -> "http://127.0.0.1:" + serverlessPort);
        registry.add("cirrus.gateway.resource-group-deletion.poll-interval", () -> "200ms");
        for (String module : new String[] {"compute-vm", "compute-container", "app-service", "billing"}) {
            registry.add("cirrus.gateway.services." + module, () -> otherServices.url().toString());
        }
    }

    @BeforeAll
    static void startServerless() {
        TestInfrastructure.PostgresEndpoint pg = TestInfrastructure.postgres();
        serverless = ChildService.start("serverless", serverlessPort,
                "--spring.datasource.url=" + pg.newDatabase("gw_storage_serverless"),
                "--spring.datasource.username=" + pg.username(), "--spring.datasource.password=" + pg.password(),
                "--cirrus.kafka.bootstrap-servers=");
    }

    @AfterAll
    static void stop() {
        otherServices.close();
        if (serverless != null) {
            serverless.close();
        }
    }

    @LocalServerPort
    int port;

    @Autowired
    GatewayData data;

    @Autowired
    HttpsListener https;

    @Test
    void theJavaSdkCreatesReadsKeysChecksNamesListsAndDeletesAStorageAccount() {
        AzureResourceManager azure = AzureSdk.signedIn(data, https.port());
        String group = "storage-sdk-rg";
        String name = "sdk" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        azure.resourceGroups().define(group).withRegion(Region.EUROPE_WEST).create();

        CheckNameAvailabilityResult before = azure.storageAccounts().checkNameAvailability(name);
        assertThat(before.isAvailable()).isTrue();

        StorageAccount account = azure.storageAccounts().define(name)
                .withRegion(Region.EUROPE_WEST)
                .withExistingResourceGroup(group)
                .withSku(StorageAccountSkuType.STANDARD_LRS)
                .withGeneralPurposeAccountKindV2()
                .withTag("made-by", "azure-sdk-for-java")
                .create();

        assertThat(account.name()).isEqualTo(name);
        assertThat(account.regionName()).isEqualTo("westeurope");
        assertThat(account.skuType().name()).isEqualTo(StorageAccountSkuType.STANDARD_LRS.name());
        assertThat(account.kind().toString()).isEqualTo("StorageV2");
        assertThat(account.tags()).containsEntry("made-by", "azure-sdk-for-java");
        assertThat(account.endPoints().primary().blob()).isEqualTo("http://127.0.0.1:10000/" + name + "/");

        List<StorageAccountKey> keys = account.getKeys();
        assertThat(keys).extracting(StorageAccountKey::keyName).containsExactly("key1", "key2");
        String key1 = keys.get(0).value();
        List<StorageAccountKey> renewed = account.regenerateKey("key1");
        assertThat(renewed.get(0).value()).isNotEqualTo(key1);
        assertThat(renewed.get(1).value()).isEqualTo(keys.get(1).value());

        CheckNameAvailabilityResult taken = azure.storageAccounts().checkNameAvailability(name);
        assertThat(taken.isAvailable()).isFalse();
        assertThat(taken.reason()).isEqualTo(Reason.ALREADY_EXISTS);
        CheckNameAvailabilityResult invalid = azure.storageAccounts().checkNameAvailability("Not-Valid");
        assertThat(invalid.isAvailable()).isFalse();
        assertThat(invalid.reason()).isEqualTo(Reason.ACCOUNT_NAME_INVALID);

        assertThat(azure.storageAccounts().listByResourceGroup(group).stream().map(StorageAccount::name))
                .containsExactly(name);
        assertThat(azure.storageAccounts().list().stream().map(StorageAccount::name)).contains(name);
        Gateway arm = Gateway.admin(port, data);
        assertThat(Gateway.json(arm.get("/subscriptions/" + AzureSdk.subscription(data) + "/resourceGroups/" + group
                + "/resources?api-version=2021-04-01")).path("value")).extracting(r -> r.path("name").asString())
                .contains(name);

        azure.storageAccounts().deleteByResourceGroup(group, name);
        assertThat(azure.storageAccounts().listByResourceGroup(group).stream().count()).isZero();
        assertThat(azure.storageAccounts().checkNameAvailability(name).isAvailable()).isTrue();
    }

    @Test
    void deletingTheResourceGroupDeletesItsStorageAccounts() {
        AzureResourceManager azure = AzureSdk.signedIn(data, https.port());
        String group = "storage-doomed-rg";
        String name = "doomed" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        azure.resourceGroups().define(group).withRegion(Region.US_EAST).create();
        azure.storageAccounts().define(name).withRegion(Region.US_EAST).withExistingResourceGroup(group)
                .withSku(StorageAccountSkuType.STANDARD_GRS).withGeneralPurposeAccountKindV2().create();

        azure.resourceGroups().deleteByName(group);

        assertThat(azure.resourceGroups().contain(group)).isFalse();
        assertThat(azure.storageAccounts().checkNameAvailability(name).isAvailable())
                .as("the account went with its group").isTrue();
    }
}
