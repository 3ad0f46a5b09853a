package dev.cirrus.computevm.vm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.cirrus.plumbing.arm.ArmException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Azure's rules for a VM's administrator name, each refused with 400 InvalidParameter on {@code adminUsername}. */
class AdminUsernameTest {

    static Iterable<String> reserved() {
        return VmRequestParser.RESERVED_ADMIN_USERNAMES;
    }

    @ParameterizedTest
    @MethodSource("reserved")
    void everyReservedNameIsRefusedInAnyCasing(String name) {
        for (String given : new String[] {name, name.toUpperCase()}) {
            ArmException e = catchThrowableOfType(ArmException.class,
                    () -> VmRequestParser.checkAdminUsername(given, false));
            assertThat(e.status()).isEqualTo(400);
            assertThat(e.error().code()).isEqualTo("InvalidParameter");
            assertThat(e.error().target()).isEqualTo("adminUsername");
            assertThat(e.error().message()).isEqualTo("The Admin Username specified is not allowed.");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "bad name", "a/b", "a\\b", "x@y", "semi;colon", "ends.", "tab\tname", "nul\u0000"})
    void namesWithForbiddenCharactersAreRefused(String name) {
        ArmException e = catchThrowableOfType(ArmException.class, () -> VmRequestParser.checkAdminUsername(name, false));
        assertThat(e.error().target()).isEqualTo("adminUsername");
    }

    @ParameterizedTest(name = "{0} characters on windows={1}: allowed={2}")
    @CsvSource({"20, true, true", "21, true, false", "64, false, true", "65, false, false"})
    void theLengthLimitDependsOnTheOperatingSystem(int length, boolean windows, boolean allowed) {
        String name = "u".repeat(length);
        ArmException e = catchThrowableOfType(ArmException.class, () -> VmRequestParser.checkAdminUsername(name, windows));
        assertThat(e == null).isEqualTo(allowed);
    }

    @ParameterizedTest
    @ValueSource(strings = {"azureuser", "cirrus_admin", "dev-ops", "Admin7"})
    void ordinaryNamesPass(String name) {
        assertThatCode(() -> VmRequestParser.checkAdminUsername(name, false)).doesNotThrowAnyException();
    }
}
