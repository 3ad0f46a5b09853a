package dev.cirrus.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.DriverManager;

import org.junit.jupiter.api.Test;

class TestInfrastructureTest {

    @Test
    void eachTestDatabaseIsFreshAndSeparate() throws Exception {
        var pg = TestInfrastructure.postgres();
        String a = pg.newDatabase("a");
        String b = pg.newDatabase("b");
        assertThat(a).isNotEqualTo(b);
        try (var c = DriverManager.getConnection(a, pg.username(), pg.password())) {
            c.createStatement().execute("create table only_in_a(x int)");
        }
        try (var c = DriverManager.getConnection(b, pg.username(), pg.password())) {
            var rs = c.createStatement().executeQuery(
                    "select count(*) from information_schema.tables where table_name = 'only_in_a'");
            rs.next();
            assertThat(rs.getInt(1)).isZero();
        }
    }

    @Test
    void theSharedBrokerIsStartedOncePerJvm() {
        assertThat(TestInfrastructure.kafkaBootstrapServers()).isSameAs(TestInfrastructure.kafkaBootstrapServers());
    }
}
