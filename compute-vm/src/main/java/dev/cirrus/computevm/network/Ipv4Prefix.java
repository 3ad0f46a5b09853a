package dev.cirrus.computevm.network;

import java.util.Optional;
import java.util.regex.Pattern;

/**
 * An IPv4 address prefix in CIDR notation ({@code 10.0.0.0/16}). Addresses are unsigned 32-bit values held in a
 * long. Azure refuses a prefix whose address has bits set beyond its length ({@code 10.0.0.1/24}), so
 * {@link #parse} does too.
 *
 * @param base   the first address
 * @param length the number of leading bits fixed, 0 to 32
 */
public record Ipv4Prefix(long base, int length) {

    private static final Pattern DOTTED = Pattern.compile("(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})");

    public Ipv4Prefix {
        if (length < 0 || length > 32 || base < 0 || base > 0xFFFF_FFFFL || (base & ~mask(length)) != 0) {
            throw new IllegalArgumentException("not a prefix: " + base + "/" + length);
        }
    }

    private static long mask(int length) {
        return length == 0 ? 0 : (0xFFFF_FFFFL << (32 - length)) & 0xFFFF_FFFFL;
    }

    /** {@code a.b.c.d/n} with no bits set beyond n, or empty. */
    public static Optional<Ipv4Prefix> parse(String text) {
        if (text == null) {
            return Optional.empty();
        }
        int slash = text.indexOf('/');
        if (slash < 0 || slash != text.lastIndexOf('/')) {
            return Optional.empty();
        }
        String bits = text.substring(slash + 1);
        if (!bits.matches("\\d{1,2}")) {
            return Optional.empty();
        }
        int length = Integer.parseInt(bits);
        Optional<Long> address = parseAddress(text.substring(0, slash));
        if (length > 32 || address.isEmpty() || (address.get() & ~mask(length)) != 0) {
            return Optional.empty();
        }
        return Optional.of(new Ipv4Prefix(address.get(), length));
    }

    /** A dotted-quad address ({@code 10.0.0.4}; no leading zeros, as Azure writes them), or empty. */
    public static Optional<Long> parseAddress(String text) {
        if (text == null) {
            return Optional.empty();
        }
        var m = DOTTED.matcher(text);
        if (!m.matches()) {
            return Optional.empty();
        }
        long value = 0;
        for (int i = 1; i <= 4; i++) {
            String octet = m.group(i);
            int n = Integer.parseInt(octet);
            if (n > 255 || (octet.length() > 1 && octet.startsWith("0"))) {
                return Optional.empty();
            }
            value = (value << 8) | n;
        }
        return Optional.of(value);
    }

    public static String format(long address) {
        return ((address >> 24) & 0xFF) + "." + ((address >> 16) & 0xFF) + "." + ((address >> 8) & 0xFF) + "."
                + (address & 0xFF);
    }

    public long last() {
        return base + size() - 1;
    }

    public long size() {
        return 1L << (32 - length);
    }

    public boolean contains(long address) {
        return address >= base && address <= last();
    }

    public boolean contains(Ipv4Prefix other) {
        return other.base >= base && other.last() <= last();
    }

    public boolean overlaps(Ipv4Prefix other) {
        return base <= other.last() && other.base <= last();
    }

    @Override
    public String toString() {
        return format(base) + "/" + length;
    }
}
