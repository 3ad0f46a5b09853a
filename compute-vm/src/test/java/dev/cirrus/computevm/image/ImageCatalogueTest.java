package dev.cirrus.computevm.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.util.List;

import dev.cirrus.plumbing.arm.ArmException;
import org.junit.jupiter.api.Test;

/** The image catalogue's matching and its meaning of {@code latest}, without Spring. */
class ImageCatalogueTest {

    private final ImageCatalogue catalogue = new ImageCatalogue(List.of(
            new VmImage("Canonical", "ubuntu", "22_04-lts", "Linux", "V2", List.of("22.04.9", "22.04.10", "22.04.2")),
            new VmImage("MicrosoftWindowsServer", "WindowsServer", "2022-datacenter", "Windows", "V2",
                    List.of("20348.100.1"))));

    @Test
    void latestIsTheHighestVersionComparedNumberByNumber() {
        assertThat(catalogue.resolve("canonical", "UBUNTU", "22_04-LTS", "latest")).contains("22.04.10");
        assertThat(catalogue.resolve("Canonical", "ubuntu", "22_04-lts", null)).contains("22.04.10");
        assertThat(catalogue.resolve("Canonical", "ubuntu", "22_04-lts", "22.04.2")).contains("22.04.2");
    }

    @Test
    void anImageOrVersionTheCatalogueDoesNotHaveResolvesToNothing() {
        assertThat(catalogue.resolve("Canonical", "ubuntu", "22_04-lts", "1.0.0")).isEmpty();
        assertThat(catalogue.resolve("Canonical", "debian", "12", "latest")).isEmpty();
        assertThat(catalogue.resolve("Nobody", "ubuntu", "22_04-lts", "latest")).isEmpty();
    }

    @Test
    void eachListingLevelAnswersCaseInsensitivelyAndAnUnknownLevelIsNotFound() {
        assertThat(catalogue.publishers()).containsExactly("Canonical", "MicrosoftWindowsServer");
        assertThat(catalogue.offers("CANONICAL")).containsExactly("ubuntu");
        assertThat(catalogue.skus("canonical", "Ubuntu")).containsExactly("22_04-lts");
        ArmException e = catchThrowableOfType(ArmException.class, () -> catalogue.offers("Nobody"));
        assertThat(e.status()).isEqualTo(404);
        assertThat(e.error().code()).isEqualTo("NotFound");
        assertThat(catchThrowableOfType(ArmException.class, () -> catalogue.skus("Canonical", "nothing")).status())
                .isEqualTo(404);
    }
}
