package dev.cirrus.appservice.plan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import dev.cirrus.contracts.arm.ArmErrorException;
import dev.cirrus.contracts.events.EventTypes;
import org.assertj.core.api.ThrowableAssert;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/** The plan's rules as plain Java: every tier's limits, on creation and again on every change. */
class AppServicePlanTest {

    static final Instant T0 = Instant.parse("2026-12-06T10:00:00Z");
    static final String ID = "/subscriptions/s1/resourceGroups/rg/providers/Microsoft.Web/serverfarms/plan1";
    static final String ASE = "/subscriptions/s1/resourceGroups/rg/providers/Microsoft.Web/hostingEnvironments/ase1";

    static AppServicePlan.Settings sku(PlanSku sku, Integer capacity) {
        return new AppServicePlan.Settings(null, sku, capacity, null, null, null,
                sku.tier().isolated() ? ASE : null, Map.of());
    }

    static AppServicePlan.Transition create(AppServicePlan.Settings settings) {
        return AppServicePlan.create(ID, "s1", "rg", "plan1", "westeurope", settings, 0, T0, "\"e1\"");
    }

    static AppServicePlan plan(PlanSku sku, int capacity) {
        return create(sku(sku, capacity)).plan();
    }

    static ArmErrorException refusal(ThrowableAssert.ThrowingCallable call) {
        Throwable t = org.assertj.core.api.Assertions.catchThrowable(call);
        assertThat(t).isInstanceOf(ArmErrorException.class);
        return (ArmErrorException) t;
    }

    static Stream<PlanSku> dedicatedAndElastic() {
        return Arrays.stream(PlanSku.values()).filter(s -> s.tier() != PlanSku.Tier.DYNAMIC);
    }

    @ParameterizedTest
    @MethodSource("dedicatedAndElastic")
    void everyTierRunsUpToItsMaximumInstancesAndRefusesOneMore(PlanSku sku) {
        int max = sku.tier().maxInstances();
        AppServicePlan.Transition t = create(sku(sku, max));
        assertThat(t.plan().capacity()).isEqualTo(max);
        assertThat(t.events()).singleElement().satisfies(e -> {
            assertThat(e.type()).isEqualTo(EventTypes.APP_SERVICE_PLAN_WRITTEN);
            assertThat(e.data().skuName()).isEqualTo(sku.name());
            assertThat(e.data().capacity()).isEqualTo(max);
        });

        ArmErrorException tooMany = refusal(() -> create(sku(sku, max + 1)));
        assertThat(tooMany.status()).isEqualTo(400);
        assertThat(tooMany.error().target()).isEqualTo("sku.capacity");
        assertThat(refusal(() -> create(sku(sku, 0))).error().target()).isEqualTo("sku.capacity");
    }

    @Test
    void theTiersCarryTheDocumentedInstanceMaximums() {
        assertThat(Map.of(PlanSku.F1, 1, PlanSku.D1, 1, PlanSku.B3, 3, PlanSku.S1, 10, PlanSku.P1v2, 30,
                PlanSku.P0v3, 30, PlanSku.P1mv3, 30, PlanSku.I1v2, 100, PlanSku.EP1, 20))
                .allSatisfy((sku, max) -> assertThat(sku.tier().maxInstances()).as(sku.name()).isEqualTo(max));
        assertThat(PlanSku.byName("p1V3")).contains(PlanSku.P1v3);
        assertThat(PlanSku.byName("P4v3")).isEmpty();
    }

    @Test
    void aStandardPlanWithThreeWorkersCannotMoveDownToFree() {
        AppServicePlan s1 = plan(PlanSku.S1, 3);

        ArmErrorException refused = refusal(() -> s1.update(null, sku(PlanSku.F1, null), 0, T0, "\"e2\""));

        assertThat(refused.status()).isEqualTo(400);
        assertThat(refused.error().target()).isEqualTo("sku.capacity");
        assertThat(refused.getMessage()).contains("Free").contains("(3)");
        AppServicePlan moved = s1.update(null, sku(PlanSku.F1, 1), 0, T0, "\"e2\"").plan();
        assertThat(moved.sku()).isEqualTo(PlanSku.F1);
        assertThat(moved.etag()).isEqualTo("\"e2\"");
    }

    @Test
    void aPlanWithMoreAppsThanATierHoldsCannotMoveToIt() {
        AppServicePlan b1 = plan(PlanSku.B1, 1);

        ArmErrorException refused = refusal(() -> b1.update(null, sku(PlanSku.F1, null), 11, T0, "\"e2\""));

        assertThat(refused.status()).isEqualTo(409);
        assertThat(refused.getMessage()).contains("11 apps").contains("at most 10");
        assertThat(b1.update(null, sku(PlanSku.F1, null), 10, T0, "\"e2\"").plan().sku()).isEqualTo(PlanSku.F1);
        assertThat(b1.update(null, sku(PlanSku.D1, null), 100, T0, "\"e2\"").plan().sku()).isEqualTo(PlanSku.D1);
    }

    @Test
    void linuxPlansExistOnEveryTierButShared() {
        AppServicePlan.Settings linuxShared = new AppServicePlan.Settings(null, PlanSku.D1, null, true, null, null,
                null, Map.of());
        assertThat(refusal(() -> create(linuxShared)).error().target()).isEqualTo("properties.reserved");
        AppServicePlan linuxFree = create(new AppServicePlan.Settings(null, PlanSku.F1, null, true, null, null, null,
                Map.of())).plan();
        assertThat(linuxFree.reserved()).isTrue();
        assertThat(linuxFree.kind()).isEqualTo("linux");
        assertThat(refusal(() -> linuxFree.update(null, sku(PlanSku.D1, null), 0, T0, "\"e2\"")).error().target())
                .isEqualTo("properties.reserved");
        assertThat(refusal(() -> linuxFree.update(null, new AppServicePlan.Settings(null, null, null, false, null,
                null, null, null), 0, T0, "\"e2\"")).status()).as("the operating system is fixed").isEqualTo(409);
    }

    @Test
    void aConsumptionPlanHasNoInstancesOfItsOwnWhateverIsAsked() {
        AppServicePlan y1 = plan(PlanSku.Y1, 5);

        assertThat(y1.capacity()).isZero();
        assertThat(y1.kind()).isEqualTo("functionapp");
        assertThat(y1.maximumNumberOfWorkers()).isEqualTo(200);
        assertThat(y1.update(null, sku(PlanSku.Y1, 3), 0, T0, "\"e2\"").events()).as("nothing changed").isEmpty();
    }

    @Test
    void functionsPlansChangeOnlyWithinTheirOwnTier() {
        AppServicePlan ep1 = plan(PlanSku.EP1, 1);
        assertThat(ep1.update(null, sku(PlanSku.EP3, null), 0, T0, "\"e2\"").plan().sku()).isEqualTo(PlanSku.EP3);
        assertThat(refusal(() -> ep1.update(null, sku(PlanSku.S1, null), 0, T0, "\"e2\"")).error().target())
                .isEqualTo("sku.name");
        assertThat(refusal(() -> plan(PlanSku.Y1, 0).update(null, sku(PlanSku.EP1, 1), 0, T0, "\"e2\"")).status())
                .isEqualTo(400);
        assertThat(refusal(() -> plan(PlanSku.S1, 1).update(null, sku(PlanSku.Y1, null), 0, T0, "\"e2\"")).status())
                .isEqualTo(400);
    }

    @Test
    void anElasticPremiumPlanBurstsFromItsInstancesUpToAHundred() {
        AppServicePlan ep = plan(PlanSku.EP2, 3);
        assertThat(ep.maximumElasticWorkerCount()).as("defaults to its instances").isEqualTo(3);
        assertThat(ep.elasticScaleEnabled()).isTrue();

        AppServicePlan.Settings bursting = new AppServicePlan.Settings(null, null, null, null, null, 40, null, null);
        assertThat(ep.update(null, bursting, 0, T0, "\"e2\"").plan().maximumElasticWorkerCount()).isEqualTo(40);
        for (int bad : List.of(2, 101)) {
            AppServicePlan.Settings s = new AppServicePlan.Settings(null, null, null, null, null, bad, null, null);
            assertThat(refusal(() -> ep.update(null, s, 0, T0, "\"e2\"")).error().target())
                    .isEqualTo("properties.maximumElasticWorkerCount");
        }
        assertThat(plan(PlanSku.S1, 2).maximumElasticWorkerCount()).as("not elastic").isEqualTo(1);
    }

    @ParameterizedTest
    @EnumSource(value = PlanSku.class, names = {"I1v2", "I6v2"})
    void anIsolatedPlanRunsInAnAppServiceEnvironmentAndNoOtherDoes(PlanSku isolated) {
        AppServicePlan.Settings withoutAse = new AppServicePlan.Settings(null, isolated, 1, null, null, null, null,
                Map.of());
        assertThat(refusal(() -> create(withoutAse)).error().target()).isEqualTo("properties.hostingEnvironmentProfile.id");
        assertThat(plan(isolated, 100).hostingEnvironmentId()).isEqualTo(ASE);
        AppServicePlan.Settings standardInAse = new AppServicePlan.Settings(null, PlanSku.S1, 1, null, null, null, ASE,
                Map.of());
        assertThat(refusal(() -> create(standardInAse)).status()).isEqualTo(400);
    }

    @Test
    void anUpdateThatChangesNothingPublishesNothingAndKeepsTheEtag() {
        AppServicePlan p = plan(PlanSku.B2, 2);

        AppServicePlan.Transition same = p.update("westeurope", sku(PlanSku.B2, 2), 0, T0.plusSeconds(5), "\"e2\"");

        assertThat(same.events()).isEmpty();
        assertThat(same.plan()).isEqualTo(p);
        assertThat(refusal(() -> p.update("eastus", sku(PlanSku.B2, 2), 0, T0, "\"e2\"")).status()).isEqualTo(409);
    }

    @Test
    void aPlanWithAppsOnItCannotBeDeletedAndADeletionStopsItsMeter() {
        AppServicePlan p = plan(PlanSku.S1, 2);

        ArmErrorException refused = refusal(() -> p.delete(List.of("func1", "func2"), T0));

        assertThat(refused.status()).isEqualTo(409);
        assertThat(refused.getMessage()).contains("Server farm 'plan1' cannot be deleted because it has web app(s) "
                + "func1,func2 assigned to it.");
        AppServicePlan.Transition deleted = p.delete(List.of(), T0);
        assertThat(deleted.events()).singleElement().satisfies(e -> {
            assertThat(e.type()).isEqualTo(EventTypes.APP_SERVICE_PLAN_DELETED);
            assertThat(e.data().capacity()).isZero();
        });
        assertThatThrownBy(() -> plan(PlanSku.F1, 1).delete(List.of("a"), T0)).isInstanceOf(ArmErrorException.class);
    }
}
