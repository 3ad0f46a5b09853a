package dev.cirrus.gateway.resourceindex;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cirrus.plumbing.arm.ArmException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ResourceFilterTest {

    @Test
    void theFormsTheAzureCliSendsAreRead() {
        assertThat(ResourceFilter.parse("resourceGroup eq 'g1'").resourceGroup()).isEqualTo("g1");
        assertThat(ResourceFilter.parse("resourceGroup eq 'g1' and name eq 'vm1' and resourceType eq "
                + "'Microsoft.Compute/virtualMachines' and location eq 'West US'"))
                .isEqualTo(new ResourceFilter("g1", "Microsoft.Compute/virtualMachines", "vm1", "westus", null, null, null));
        assertThat(ResourceFilter.parse("tagName eq 'env' and tagValue eq 'prod'"))
                .isEqualTo(new ResourceFilter(null, null, null, null, null, "env", "prod"));
        assertThat(ResourceFilter.parse("substringof('web', name) AND resourceType eq 'Microsoft.Web/sites'"))
                .isEqualTo(new ResourceFilter(null, "Microsoft.Web/sites", null, null, "web", null, null));
    }

    @Test
    void aQuoteInsideAValueIsDoubledAndAnAndInsideAValueIsPartOfIt() {
        assertThat(ResourceFilter.parse("name eq 'it''s and more'").name()).isEqualTo("it's and more");
    }

    @ParameterizedTest
    @ValueSource(strings = {"location ne 'westus'", "properties/vmId eq 'x'", "name eq 'a' or name eq 'b'",
            "name eq 'a' and name eq 'b'", "tagValue eq 'v'", "tagName eq 'k' and name eq 'x'", "name eq x",
            "substringof(name, 'x')", "resourceGroup eq 'g' and"})
    void whatArmDoesNotAcceptIsInvalidFilterInQueryString(String filter) {
        assertThatThrownBy(() -> ResourceFilter.parse(filter)).isInstanceOfSatisfying(ArmException.class, e -> {
            assertThat(e.status()).isEqualTo(400);
            assertThat(e.error().code()).isEqualTo("InvalidFilterInQueryString");
            assertThat(e.error().target()).isEqualTo("$filter");
        });
    }
}
