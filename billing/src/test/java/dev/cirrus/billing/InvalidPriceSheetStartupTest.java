package dev.cirrus.billing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.nio.file.Files;
import java.nio.file.Path;

import dev.cirrus.billing.price.InvalidPriceSheetException;
import dev.cirrus.testkit.ServiceCredentials;
import dev.cirrus.testkit.TestInfrastructure;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;

/** The service refuses to start with a price sheet it cannot bill from, and says what is wrong with it. */
class InvalidPriceSheetStartupTest {

    @TempDir
    Path dir;

    @Test
    void aPriceSheetWithANegativePriceFailsStartUp() throws Exception {
        String sheet = Files.readString(Path.of(getClass().getResource("/prices/test-price-sheet.yaml").toURI()))
                .replace("Standard_B1s:    { perHour: 0.0104 }", "Standard_B1s:    { perHour: -0.0104 }");
        Path file = Files.writeString(dir.resolve("negative.yaml"), sheet);

        assertThat(startUpFailure(file))
                .hasMessageContaining(file.toString())
                .hasMessageContaining("virtualMachines.sizes.Standard_B1s.perHour is negative: -0.0104");
    }

    @Test
    void aPriceSheetWithAMissingPriceFailsStartUp() throws Exception {
        String sheet = Files.readString(Path.of(getClass().getResource("/prices/test-price-sheet.yaml").toURI()))
                .replace("perGbSecond: 0.000016", "perGbSecond:");
        Path file = Files.writeString(dir.resolve("missing.yaml"), sheet);

        assertThat(startUpFailure(file))
                .hasMessageContaining("functions.perGbSecond is missing");
    }

    @Test
    void aPriceSheetThatIsNotThereFailsStartUp() {
        Path file = dir.resolve("nowhere.yaml");
        assertThat(startUpFailure(file))
                .hasMessageContaining("does not exist");
    }

    /** The price sheet's refusal among the causes of the failed start. */
    private InvalidPriceSheetException startUpFailure(Path priceSheet) {
        Throwable failure = catchThrowable(() -> start(priceSheet));
        assertThat(failure).as("the service must not start").isNotNull();
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof InvalidPriceSheetException e) {
                return e;
            }
        }
        throw new AssertionError("start-up failed, but not because of the price sheet", failure);
    }

    private void start(Path priceSheet) {
        TestInfrastructure.PostgresEndpoint pg = TestInfrastructure.postgres();
        new SpringApplicationBuilder(BillingApplication.class).run(
                "--server.port=0", "--cirrus.service-credential=" + ServiceCredentials.value(),
                "--spring.datasource.url=" + pg.newDatabase("billing_invalid"),
                "--spring.datasource.username=" + pg.username(),
                "--spring.datasource.password=" + pg.password(),
                "--cirrus.kafka.bootstrap-servers=",
                "--cirrus.billing.price-sheet=" + priceSheet)
                .close();
    }
}
