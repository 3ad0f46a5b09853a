package dev.cirrus.gateway.identity;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.RSAPublicKeySpec;
import java.time.Clock;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

import org.springframework.stereotype.Component;

/**
 * The RSA key pairs that sign access tokens, kept in {@code {data-dir}/keys/signing-<UTC timestamp>.pem} (PKCS#8
 * PEM). The newest signs; every key in the folder verifies, so rotating ({@link #rotate()}, or dropping a new key
 * file in and restarting) leaves the tokens already issued valid until they expire. Removing a key file revokes
 * the tokens it signed (after a restart).
 */
@Component
public class SigningKeys {

    /** One key pair and its key id ({@code kid}): base64url of the SHA-256 of the modulus, shortened. */
    public record SigningKey(String kid, RSAPrivateCrtKey privateKey, RSAPublicKey publicKey) {
    }

    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmssSSS")
            .withZone(ZoneOffset.UTC);

    private final Path folder;
    private final Clock clock;
    private volatile List<SigningKey> keys;

    SigningKeys(GatewayData data, Clock clock) {
        this.folder = data.folder("keys");
        this.clock = clock;
        this.keys = load();
        if (keys.isEmpty()) {
            rotate();
        }
    }

    /** The key that signs new tokens. */
    public SigningKey current() {
        return keys.getFirst();
    }

    public Optional<SigningKey> find(String kid) {
        return keys.stream().filter(k -> k.kid().equals(kid)).findFirst();
    }

    public List<SigningKey> all() {
        return keys;
    }

    /** Generates a new key pair, which signs from now on; the older ones keep verifying. */
    public synchronized SigningKey rotate() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            RSAPrivateCrtKey key = (RSAPrivateCrtKey) generator.generateKeyPair().getPrivate();
            String pem = "-----BEGIN PRIVATE KEY-----\n"
                    + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(key.getEncoded())
                    + "\n-----END PRIVATE KEY-----\n";
            GatewayData.write(folder.resolve("signing-" + STAMP.format(clock.instant()) + ".pem"),
                    pem.getBytes(StandardCharsets.US_ASCII), true);
            keys = load();
            return current();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot generate an RSA key pair", e);
        }
    }

    private List<SigningKey> load() {
        List<SigningKey> loaded = new ArrayList<>();
        try (Stream<Path> files = Files.list(folder)) {
            for (Path file : files.filter(f -> f.getFileName().toString().matches("signing-.*\\.pem"))
                    .sorted(Comparator.comparing((Path f) -> f.getFileName().toString()).reversed()).toList()) {
                loaded.add(read(file));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the signing keys in " + folder, e);
        }
        return List.copyOf(loaded);
    }

    private static SigningKey read(Path file) throws IOException {
        String pem = Files.readString(file, StandardCharsets.US_ASCII);
        String base64 = pem.replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
        try {
            KeyFactory rsa = KeyFactory.getInstance("RSA");
            RSAPrivateCrtKey key = (RSAPrivateCrtKey) rsa.generatePrivate(
                    new PKCS8EncodedKeySpec(Base64.getDecoder().decode(base64)));
            RSAPublicKey publicKey = (RSAPublicKey) rsa.generatePublic(
                    new RSAPublicKeySpec(key.getModulus(), key.getPublicExponent()));
            return new SigningKey(kid(key.getModulus()), key, publicKey);
        } catch (GeneralSecurityException | IllegalArgumentException | ClassCastException e) {
            throw new IllegalStateException("the signing key " + file + " is not an RSA private key in PKCS#8 PEM", e);
        }
    }

    private static String kid(BigInteger modulus) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(modulus.toByteArray());
            return Base64.getUrlEncoder().withoutPadding().encodeToString(digest).substring(0, 27);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
