package dev.cirrus.computevm.sku;

import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasSize;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;

import dev.cirrus.computevm.size.SizeCatalogue;
import dev.cirrus.computevm.vm.VmProperties;
import dev.cirrus.plumbing.arm.ArmErrorAdvice;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.core.io.ByteArrayResource;
import org.springframework.core.io.ClassPathResource;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.setup.MockMvcBuilders;
import tools.jackson.databind.json.JsonMapper;

/** {@code GET …/providers/Microsoft.Compute/skus} from the size catalogue, the topology and the quota. */
class ResourceSkusTest {

    static final String SUB = "00000000-0000-0000-0000-000000000001";
    static final String SKUS = "/subscriptions/" + SUB + "/providers/Microsoft.Compute/skus";

    static SizeCatalogue sizes() {
        try (InputStream in = new ClassPathResource("sizes/vm-sizes.json").getInputStream()) {
            return SizeCatalogue.read(in, JsonMapper.builder().build());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    static MockMvc mvc(int regionalVcpus) throws IOException {
        VmProperties properties = new VmProperties(null, null, null, new VmProperties.Quota(regionalVcpus));
        return MockMvcBuilders.standaloneSetup(new SkuController(sizes(), properties,
                new ClassPathResource("inventory/default-topology.yaml"))).setControllerAdvice(new ArmErrorAdvice()).build();
    }

    @Test
    void everySizeIsAVirtualMachineSkuInEveryRegionOfTheTopologyWithItsCatalogueCapabilities() throws Exception {
        mvc(20).perform(get(SKUS + "?api-version=2021-07-01")).andExpect(status().isOk())
                .andExpect(jsonPath("$.value[?(@.resourceType == 'virtualMachines')]", hasSize(sizes().all().size())))
                .andExpect(jsonPath("$.value[?(@.name == 'Standard_D2s_v5')].locations[*]",
                        contains("koreacentral", "eastus", "westeurope", "westus")))
                .andExpect(jsonPath("$.value[?(@.name == 'Standard_D2s_v5')].family", contains("standardDSv5Family")))
                .andExpect(jsonPath("$.value[?(@.name == 'Standard_D2s_v5')].size", contains("D2s_v5")))
                .andExpect(jsonPath("$.value[?(@.name == 'Standard_D2s_v5')].tier", contains("Standard")))
                .andExpect(jsonPath("$.value[?(@.name == 'Standard_D2s_v5')].locationInfo[0].zones", contains(empty())))
                .andExpect(jsonPath("$.value[?(@.name == 'Standard_D2s_v5')].capabilities[?(@.name == 'vCPUs')].value",
                        contains("2")))
                .andExpect(jsonPath("$.value[?(@.name == 'Standard_D2s_v5')].capabilities[?(@.name == 'MemoryGB')].value",
                        contains("8")))
                .andExpect(jsonPath("$.value[?(@.name == 'Standard_B1s')].capabilities[?(@.name == 'MaxDataDiskCount')]"
                        + ".value", contains("2")))
                .andExpect(jsonPath("$.value[?(@.name == 'Standard_D2s_v5')].restrictions[*]", empty()))
                .andExpect(jsonPath("$.value[?(@.resourceType == 'availabilitySets')].name",
                        containsInAnyOrder("Classic", "Aligned")))
                .andExpect(jsonPath("$.value[?(@.name == 'Aligned')].capabilities[0].name",
                        contains("MaximumPlatformFaultDomainCount")));
    }

    @Test
    void aLocationFilterKeepsThatRegionAndAnUnknownRegionHasNoSkus() throws Exception {
        MockMvc mvc = mvc(20);
        mvc.perform(get(SKUS).param("api-version", "2021-07-01").param("$filter", "location eq 'West Europe'"))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.value[0].locations", contains("westeurope")))
                .andExpect(jsonPath("$.value[*].locationInfo[*].location", everyItemIs("westeurope")));
        mvc.perform(get(SKUS).param("api-version", "2021-07-01").param("$filter", "location eq 'marsnorth'"))
                .andExpect(status().isOk()).andExpect(jsonPath("$.value", empty()));
        mvc.perform(get(SKUS).param("api-version", "2021-07-01").param("$filter", "name eq 'x'"))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.error.code").value("InvalidFilterInQueryString"));
    }

    @Test
    void aSizeLargerThanTheRegionalVcpuQuotaIsRestrictedForTheSubscription() throws Exception {
        mvc(4).perform(get(SKUS + "?api-version=2021-07-01")).andExpect(status().isOk())
                .andExpect(jsonPath("$.value[?(@.name == 'Standard_D8s_v5')].restrictions[0].reasonCode",
                        contains("NotAvailableForSubscription")))
                .andExpect(jsonPath("$.value[?(@.name == 'Standard_D8s_v5')].restrictions[0].type", contains("Location")))
                .andExpect(jsonPath("$.value[?(@.name == 'Standard_D8s_v5')].restrictions[0].restrictionInfo.locations",
                        hasItem(hasItem("westus"))))
                .andExpect(jsonPath("$.value[?(@.name == 'Standard_D4s_v5')].restrictions[*]", empty()));
    }

    @ParameterizedTest
    @CsvSource({"Standard_D2s_v5, standardDSv5Family", "Standard_B1ms, standardBSFamily",
            "Standard_F4s_v2, standardFSv2Family", "Standard_E4s_v5, standardESv5Family", "Standard_A2, standardAFamily"})
    void aSizesFamilyIsAzuresQuotaFamily(String size, String family) {
        assertThat(ResourceSkus.family(size)).isEqualTo(family);
    }

    @Test
    void aTopologyWithoutRegionsStopsTheStart() {
        assertThat(org.assertj.core.api.Assertions.catchThrowable(() -> SkuController.regions(
                new ByteArrayResource("regions: []\n".getBytes()))))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("names no regions");
    }

    private static org.hamcrest.Matcher<Iterable<? extends String>> everyItemIs(String value) {
        return org.hamcrest.Matchers.everyItem(org.hamcrest.Matchers.is(value));
    }
}
