package dev.cirrus.gateway.arm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.util.List;

import org.junit.jupiter.api.Test;

class TrustedProxiesTest {

    static boolean contains(String block, String address) throws Exception {
        return TrustedProxies.Block.parse(block).contains(InetAddress.getByName(address));
    }

    @Test
    void noProxyIsTrustedByDefault() {
        assertThat(new TrustedProxies(null).blocks()).isEmpty();
    }

    @Test
    void aBlockContainsExactlyTheAddressesOfItsPrefix() throws Exception {
        assertThat(contains("10.0.0.0/8", "10.255.1.2")).isTrue();
        assertThat(contains("10.0.0.0/8", "11.0.0.1")).isFalse();
        assertThat(contains("192.168.4.0/22", "192.168.7.255")).isTrue();
        assertThat(contains("192.168.4.0/22", "192.168.8.0")).isFalse();
        assertThat(contains("127.0.0.1", "127.0.0.1")).isTrue();
        assertThat(contains("127.0.0.1", "127.0.0.2")).isFalse();
        assertThat(contains("0.0.0.0/0", "203.0.113.7")).isTrue();
        assertThat(contains("fd00::/8", "fd12::1")).isTrue();
        assertThat(contains("::1", "::1")).isTrue();
        assertThat(contains("::1", "127.0.0.1")).isFalse();
        assertThat(contains("0.0.0.0/0", "::1")).isFalse();
    }

    @Test
    void entriesThatAreNoAddressOrBlockStopTheStartNamingEach() {
        assertThatThrownBy(() -> new TrustedProxies(List.of("10.0.0.0/8", "proxy.example", "10.0.0.0/33", "1.2.3.4/x",
                "300.1.1.1")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'proxy.example' is not an IP address")
                .hasMessageContaining("'10.0.0.0/33': the prefix length must be 0 to 32")
                .hasMessageContaining("'1.2.3.4/x' has no prefix length")
                .hasMessageContaining("'300.1.1.1' is not an IP address");
    }
}
