package dev.cirrus.computevm.arm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.cirrus.plumbing.arm.ArmException;
import org.junit.jupiter.api.Test;

class PageTokenTest {

    @Test
    void aTokenCarriesTheKeyThePageEndedWithAndIsUrlSafe() {
        String key = "/subscriptions/abc/resourcegroups/rg/providers/microsoft.compute/virtualmachines/vm_1.x";
        String token = PageToken.encode(key);
        assertThat(token).matches("[A-Za-z0-9_-]+");
        assertThat(PageToken.decode(token)).isEqualTo(key);
        assertThat(PageToken.decode(null)).isNull();
    }

    @Test
    void aTokenThisServiceDidNotIssueIsRefused() {
        ArmException e = catchThrowableOfType(ArmException.class, () -> PageToken.decode("bm90LW91cnM"));
        assertThat(e.status()).isEqualTo(400);
        assertThat(e.error().target()).isEqualTo("$skipToken");
    }

    @Test
    void topMustBeAPositiveInteger() {
        assertThat(PageToken.top("7")).isEqualTo(7);
        assertThat(PageToken.top(null)).isNull();
        assertThat(catchThrowableOfType(ArmException.class, () -> PageToken.top("0")).error().target()).isEqualTo("$top");
        assertThat(catchThrowableOfType(ArmException.class, () -> PageToken.top("-1"))).isNotNull();
    }
}
