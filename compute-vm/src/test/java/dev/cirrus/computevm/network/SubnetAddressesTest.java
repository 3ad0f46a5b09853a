package dev.cirrus.computevm.network;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashSet;
import java.util.Optional;
import java.util.Random;
import java.util.Set;

import dev.cirrus.plumbing.arm.ArmException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The address arithmetic of subnets: prefixes, reserved addresses, the lowest free address, Static checks. */
class SubnetAddressesTest {

    private static Ipv4Prefix prefix(String text) {
        return Ipv4Prefix.parse(text).orElseThrow();
    }

    private static long address(String text) {
        return Ipv4Prefix.parseAddress(text).orElseThrow();
    }

    @Test
    void aPrefixKnowsItsFirstAndLastAddressAndWhatItContains() {
        Ipv4Prefix p = prefix("10.0.1.0/24");
        assertThat(Ipv4Prefix.format(p.base())).isEqualTo("10.0.1.0");
        assertThat(Ipv4Prefix.format(p.last())).isEqualTo("10.0.1.255");
        assertThat(p.size()).isEqualTo(256);
        assertThat(prefix("10.0.0.0/16").contains(p)).isTrue();
        assertThat(p.contains(prefix("10.0.0.0/16"))).isFalse();
        assertThat(p.overlaps(prefix("10.0.1.128/25"))).isTrue();
        assertThat(p.overlaps(prefix("10.0.2.0/24"))).isFalse();
        assertThat(prefix("0.0.0.0/0").size()).isEqualTo(1L << 32);
        assertThat(Ipv4Prefix.format(prefix("255.255.255.255/32").last())).isEqualTo("255.255.255.255");
    }

    @ParameterizedTest
    @ValueSource(strings = {"10.0.0.0", "10.0.0.0/33", "10.0.0.1/24", "10.0.0/24", "256.0.0.0/8", "10.0.0.0/-1",
            "10.0.0.0/16/1", "a.b.c.d/8", "010.0.0.0/8", "10.0.0.0/", " 10.0.0.0/8", "::1/128", ""})
    void whatIsNotAnIpv4PrefixIsRefused(String text) {
        assertThat(Ipv4Prefix.parse(text)).isEmpty();
    }

    @Test
    void theFirstFourAndTheLastAddressOfASubnetAreReservedAndDynamicAddressesStartAtDotFour() {
        Ipv4Prefix subnet = prefix("10.0.0.0/24");
        for (String reserved : new String[]{"10.0.0.0", "10.0.0.1", "10.0.0.2", "10.0.0.3", "10.0.0.255"}) {
            assertThat(SubnetAddresses.reserved(subnet, address(reserved))).as(reserved).isTrue();
        }
        assertThat(SubnetAddresses.reserved(subnet, address("10.0.0.4"))).isFalse();
        assertThat(SubnetAddresses.reserved(subnet, address("10.0.0.254"))).isFalse();
        assertThat(SubnetAddresses.lowestFree(subnet, Set.of())).contains(address("10.0.0.4"));
        assertThat(SubnetAddresses.lowestFree(subnet, Set.of(address("10.0.0.4"), address("10.0.0.6"))))
                .contains(address("10.0.0.5"));
    }

    @Test
    void aSlash29HasThreeUsableAddressesAndThenIsFull() {
        Ipv4Prefix subnet = prefix("192.168.5.8/29");
        Set<Long> taken = new HashSet<>();
        for (String expected : new String[]{"192.168.5.12", "192.168.5.13", "192.168.5.14"}) {
            long a = SubnetAddresses.lowestFree(subnet, taken).orElseThrow();
            assertThat(Ipv4Prefix.format(a)).isEqualTo(expected);
            taken.add(a);
        }
        assertThat(SubnetAddresses.lowestFree(subnet, taken)).isEmpty();
    }

    @Test
    void aStaticAddressMustBeInsideTheSubnetNotReservedAndFree() {
        Ipv4Prefix subnet = prefix("10.0.0.0/24");
        Set<Long> taken = Set.of(address("10.0.0.10"));
        SubnetAddresses.checkStatic("s", subnet, address("10.0.0.11"), taken, "t");
        assertThatThrownBy(() -> SubnetAddresses.checkStatic("s", subnet, address("10.0.1.4"), taken, "t"))
                .isInstanceOfSatisfying(ArmException.class,
                        e -> assertThat(e.error().code()).isEqualTo("PrivateIPAddressNotInSubnet"));
        assertThatThrownBy(() -> SubnetAddresses.checkStatic("s", subnet, address("10.0.0.3"), taken, "t"))
                .isInstanceOfSatisfying(ArmException.class,
                        e -> assertThat(e.error().code()).isEqualTo("PrivateIPAddressInReservedRange"));
        assertThatThrownBy(() -> SubnetAddresses.checkStatic("s", subnet, address("10.0.0.255"), taken, "t"))
                .isInstanceOfSatisfying(ArmException.class,
                        e -> assertThat(e.error().code()).isEqualTo("PrivateIPAddressInReservedRange"));
        assertThatThrownBy(() -> SubnetAddresses.checkStatic("s", subnet, address("10.0.0.10"), taken, "t"))
                .isInstanceOfSatisfying(ArmException.class,
                        e -> assertThat(e.error().code()).isEqualTo("PrivateIPAddressInUse"));
    }

    /** Random subnets and random taken sets: the allocator agrees with a scan of every address of the subnet. */
    @Test
    void theLowestFreeAddressAgreesWithAFullScanOfTheSubnet() {
        Random random = new Random(42);
        for (int round = 0; round < 2_000; round++) {
            int length = 22 + random.nextInt(8);
            long base = (random.nextLong() & 0xFFFF_FFFFL) & ((0xFFFF_FFFFL << (32 - length)) & 0xFFFF_FFFFL);
            Ipv4Prefix subnet = new Ipv4Prefix(base, length);
            Set<Long> taken = new HashSet<>();
            int fill = random.nextInt((int) subnet.size() + 1);
            for (int i = 0; i < fill; i++) {
                taken.add(base + random.nextInt((int) subnet.size()));
            }
            Optional<Long> expected = Optional.empty();
            for (long a = subnet.base(); a <= subnet.last(); a++) {
                boolean reserved = a - subnet.base() < 4 || a == subnet.last();
                if (!reserved && !taken.contains(a)) {
                    expected = Optional.of(a);
                    break;
                }
            }
            assertThat(SubnetAddresses.lowestFree(subnet, taken)).as("%s with %d taken", subnet, taken.size())
                    .isEqualTo(expected);
            for (long a = subnet.base(); a <= subnet.last(); a++) {
                assertThat(SubnetAddresses.reserved(subnet, a)).isEqualTo(a - subnet.base() < 4 || a == subnet.last());
            }
        }
    }
}
