package dev.cirrus.contracts.arm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The ETag table of ARM's RPC (reference §1.8), row by row. */
class PreconditionsTest {

    private static final String CURRENT = "\"abc\"";

    @ParameterizedTest(name = "PUT If-Match={0} If-None-Match={1} on a resource present={2}: allowed={3}")
    @CsvSource(nullValues = "-", value = {
            "-,        -,  false, true",
            "-,        -,  true,  true",
            "*,        -,  false, false",
            "*,        -,  true,  true",
            "\"abc\",  -,  true,  true",
            "W/\"abc\",-,  true,  true",
            "\"old\",  -,  true,  false",
            "\"old\",  -,  false, false",
            "'\"old\", \"abc\"', -, true, true",
            "-,        *,  false, true",
            "-,        *,  true,  false"})
    void putFollowsArmsEtagTable(String ifMatch, String ifNoneMatch, boolean present, boolean allowed) {
        Preconditions p = new Preconditions(ifMatch, ifNoneMatch);
        ArmErrorException e = catchThrowableOfType(ArmErrorException.class, () -> p.checkPut(present ? CURRENT : null));
        if (allowed) {
            assertThat(e).isNull();
        } else {
            assertThat(e).isNotNull();
            assertThat(e.status()).isEqualTo(412);
            assertThat(e.error().code()).isEqualTo("PreconditionFailed");
        }
    }

    @ParameterizedTest(name = "DELETE If-Match={0}: allowed={1}")
    @CsvSource(nullValues = "-", value = {"-, true", "*, true", "\"abc\", true", "\"old\", false"})
    void deleteOfAnExistingResourceChecksIfMatch(String ifMatch, boolean allowed) {
        ArmErrorException e = catchThrowableOfType(ArmErrorException.class,
                () -> new Preconditions(ifMatch, null).checkDelete(CURRENT));
        assertThat(e == null).isEqualTo(allowed);
    }
}
