package dev.cirrus.gateway.identity;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.Signature;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import dev.cirrus.gateway.support.TtlCache;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * Access tokens: JWTs signed RS256 with the current {@link SigningKeys signing key}, shaped like Microsoft Entra ID's
 * application tokens ({@code aud, iss, iat, nbf, exp, tid, oid, sub, appid, azp, idtyp, ver}).
 *
 * <p>{@link #verify} checks the signature against every key in the data folder (so a rotation keeps issued tokens
 * valid), the claims every check needs ({@code exp, tid, oid, aud, iss}), then {@code nbf}/{@code exp} with five
 * minutes' tolerance; it says why a token is refused, because ARM answers a bad token
 * ({@code InvalidAuthenticationToken}) differently from an expired one ({@code ExpiredAuthenticationToken}).
 * Audience, issuer and tenant depend on the request and the directory: {@link AuthenticationFilter} checks them.
 */
@Component
public class AccessTokens {

    /** A token and its lifetime, as the token endpoint answers them. */
    public record Issued(String token, Instant issuedAt, Instant expiresOn) {
    }

    /** The outcome of checking a token: the caller, or why it is refused. */
    public sealed interface Verification {
        /** {@code issuerAddress}: the issuer parsed once per token (null when it is no URI), for the filter's check. */
        record Valid(Caller caller, String audience, String issuer, java.net.URI issuerAddress, Instant expiresAt)
                implements Verification {
        }

        record Invalid(String reason) implements Verification {
        }

        record NotYetValid(Instant notBefore) implements Verification {
        }

        record Expired(Instant expiredAt) implements Verification {
        }
    }

    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder B64D = Base64.getUrlDecoder();
    /** Entra ID's tolerance for clocks that disagree a little. */
    private static final Duration SKEW = Duration.ofMinutes(5);

    private final SigningKeys keys;
    private final ObjectMapper json;
    /** Tokens whose signature was checked lately: a client sends the same token for an hour. */
    private final TtlCache<String, Verification.Valid> verified;

    AccessTokens(SigningKeys keys, ObjectMapper json, java.time.Clock clock) {
        this.keys = keys;
        this.json = json;
        this.verified = new TtlCache<>(Duration.ofMinutes(5), 10_000, clock);
    }

    /** Issues a token for a principal, valid from {@code now} for {@code lifetime}. */
    public Issued issue(Directory.Principal principal, String audience, String issuer, Instant now,
                        Duration lifetime, String version) {
        Instant exp = now.plus(lifetime);
        SigningKeys.SigningKey key = keys.current();
        Map<String, Object> header = new LinkedHashMap<>();
        header.put("typ", "JWT");
        header.put("alg", "RS256");
        header.put("kid", key.kid());
        Map<String, Object> claims = new LinkedHashMap<>();
        claims.put("aud", audience);
        claims.put("iss", issuer);
        claims.put("iat", now.getEpochSecond());
        claims.put("nbf", now.getEpochSecond());
        claims.put("exp", exp.getEpochSecond());
        claims.put("appid", principal.appId());
        claims.put("azp", principal.appId());
        claims.put("idtyp", "app");
        claims.put("oid", principal.objectId());
        claims.put("sub", principal.objectId());
        claims.put("tid", principal.tenantId());
        claims.put("uti", B64.encodeToString(UUID.randomUUID().toString().getBytes(StandardCharsets.US_ASCII)));
        claims.put("ver", version);
        String signingInput = B64.encodeToString(json.writeValueAsBytes(header)) + "."
                + B64.encodeToString(json.writeValueAsBytes(claims));
        try {
            Signature rs256 = Signature.getInstance("SHA256withRSA");
            rs256.initSign(key.privateKey());
            rs256.update(signingInput.getBytes(StandardCharsets.US_ASCII));
            return new Issued(signingInput + "." + B64.encodeToString(rs256.sign()), now, exp);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot sign a token", e);
        }
    }

    /** Checks a bearer token's signature and lifetime at {@code now}. */
    public Verification verify(String token, Instant now) {
        Verification.Valid known = verified.getIfFresh(token);
        if (known != null && now.isBefore(known.expiresAt().plus(SKEW))) {
            return known; // verified before (signature and claims); only the time has moved
        }
        String[] parts = token.split("\\.", -1);
        if (parts.length != 3) {
            return new Verification.Invalid("not a JWS compact serialization");
        }
        JsonNode header;
        JsonNode claims;
        byte[] signature;
        try {
            header = json.readTree(B64D.decode(parts[0]));
            claims = json.readTree(B64D.decode(parts[1]));
            signature = B64D.decode(parts[2]);
        } catch (RuntimeException e) {
            return new Verification.Invalid("not decodable");
        }
        if (!"RS256".equals(header.path("alg").asString(null))) {
            return new Verification.Invalid("unsupported algorithm");
        }
        Optional<SigningKeys.SigningKey> key = keys.find(header.path("kid").asString(""));
        if (key.isEmpty() || !signedBy(key.get(), parts[0] + "." + parts[1], signature)) {
            return new Verification.Invalid("bad signature");
        }
        if (!claims.path("exp").canConvertToLong() || !claims.path("tid").isString()
                || !claims.path("oid").isString() || !claims.path("aud").isString()
                || !claims.path("iss").isString()) {
            return new Verification.Invalid("missing claims");
        }
        Instant exp = Instant.ofEpochSecond(claims.path("exp").asLong());
        if (!now.isBefore(exp.plus(SKEW))) {
            return new Verification.Expired(exp);
        }
        if (claims.path("nbf").canConvertToLong()
                && now.plus(SKEW).isBefore(Instant.ofEpochSecond(claims.path("nbf").asLong()))) {
            return new Verification.NotYetValid(Instant.ofEpochSecond(claims.path("nbf").asLong()));
        }
        Verification.Valid valid = new Verification.Valid(new Caller(claims.path("tid").asString(),
                claims.path("oid").asString(), claims.path("appid").asString(null)), claims.path("aud").asString(),
                claims.path("iss").asString(), parsed(claims.path("iss").asString()), exp);
        verified.put(token, valid);
        return valid;
    }

    private static java.net.URI parsed(String uri) {
        try {
            return java.net.URI.create(uri);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static boolean signedBy(SigningKeys.SigningKey key, String signingInput, byte[] signature) {
        try {
            Signature rs256 = Signature.getInstance("SHA256withRSA");
            rs256.initVerify(key.publicKey());
            rs256.update(signingInput.getBytes(StandardCharsets.US_ASCII));
            return rs256.verify(signature);
        } catch (GeneralSecurityException e) {
            return false;
        }
    }

    /** The JSON Web Key Set of every verifying key, for the discovery documents. */
    public Map<String, Object> jwks() {
        return Map.of("keys", keys.all().stream().map(k -> Map.of(
                "kty", "RSA", "use", "sig", "alg", "RS256", "kid", k.kid(),
                "n", unsigned(k.publicKey().getModulus()), "e", unsigned(k.publicKey().getPublicExponent())))
                .toList());
    }

    private static String unsigned(BigInteger value) {
        byte[] bytes = value.toByteArray();
        if (bytes.length > 1 && bytes[0] == 0) {
            bytes = Arrays.copyOfRange(bytes, 1, bytes.length);
        }
        return B64.encodeToString(bytes);
    }
}
