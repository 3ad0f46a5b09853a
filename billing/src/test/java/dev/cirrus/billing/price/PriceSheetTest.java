package dev.cirrus.billing.price;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PriceSheetTest {

    static final String VALID = """
            version: "t"
            currency: USD
            virtualMachines:
              sizes:
                Standard_B1s:    { perHour: 0.0104 }
                Standard_D2s_v5: { perHour: 0.096, regions: { westeurope: 0.107 } }
            containerInstances: { perVcpuSecond: 0.0000113, perGbSecond: 0.0000012 }
            appService: { tiers: { B1: { perInstanceHour: 0.018 } } }
            functions: { perMillionExecutions: 0.20, perGbSecond: 0.000016, freeExecutionsPerMonth: 1000000, freeGbSecondsPerMonth: 400000 }
            logicApps: { perBuiltInAction: 0.000025, perStandardConnectorAction: 0.000125, perEnterpriseConnectorAction: 0.001 }
            kubernetesService: { tiers: { Free: { perClusterHour: 0 }, Standard: { perClusterHour: 0.10 } } }
            """;

    @TempDir
    Path dir;

    @Test
    void theShippedSheetPricesEverySizeOfTheReferenceTable() {
        PriceSheet sheet = PriceSheetLoader.load(null);
        assertThat(sheet.currency()).isEqualTo("USD");
        String[][] table = {
                {"Standard_B1s", "0.0104"}, {"Standard_B1ms", "0.0207"}, {"Standard_B2s", "0.0416"},
                {"Standard_B2ms", "0.0832"}, {"Standard_D2s_v5", "0.096"}, {"Standard_D4s_v5", "0.192"},
                {"Standard_D8s_v5", "0.384"}, {"Standard_E2s_v5", "0.126"}, {"Standard_E4s_v5", "0.252"},
                {"Standard_F2s_v2", "0.0846"}, {"Standard_F4s_v2", "0.169"}};
        for (String[] row : table) {
            assertThat(sheet.vmRate(row[0], "eastus")).as(row[0])
                    .hasValueSatisfying(rate -> assertThat(rate.perHour()).isEqualByComparingTo(row[1]));
        }
        assertThat(sheet.functions().freeExecutionsPerMonth()).isEqualByComparingTo("1000000");
        assertThat(sheet.functions().freeGbSecondsPerMonth()).isEqualByComparingTo("400000");
        assertThat(sheet.meters()).extracting(PriceSheet.Meter::meterCategory)
                .contains("Virtual Machines", "Container Instances", "Azure App Service", "Functions", "Logic Apps");
    }

    @Test
    void pricesAreReadAsExactDecimals() throws IOException {
        PriceSheet sheet = PriceSheetLoader.load(write(VALID).toString());
        assertThat(sheet.vmRate("Standard_B1s", "eastus").orElseThrow().perHour()).isEqualTo(new BigDecimal("0.0104"));
        assertThat(sheet.containerInstances().perVcpuSecond()).isEqualTo(new BigDecimal("0.0000113"));
    }

    @Test
    void aRegionalPriceOverridesTheDefaultOnlyInItsRegion() throws IOException {
        PriceSheet sheet = PriceSheetLoader.load(write(VALID).toString());
        assertThat(sheet.vmRate("Standard_D2s_v5", "West Europe").orElseThrow().perHour()).isEqualByComparingTo("0.107");
        assertThat(sheet.vmRate("Standard_D2s_v5", "westeurope").orElseThrow().perHour()).isEqualByComparingTo("0.107");
        assertThat(sheet.vmRate("Standard_D2s_v5", "eastus").orElseThrow().perHour()).isEqualByComparingTo("0.096");
    }

    @Test
    void sizesMatchCaseInsensitivelyAndAreNamedAsTheSheetNamesThem() throws IOException {
        PriceSheet sheet = PriceSheetLoader.load(write(VALID).toString());
        assertThat(sheet.vmRate("standard_b1S", "eastus").orElseThrow().size()).isEqualTo("Standard_B1s");
        assertThat(sheet.vmRate("Standard_Z99", "eastus")).isEmpty();
    }

    @Test
    void meterIdsAreStable() throws IOException {
        PriceSheet sheet = PriceSheetLoader.load(write(VALID).toString());
        assertThat(sheet.meters().getFirst().meterId())
                .isEqualTo(PriceSheet.meterId("Virtual Machines", "Standard_B1s", "Global"))
                .isEqualTo(PriceSheetLoader.load(write(VALID).toString()).meters().getFirst().meterId());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "a negative VM price|Standard_B1s:    { perHour: 0.0104 }|Standard_B1s:    { perHour: -0.01 }|virtualMachines.sizes.Standard_B1s.perHour is negative: -0.01",
            "a missing VM price|Standard_B1s:    { perHour: 0.0104 }|Standard_B1s:    { }|virtualMachines.sizes.Standard_B1s.perHour is missing",
            "a VM size without a price|Standard_B1s:    { perHour: 0.0104 }|Standard_B1s:|virtualMachines.sizes.Standard_B1s has no price",
            "a negative regional price|westeurope: 0.107|westeurope: -1|virtualMachines.sizes.Standard_D2s_v5.regions.westeurope is negative",
            "a size twice in different case|Standard_B1s:    { perHour: 0.0104 }|Standard_B1s: { perHour: 0.0104 }\\n    standard_b1s: { perHour: 0.01 }|repeats Standard_B1s",
            "a misspelt field|perHour: 0.0104|perhour: 0.0104|perhour",
            "a price that is not a number|perHour: 0.0104|perHour: cheap|not valid",
            "a missing family|logicApps:|logicAppz:|logicAppz",
            "a negative container price|perGbSecond: 0.0000012|perGbSecond: -0.0000012|containerInstances.perGbSecond is negative",
            "a missing Functions grant|freeGbSecondsPerMonth: 400000|freeGbSecondsPerMonth: null|functions.freeGbSecondsPerMonth is missing",
            "another currency|currency: USD|currency: EUR|currency must be USD",
            "no version|version: \"t\"|version: \"\"|version is missing",
            "a negative AKS tier price|Standard: { perClusterHour: 0.10 }|Standard: { perClusterHour: -0.10 }|kubernetesService.tiers.Standard.perClusterHour is negative",
            "no AKS tiers|kubernetesService:|kubernetesServices:|kubernetesServices",
            "malformed YAML|appService: { tiers|appService: [ { tiers|not valid",
    })
    void anInvalidSheetIsRefusedWithWhatIsWrong(String name, String replace, String with, String expected)
            throws IOException {
        String yaml = VALID.replace(replace, with.replace("\\n", "\n"));
        assertThat(yaml).as("the test changes the sheet").isNotEqualTo(VALID);
        Path file = write(yaml);
        assertThatThrownBy(() -> PriceSheetLoader.load(file.toString()))
                .isInstanceOf(InvalidPriceSheetException.class)
                .hasMessageContaining(file.toString())
                .hasMessageContaining(expected);
    }

    @Test
    void aSheetThatDoesNotExistIsRefused() {
        assertThatThrownBy(() -> PriceSheetLoader.load(dir.resolve("missing.yaml").toString()))
                .isInstanceOf(InvalidPriceSheetException.class).hasMessageContaining("does not exist");
        assertThatThrownBy(() -> PriceSheetLoader.load("classpath:prices/missing.yaml"))
                .isInstanceOf(InvalidPriceSheetException.class).hasMessageContaining("does not exist");
    }

    @Test
    void anEmptySheetIsRefused() throws IOException {
        Path file = write("");
        assertThatThrownBy(() -> PriceSheetLoader.load(file.toString())).isInstanceOf(InvalidPriceSheetException.class);
    }

    private Path write(String yaml) throws IOException {
        Path file = Files.createTempFile(dir, "prices", ".yaml");
        Files.writeString(file, yaml);
        return file;
    }
}
