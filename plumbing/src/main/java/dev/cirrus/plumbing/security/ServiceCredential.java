package dev.cirrus.plumbing.security;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Enumeration;

/**
 * The platform's service credential: a random secret the platform generates (the launcher in its data folder, a
 * compose or Kubernetes secret) and gives every service, which the gateway and the services send on each call behind
 * the gateway ({@link #HEADER} over HTTP, {@link #METADATA_KEY} over gRPC) and each service requires
 * ({@link ServiceCredentialFilter}, {@link ServiceCredentialGrpc#serverInterceptor}). It is compared in constant time.
 *
 * <p>Property {@value #PROPERTY} (environment {@code CIRRUS_SERVICE_CREDENTIAL}); at least {@value #MIN_LENGTH}
 * characters, or the service does not start.
 */
public final class ServiceCredential {

    /** The HTTP header that carries the credential. */
    public static final String HEADER = "X-Cirrus-Service-Credential";
    /** The gRPC metadata key that carries it (gRPC keys are lower case). */
    public static final String METADATA_KEY = "x-cirrus-service-credential";
    public static final String PROPERTY = "cirrus.service-credential";
    /** 32 characters: 128 bits and more for a random hex or base64 secret. */
    public static final int MIN_LENGTH = 32;

    private final String value;
    private final byte[] bytes;

    public ServiceCredential(String value) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(PROPERTY + " is not set: every service needs the platform's service "
                    + "credential (the launcher generates one in its data folder; in containers set "
                    + "CIRRUS_SERVICE_CREDENTIAL from the platform's secret)");
        }
        String v = value.strip();
        if (v.length() < MIN_LENGTH) {
            throw new IllegalArgumentException(PROPERTY + " is too short: at least " + MIN_LENGTH
                    + " characters of a random secret, got " + v.length());
        }
        this.value = v;
        this.bytes = v.getBytes(StandardCharsets.UTF_8);
    }

    /** The secret, to send on a call. */
    public String value() {
        return value;
    }

    /** True when {@code presented} is the credential; the time taken does not depend on where they differ. */
    public boolean matches(String presented) {
        return presented != null && MessageDigest.isEqual(bytes, presented.strip().getBytes(StandardCharsets.UTF_8));
    }

    /** True when the header values hold exactly one value and it is the credential. */
    boolean matchesOnly(Enumeration<String> values) {
        if (values == null || !values.hasMoreElements()) {
            return false;
        }
        String first = values.nextElement();
        return !values.hasMoreElements() && matches(first);
    }

    @Override
    public String toString() {
        return "ServiceCredential[****]";
    }
}
