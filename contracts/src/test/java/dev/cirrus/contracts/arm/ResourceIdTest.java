package dev.cirrus.contracts.arm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ResourceIdTest {

    static final String SUB = "00000000-0000-0000-0000-000000000001";

    @Test
    void aChildResourceIdIsParsedIntoItsParts() {
        ResourceId id = ResourceId.parse("/subscriptions/" + SUB + "/resourceGroups/Rg/providers/Microsoft.Compute/"
                + "virtualMachines/vm1/extensions/e1").orElseThrow();

        assertThat(id.subscriptionId()).isEqualTo(SUB);
        assertThat(id.resourceGroup()).isEqualTo("Rg");
        assertThat(id.namespace()).isEqualTo("Microsoft.Compute");
        assertThat(id.type()).isEqualTo("Microsoft.Compute/virtualMachines/extensions");
        assertThat(id.name()).isEqualTo("e1");
        assertThat(id.isTopLevel()).isFalse();
        assertThat(id.parent().orElseThrow())
                .isEqualTo(ResourceId.of(SUB, "rg", "Microsoft.Compute", "virtualMachines", "vm1"));
        assertThat(id.parent().orElseThrow().parent().orElseThrow()).isEqualTo(ResourceId.resourceGroup(SUB, "rg"));
    }

    @Test
    void idsAreEqualIgnoringCaseButKeepTheCasingGiven() {
        ResourceId a = ResourceId.parse("/SUBSCRIPTIONS/" + SUB + "/resourcegroups/RG/PROVIDERS/microsoft.compute/"
                + "VirtualMachines/VM1").orElseThrow();
        ResourceId b = ResourceId.of(SUB, "rg", "Microsoft.Compute", "virtualMachines", "vm1");

        assertThat(a).isEqualTo(b).hasSameHashCodeAs(b);
        assertThat(a.toString()).isEqualTo("/subscriptions/" + SUB + "/resourceGroups/RG/providers/microsoft.compute/"
                + "VirtualMachines/VM1");
        assertThat(a.key()).isEqualTo(b.key());
    }

    @Test
    void formattingAndParsingRoundTrip() {
        ResourceId vm = ResourceId.of(SUB, "rg", "Microsoft.Compute", "virtualMachineScaleSets", "ss")
                .child("virtualMachines", "0");
        assertThat(ResourceId.parse(vm.toString())).contains(vm);
        assertThat(vm.types()).isEqualTo(List.of("virtualMachineScaleSets", "virtualMachines"));
        assertThat(ResourceId.parse("/subscriptions/" + SUB)).contains(ResourceId.subscription(SUB));
        assertThat(ResourceId.parse("/subscriptions/" + SUB + "/providers/Microsoft.Web/sites/app").orElseThrow()
                .resourceGroup()).isNull();
    }

    @Test
    void emptySegmentsAreDroppedAsArmDrops() {
        assertThat(ResourceId.parse("/subscriptions/" + SUB + "/resourceGroups/rg/providers/Microsoft.Compute//"
                + "availabilitySets/x")).contains(ResourceId.of(SUB, "rg", "Microsoft.Compute", "availabilitySets", "x"));
        assertThat(ResourceId.collapseEmptySegments("/a//b///c")).isEqualTo("/a/b/c");
        assertThat(ResourceId.collapseEmptySegments("/a/b")).isEqualTo("/a/b");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "subscriptions/x", "/subscriptions", "/resourceGroups/rg",
            "/subscriptions/s/resourceGroups", "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Compute",
            "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Compute/virtualMachines",
            "/subscriptions/s/resourceGroups/rg/things/x", "/subscriptions/s/resourceGroups/r\u0001g"})
    void whatIsNotAnIdIsRefusedNamingTheProperty(String text) {
        assertThat(ResourceId.parse(text)).isEmpty();
        ArmErrorException e = catchThrowableOfType(ArmErrorException.class,
                () -> ResourceId.require(text, "properties.availabilitySet.id"));
        assertThat(e.status()).isEqualTo(400);
        assertThat(e.error().code()).isEqualTo("LinkedInvalidPropertyId");
        assertThat(e.error().target()).isEqualTo("properties.availabilitySet.id");
    }
}
