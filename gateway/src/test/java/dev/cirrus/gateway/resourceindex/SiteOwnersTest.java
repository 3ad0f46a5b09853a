package dev.cirrus.gateway.resourceindex;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.Map;
import java.util.UUID;

import dev.cirrus.gateway.support.TestDatabase;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The owner of a host's site: the site the label names, or for a deployment slot's host {@code {app}-{slot}} the
 * app's owner (the longest prefix before a hyphen that names a site), with the site's kind deciding (a web app's
 * host goes to app-service, a function app's to serverless); a label naming nothing is serverless's.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class SiteOwnersTest {

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        TestDatabase.withoutKafka(registry, "gateway_site_owners");
    }

    @Autowired
    ResourceIndex index;

    @Autowired
    SiteOwners owners;

    private final String sub = UUID.randomUUID().toString();
    private final String suffix = UUID.randomUUID().toString().substring(0, 6);

    private void site(String name, String owner, String kind) {
        index.put("/subscriptions/" + sub + "/resourceGroups/rg1/providers/Microsoft.Web/sites/" + name,
                "Microsoft.Web/sites", owner, "westeurope", kind, Map.of(), Instant.now());
    }

    @Test
    void aSlotsHostBelongsToItsAppsOwner() {
        site("web" + suffix, "app-service", "app,linux");

        assertThat(owners.lookUp("web" + suffix)).isEqualTo("app-service");
        assertThat(owners.lookUp("web" + suffix + "-staging")).isEqualTo("app-service");
    }

    @Test
    void theLongestPrefixThatNamesASiteDecidesForAHyphenatedAppName() {
        site("my-" + suffix, "serverless", "functionapp");
        site("my-" + suffix + "-shop", "app-service", "app");

        assertThat(owners.lookUp("my-" + suffix + "-shop-blue")).isEqualTo("app-service");
        assertThat(owners.lookUp("my-" + suffix + "-other")).isEqualTo("serverless");
    }

    @Test
    void aLabelThatNamesASiteWinsOverItsPrefix() {
        site("api" + suffix, "app-service", "app");
        site("api" + suffix + "-fn", "serverless", "functionapp");

        assertThat(owners.lookUp("api" + suffix + "-fn")).isEqualTo("serverless");
    }

    @Test
    void aHostNamingNoSiteNorAnAppsSlotIsServerlesss() {
        assertThat(owners.lookUp("nothing" + suffix + "-here")).isEqualTo("serverless");
        assertThat(owners.lookUp("plain" + suffix)).isEqualTo("serverless");
    }
}
