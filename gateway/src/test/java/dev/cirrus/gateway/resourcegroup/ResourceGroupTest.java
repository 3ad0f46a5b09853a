package dev.cirrus.gateway.resourcegroup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;

import dev.cirrus.contracts.events.EventTypes;
import dev.cirrus.plumbing.arm.ArmException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class ResourceGroupTest {

    static final String SUB = "0b1f6c2e-3a4d-4e5f-8a9b-0c1d2e3f4a5b";

    static ResourceGroupDefinition in(String location) {
        return new ResourceGroupDefinition(location, Map.of(), null);
    }

    @ParameterizedTest
    @ValueSource(strings = {"rg", "RG-1", "my_group", "(paren)", "dots.in.name", "Gruppe-Ü", "日本", "a"})
    void acceptsNamesArmAccepts(String name) {
        assertThat(ResourceGroup.create(SUB, name, in("westus")).group().name()).isEqualTo(name);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "ends.", "has space", "a*b", "a/b", "a#b", "a%b",
            "nnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnn"})
    void refusesNamesArmRefuses(String name) {
        assertThatThrownBy(() -> ResourceGroup.create(SUB, name, in("westus")))
                .isInstanceOfSatisfying(ArmException.class, e -> {
                    assertThat(e.status()).isEqualTo(400);
                    assertThat(e.error().code()).isEqualTo("InvalidResourceGroupName");
                });
    }

    @ParameterizedTest
    @CsvSource({"West US, westus", "westus, westus", "West us, westus", " East  US 2 , eastus2", "KOREACENTRAL, koreacentral"})
    void locationsAreComparedTheWayArmDoes(String given, String normalised) {
        ResourceGroup.Change created = ResourceGroup.create(SUB, "rg", in(given));

        assertThat(created.group().location()).isEqualTo(normalised);
        assertThat(created.created()).isTrue();
        assertThat(created.eventType()).isEqualTo(EventTypes.RESOURCE_GROUP_WRITTEN);
        assertThat(created.group().update("RG", in(normalised.toUpperCase())).group().location()).isEqualTo(normalised);
    }

    @Test
    void aPutCannotMoveAGroup() {
        ResourceGroup group = ResourceGroup.create(SUB, "rg", in("westus")).group();

        assertThatThrownBy(() -> group.update("rg", in("East US")))
                .isInstanceOfSatisfying(ArmException.class, e -> {
                    assertThat(e.status()).isEqualTo(409);
                    assertThat(e.error().code()).isEqualTo("InvalidResourceGroupLocation");
                    assertThat(e.error().message()).isEqualTo("Invalid resource group location 'East US'. "
                            + "The Resource group already exists in location 'westus'.");
                });
    }

    @Test
    void aPutReplacesTagsAndManagedByAndTakesTheCasingSupplied() {
        ResourceGroup group = ResourceGroup.create(SUB, "rg",
                new ResourceGroupDefinition("westus", Map.of("a", "1"), "owner")).group();

        ResourceGroup.Change updated = group.update("Rg", new ResourceGroupDefinition("westus", Map.of("b", "2"), null));

        assertThat(updated.created()).isFalse();
        assertThat(updated.group()).isEqualTo(new ResourceGroup(SUB, "Rg", "westus", Map.of("b", "2"), null));
        assertThat(updated.group().id()).isEqualTo("/subscriptions/" + SUB + "/resourceGroups/Rg");
    }

    @Test
    void aPatchChangesOnlyWhatItNames() {
        ResourceGroup group = ResourceGroup.create(SUB, "rg",
                new ResourceGroupDefinition("westus", Map.of("a", "1", "b", "2"), "owner")).group();

        assertThat(group.patch("rg", new ResourceGroupPatch(null, Map.of("c", "3"), false, null)).group())
                .isEqualTo(new ResourceGroup(SUB, "rg", "westus", Map.of("c", "3"), "owner"));
        assertThat(group.patch("rg", new ResourceGroupPatch(null, null, true, null)).group())
                .isEqualTo(new ResourceGroup(SUB, "rg", "westus", Map.of("a", "1", "b", "2"), null));
        assertThat(group.patch("rg", new ResourceGroupPatch("West US", Map.of(), false, null)).group().tags()).isEmpty();
        assertThatThrownBy(() -> group.patch("rg", new ResourceGroupPatch("eastus", null, false, null)))
                .isInstanceOf(ArmException.class).hasMessageContaining("InvalidResourceGroupLocation");
    }

    @Test
    void deletingAGroupCausesItsDeletedEvent() {
        ResourceGroup group = ResourceGroup.create(SUB, "rg", in("westus")).group();

        assertThat(group.delete().eventType()).isEqualTo(EventTypes.RESOURCE_GROUP_DELETED);
    }
}
