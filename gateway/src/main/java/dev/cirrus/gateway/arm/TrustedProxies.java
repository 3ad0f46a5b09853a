package dev.cirrus.gateway.arm;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The proxies whose forwarded headers ({@code Forwarded}, {@code X-Forwarded-Host/-Proto/-Port/-Prefix/-Ssl/-For})
 * the gateway believes, {@code cirrus.gateway.trusted-proxies}: a list of IPv4 or IPv6 addresses or CIDR blocks
 * ({@code 10.0.0.0/8}, {@code ::1}, {@code fd00::/8}); none by default. A request whose direct peer is not in the
 * list has those headers removed, and its public URL is its own Host and scheme ({@link ForwardedHeaders}). Address
 * literals only (no host names: nothing is looked up); checked at start-up.
 */
@ConfigurationProperties("cirrus.gateway")
public record TrustedProxies(List<String> trustedProxies) {

    public TrustedProxies {
        trustedProxies = trustedProxies == null ? List.of() : List.copyOf(trustedProxies);
        List<String> problems = new ArrayList<>();
        for (String entry : trustedProxies) {
            try {
                Block.parse(entry);
            } catch (IllegalArgumentException e) {
                problems.add(e.getMessage());
            }
        }
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException("invalid cirrus.gateway.trusted-proxies: " + String.join("; ", problems));
        }
    }

    /** The blocks, parsed. */
    List<Block> blocks() {
        return trustedProxies.stream().map(Block::parse).toList();
    }

    /** An address block: the first {@code prefix} bits of {@code network}. */
    record Block(byte[] network, int prefix) {

        /** A dotted quad; anything else with no ':' could be a host name, which would be looked up. */
        private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");

        static Block parse(String entry) {
            String text = entry == null ? "" : entry.strip();
            int slash = text.indexOf('/');
            String address = slash < 0 ? text : text.substring(0, slash);
            boolean literal = IPV4.matcher(address).matches()
                    || address.indexOf(':') >= 0 && address.chars().allMatch(c -> Character.digit(c, 16) >= 0 || c == '.' || c == ':');
            if (!literal) {
                throw new IllegalArgumentException("'" + entry + "' is not an IP address or CIDR block");
            }
            byte[] bytes;
            try {
                bytes = InetAddress.getByName(address).getAddress(); // a literal: no lookup
            } catch (UnknownHostException e) {
                throw new IllegalArgumentException("'" + entry + "' is not an IP address or CIDR block");
            }
            int prefix = bytes.length * 8;
            if (slash >= 0) {
                try {
                    prefix = Integer.parseInt(text.substring(slash + 1));
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("'" + entry + "' has no prefix length after '/'");
                }
                if (prefix < 0 || prefix > bytes.length * 8) {
                    throw new IllegalArgumentException("'" + entry + "': the prefix length must be 0 to " + bytes.length * 8);
                }
            }
            return new Block(bytes, prefix);
        }

        boolean contains(InetAddress address) {
            byte[] candidate = address.getAddress();
            if (candidate.length != network.length) {
                return false; // an IPv4 block never contains an IPv6 address, nor the reverse
            }
            int full = prefix / 8;
            for (int i = 0; i < full; i++) {
                if (candidate[i] != network[i]) {
                    return false;
                }
            }
            int rest = prefix % 8;
            if (rest == 0) {
                return true;
            }
            int mask = 0xFF << (8 - rest) & 0xFF;
            return (candidate[full] & mask) == (network[full] & mask);
        }
    }
}
