package dev.cirrus.appservice.site;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.time.Instant;
import java.util.Map;

import dev.cirrus.contracts.arm.ArmErrorException;
import dev.cirrus.contracts.events.EventTypes;
import org.junit.jupiter.api.Test;

/** The web app's transitions as plain Java: the events each causes, and what they refuse. */
class SiteTest {

    static final Instant T0 = Instant.parse("2026-12-06T10:00:00Z");
    static final String PLAN = "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Web/serverfarms/p";

    static Site.Desired desired(Map<String, String> settings) {
        return new Site.Desired("app,linux", PLAN, false, true, SiteConfigs.defaults(true), settings, Map.of(),
                Site.SlotConfigNames.NONE, true, true, Map.of());
    }

    static Site created() {
        return Site.create("/subscriptions/s/resourceGroups/rg/providers/Microsoft.Web/sites/Web1", "s", "rg", "Web1",
                "westeurope", desired(Map.of()), "pw", T0, "\"e1\"").site();
    }

    @Test
    void aNewSiteRunsAndAnnouncesItselfWithItsKindAndPlan() {
        Site.Transition t = Site.create("/subscriptions/s/resourceGroups/rg/providers/Microsoft.Web/sites/Web1", "s",
                "rg", "Web1", "westeurope", desired(Map.of()), "pw", T0, "\"e1\"");

        assertThat(t.site().running()).isTrue();
        assertThat(t.site().key()).isEqualTo("/subscriptions/s/resourcegroups/rg/providers/microsoft.web/sites/web1");
        assertThat(t.site().linux()).isTrue();
        assertThat(t.events()).singleElement().satisfies(e -> {
            assertThat(e.type()).isEqualTo(EventTypes.WEB_APP_WRITTEN);
            assertThat(e.data().kind()).isEqualTo("app,linux");
            assertThat(e.data().serverFarmId()).isEqualTo(PLAN);
        });
    }

    @Test
    void anUpdateThatChangesNothingPublishesNothingAndKeepsTheEtag() {
        Site site = created();

        Site.Transition same = site.update("westeurope", site.desired(), T0.plusSeconds(5), "\"e2\"");

        assertThat(same.events()).isEmpty();
        assertThat(same.site().etag()).isEqualTo("\"e1\"");
        Site.Transition changed = site.update(null, desired(Map.of("A", "1")), T0.plusSeconds(5), "\"e2\"");
        assertThat(changed.events()).extracting(Site.Event::type).containsExactly(EventTypes.WEB_APP_WRITTEN);
        assertThat(changed.site().appSettings()).containsEntry("A", "1");
        assertThat(changed.site().etag()).isEqualTo("\"e2\"");
    }

    @Test
    void theLocationNeverChanges() {
        ArmErrorException refused = catchThrowableOfType(ArmErrorException.class,
                () -> created().update("eastus", created().desired(), T0, "\"e2\""));

        assertThat(refused.status()).isEqualTo(409);
        assertThat(refused.error().code()).isEqualTo("InvalidResourceLocation");
    }

    @Test
    void stopAndStartEachChangeTheStateOnceAndADeploymentNamesItsOutcome() {
        Site stopped = created().stop(T0, "\"e2\"").site();

        assertThat(stopped.running()).isFalse();
        assertThat(stopped.stop(T0, "\"e3\"").events()).isEmpty();
        Site.Transition started = stopped.start(T0, "\"e4\"");
        assertThat(started.events()).extracting(Site.Event::type).containsExactly(EventTypes.WEB_APP_STARTED);
        Site.Transition deployed = started.site().deployed("d1", true, T0);
        assertThat(deployed.site().activeDeployment()).isEqualTo("d1");
        assertThat(deployed.events().getFirst().data().deploymentStatus()).isEqualTo("Success");
        Site.Transition failed = deployed.site().deployed("d2", false, T0);
        assertThat(failed.site().activeDeployment()).as("a failed deployment changes no content").isEqualTo("d1");
        assertThat(failed.events().getFirst().data().deploymentStatus()).isEqualTo("Failed");
        assertThat(created().delete(T0)).extracting(Site.Event::type).containsExactly(EventTypes.WEB_APP_DELETED);
    }
}
