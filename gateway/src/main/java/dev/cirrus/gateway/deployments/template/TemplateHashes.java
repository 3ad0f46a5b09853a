package dev.cirrus.gateway.deployments.template;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.UUID;

/**
 * The two deterministic names ARM computes.
 *
 * <p>{@code uniqueString(a, b)}: the inputs are joined with {@code -}, their UTF-8 bytes hashed with ARM's 64-bit
 * MurmurHash variant (two interleaved 32-bit lanes, seed 0, constants below), and the 64 bits written from the most
 * significant end as 13 characters of the RFC 4648 alphabet in lower case (5 bits each, the last 1 bit padded).
 * {@code uniqueString('test')} is {@code rbgf3xv4ufgzg}.
 *
 * <p>{@code guid(a, b)}: an RFC 4122 name-based version 5 UUID (SHA-1) of the inputs joined with {@code -}, in the
 * namespace {@code 11fb06fb-712d-4ddd-98c7-e71bbd588830}. {@code guid('a')} is
 * {@code 3703365d-5a9f-59b4-bca7-b9681389e4c1}.
 */
public final class TemplateHashes {

    private static final UUID GUID_NAMESPACE = UUID.fromString("11fb06fb-712d-4ddd-98c7-e71bbd588830");
    private static final String BASE32 = "abcdefghijklmnopqrstuvwxyz234567";
    private static final int C1 = 0x239b961b;
    private static final int C2 = 0xab0e9789;

    private TemplateHashes() {
    }

    public static String uniqueString(String joined) {
        long hash = murmur64(joined.getBytes(StandardCharsets.UTF_8));
        StringBuilder out = new StringBuilder(13);
        for (int i = 0; i < 13; i++) {
            out.append(BASE32.charAt((int) (hash >>> 59)));
            hash <<= 5;
        }
        return out.toString();
    }

    public static String guid(String joined) {
        try {
            MessageDigest sha1 = MessageDigest.getInstance("SHA-1");
            ByteBuffer namespace = ByteBuffer.allocate(16);
            namespace.putLong(GUID_NAMESPACE.getMostSignificantBits());
            namespace.putLong(GUID_NAMESPACE.getLeastSignificantBits());
            sha1.update(namespace.array());
            byte[] hash = sha1.digest(joined.getBytes(StandardCharsets.UTF_8));
            hash[6] = (byte) ((hash[6] & 0x0f) | 0x50);
            hash[8] = (byte) ((hash[8] & 0x3f) | 0x80);
            ByteBuffer bytes = ByteBuffer.wrap(hash, 0, 16);
            return new UUID(bytes.getLong(), bytes.getLong()).toString();
        } catch (NoSuchAlgorithmException impossible) {
            throw new IllegalStateException(impossible);
        }
    }

    /** The 64-bit hash of a text (its UTF-8 bytes), as uniqueString uses it. */
    public static long murmur(String text) {
        return murmur64(text.getBytes(StandardCharsets.UTF_8));
    }

    static long murmur64(byte[] data) {
        int length = data.length;
        int h1 = 0;
        int h2 = 0;
        int index = 0;
        while (index + 7 < length) {
            int k1 = littleEndian(data, index, 4);
            int k2 = littleEndian(data, index + 4, 4);
            h1 ^= Integer.rotateLeft(k1 * C1, 15) * C2;
            h1 = Integer.rotateLeft(h1, 19) + h2;
            h1 = h1 * 5 + 0x561ccd1b;
            h2 ^= Integer.rotateLeft(k2 * C2, 17) * C1;
            h2 = Integer.rotateLeft(h2, 13) + h1;
            h2 = h2 * 5 + 0x0bcaa747;
            index += 8;
        }
        int tail = length - index;
        if (tail > 0) {
            h1 ^= Integer.rotateLeft(littleEndian(data, index, Math.min(tail, 4)) * C1, 15) * C2;
            if (tail > 4) {
                h2 ^= Integer.rotateLeft(littleEndian(data, index + 4, tail - 4) * C2, 17) * C1;
            }
        }
        h1 ^= length;
        h2 ^= length;
        h1 += h2;
        h2 += h1;
        h1 = finalMix(h1);
        h2 = finalMix(h2);
        h1 += h2;
        h2 += h1;
        return ((long) h2 << 32) | (h1 & 0xffffffffL);
    }

    private static int littleEndian(byte[] data, int offset, int count) {
        int value = 0;
        for (int i = 0; i < count; i++) {
            value |= (data[offset + i] & 0xff) << (8 * i);
        }
        return value;
    }

    private static int finalMix(int h) {
        h ^= h >>> 16;
        h *= 0x85ebca6b;
        h ^= h >>> 13;
        h *= 0xc2b2ae35;
        h ^= h >>> 16;
        return h;
    }
}
