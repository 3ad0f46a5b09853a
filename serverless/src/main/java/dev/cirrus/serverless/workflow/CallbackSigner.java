package dev.cirrus.serverless.workflow;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The {@code sig} of a trigger's callback URL: an HMAC-SHA256, under the workflow's own key, of the workflow's access
 * id, the permission path {@code sp} ({@code /triggers/{name}/run}) and the signature version {@code sv}, in
 * base64url. Whoever holds the URL may run the trigger; regenerating the workflow's key would revoke every URL.
 */
public final class CallbackSigner {

    public static final String VERSION = "1.0";
    public static final String API_VERSION = "2016-10-01";
    private static final SecureRandom RANDOM = new SecureRandom();

    private CallbackSigner() {
    }

    /** A new key: 32 random bytes, base64url. */
    public static String newKey() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /** A new access id: 32 hex digits, like Azure's. */
    public static String newAccessId() {
        byte[] bytes = new byte[16];
        RANDOM.nextBytes(bytes);
        StringBuilder out = new StringBuilder();
        for (byte b : bytes) {
            out.append(String.format("%02x", b & 0xff));
        }
        return out.toString();
    }

    public static String permission(String trigger) {
        return "/triggers/" + trigger + "/run";
    }

    public static String sign(String key, String accessId, String permission, String version) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            byte[] digest = mac.doFinal((accessId + "\n" + permission + "\n" + version).getBytes(StandardCharsets.UTF_8));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is not available", e);
        }
    }

    /** Whether {@code sig} is the signature of that permission, compared in constant time. */
    public static boolean verify(String key, String accessId, String permission, String version, String sig) {
        if (sig == null || permission == null || version == null) {
            return false;
        }
        byte[] expected = sign(key, accessId, permission, version).getBytes(StandardCharsets.UTF_8);
        return MessageDigest.isEqual(expected, sig.getBytes(StandardCharsets.UTF_8));
    }
}
