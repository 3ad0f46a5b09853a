package dev.cirrus.plumbing.arm;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;

class KeysetPageTest {

    @Test
    void theFirstPageOfASubscriptionIsItsFirstKeysInOrderWithTheSubscriptionInLowerCase() {
        KeysetPage page = KeysetPage.of("select * from t where true", "SUB-A", null, null, 11);

        assertThat(page.sql()).isEqualTo(
                "select * from t where true and subscription_key = ? order by resource_key limit ?");
        assertThat(page.params()).containsExactly("sub-a", 11);
    }

    @Test
    void aLaterPageOfAGroupStartsAfterTheLastKeyAndKeepsTheStatementsOwnParametersFirst() {
        KeysetPage page = KeysetPage.of("select * from t where type = ?", List.of("nic"), "sub", "Group-1",
                "sub/group-1/b", 3);

        assertThat(page.sql()).isEqualTo("select * from t where type = ? and subscription_key = ?"
                + " and resource_group_key = ? and resource_key > ? order by resource_key limit ?");
        assertThat(page.params()).containsExactly("nic", "sub", "group-1", "sub/group-1/b", 3);
    }
}
