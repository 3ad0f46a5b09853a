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

    @Test
    void aSlotKnowsItsAppAndAnnouncesItselfWithTheSlotsEventTypes() {
        Site.Transition t = Site.create("/subscriptions/s/resourceGroups/rg/providers/Microsoft.Web/sites/Web1/slots/"
                + "Staging", "s", "rg", "Web1-Staging", "westeurope", desired(Map.of()), "pw", T0, "\"e1\"");
        Site slot = t.site();

        assertThat(slot.isSlot()).isTrue();
        assertThat(slot.appName()).isEqualTo("Web1");
        assertThat(slot.slotName()).isEqualTo("Staging");
        assertThat(slot.armName()).isEqualTo("Web1/Staging");
        assertThat(slot.appKey()).isEqualTo("/subscriptions/s/resourcegroups/rg/providers/microsoft.web/sites/web1");
        assertThat(t.events()).singleElement().satisfies(e -> {
            assertThat(e.type()).isEqualTo(EventTypes.WEB_APP_SLOT_WRITTEN);
            assertThat(e.data().name()).isEqualTo("Web1/Staging");
        });
        assertThat(slot.stop(T0, "\"e2\"").events().getFirst().type()).isEqualTo(EventTypes.WEB_APP_SLOT_STOPPED);
        assertThat(slot.delete(T0).getFirst().type()).isEqualTo(EventTypes.WEB_APP_SLOT_DELETED);
        assertThat(created().isSlot()).isFalse();
        assertThat(created().slotName()).isEqualTo("production");
        assertThat(created().armName()).isEqualTo("Web1");
    }

    @Test
    void aSwapMovesTheSettingsThatAreNotStickyAndKeepsTheStickyOnes() {
        Map<String, String> production = Map.of("COLOR", "blue", "DB", "prod-db", "OLD", "x");
        Map<String, String> staging = Map.of("COLOR", "green", "DB", "test-db", "NEW", "y");

        Map<String, String> nextProduction = Slots.merge(staging, production, java.util.List.of("DB"));
        Map<String, String> nextStaging = Slots.merge(production, staging, java.util.List.of("DB"));

        assertThat(nextProduction).containsOnly(Map.entry("COLOR", "green"), Map.entry("NEW", "y"),
                Map.entry("DB", "prod-db"));
        assertThat(nextStaging).containsOnly(Map.entry("COLOR", "blue"), Map.entry("OLD", "x"),
                Map.entry("DB", "test-db"));
    }
}
