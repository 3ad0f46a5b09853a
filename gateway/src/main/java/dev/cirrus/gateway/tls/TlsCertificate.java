package dev.cirrus.gateway.tls;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Date;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import dev.cirrus.gateway.identity.GatewayData;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.springframework.stereotype.Component;

/**
 * The gateway's TLS certificate, generated on first start into {@code {data-dir}/tls/} and reused afterwards:
 * <ul>
 *   <li>{@code gateway.crt.pem}: the self-signed certificate (CN=localhost; subjectAltName localhost, 127.0.0.1,
 *       ::1 and {@code cirrus.gateway.tls-hostnames}), what Node clients trust ({@code NODE_EXTRA_CA_CERTS});</li>
 *   <li>{@code gateway.key.pem}: its RSA key (PKCS#8), owner-readable only;</li>
 *   <li>{@code gateway.p12}: key and certificate in PKCS#12 (password {@value #PASSWORD}), for other servers;</li>
 *   <li>{@code truststore.p12}: the certificate alone as a trusted entry (password {@value #PASSWORD}), what Java
 *       clients trust ({@code -Djavax.net.ssl.trustStore=…/truststore.p12 -Djavax.net.ssl.trustStorePassword=changeit}).</li>
 * </ul>
 * Valid ten years. Delete the folder to get a new one (clients must then trust the new certificate).
 */
@Component
public class TlsCertificate {

    public static final String PASSWORD = "changeit";
    private static final Duration VALIDITY = Duration.ofDays(3650);

    private final Path folder;
    private final PrivateKey key;
    private final X509Certificate certificate;

    TlsCertificate(GatewayData data, Clock clock) {
        this.folder = data.folder("tls");
        try {
            if (!Files.isRegularFile(p12())) {
                generate(data.tlsHostnames(), clock.instant());
            }
            KeyStore store = KeyStore.getInstance("PKCS12");
            try (InputStream in = Files.newInputStream(p12())) {
                store.load(in, PASSWORD.toCharArray());
            }
            this.key = (PrivateKey) store.getKey("gateway", PASSWORD.toCharArray());
            this.certificate = (X509Certificate) store.getCertificate("gateway");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read or write the TLS certificate in " + folder, e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot generate or load the TLS certificate in " + folder, e);
        }
    }

    public PrivateKey key() {
        return key;
    }

    public X509Certificate certificate() {
        return certificate;
    }

    public Path certificatePem() {
        return folder.resolve("gateway.crt.pem");
    }

    public Path trustStore() {
        return folder.resolve("truststore.p12");
    }

    private Path p12() {
        return folder.resolve("gateway.p12");
    }

    private void generate(List<String> extraNames, Instant now) throws GeneralSecurityException, IOException {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        KeyPair pair = generator.generateKeyPair();
        X500Name subject = new X500Name("CN=localhost, O=Cirrus, OU=gateway");
        List<GeneralName> names = new ArrayList<>();
        Set<String> dns = new LinkedHashSet<>(List.of("localhost"));
        Set<String> ips = new LinkedHashSet<>(List.of("127.0.0.1", "::1"));
        for (String name : extraNames) {
            if (name.matches("[0-9.]+") || name.contains(":")) {
                ips.add(name);
            } else {
                dns.add(name);
            }
        }
        dns.forEach(d -> names.add(new GeneralName(GeneralName.dNSName, d)));
        for (String ip : ips) {
            names.add(new GeneralName(GeneralName.iPAddress, InetAddress.getByName(ip).getHostAddress()));
        }
        JcaX509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(subject,
                new BigInteger(127, new SecureRandom()), Date.from(now.minus(Duration.ofDays(1))),
                Date.from(now.plus(VALIDITY)), subject, pair.getPublic());
        builder.addExtension(Extension.subjectAlternativeName, false,
                new GeneralNames(names.toArray(GeneralName[]::new)));
        // a self-signed certificate that clients add as a trust anchor: CA so that OpenSSL (Node) accepts it as one
        builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
        builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature
                | KeyUsage.keyEncipherment | KeyUsage.keyCertSign));
        builder.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth));
        X509Certificate cert;
        try {
            cert = new JcaX509CertificateConverter().getCertificate(
                    builder.build(new JcaContentSignerBuilder("SHA256withRSA").build(pair.getPrivate())));
        } catch (org.bouncycastle.operator.OperatorCreationException e) {
            throw new GeneralSecurityException(e);
        }

        GatewayData.write(certificatePem(), pem("CERTIFICATE", cert.getEncoded()), false);
        GatewayData.write(folder.resolve("gateway.key.pem"), pem("PRIVATE KEY", pair.getPrivate().getEncoded()), true);
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("cirrus-gateway", cert);
        GatewayData.write(trustStore(), store(trust), false);
        KeyStore server = KeyStore.getInstance("PKCS12");
        server.load(null, null);
        server.setKeyEntry("gateway", pair.getPrivate(), PASSWORD.toCharArray(), new Certificate[] {cert});
        GatewayData.write(p12(), store(server), true);
    }

    private static byte[] store(KeyStore store) throws GeneralSecurityException, IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        store.store(out, PASSWORD.toCharArray());
        return out.toByteArray();
    }

    private static byte[] pem(String type, byte[] der) {
        return ("-----BEGIN " + type + "-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der)
                + "\n-----END " + type + "-----\n").getBytes(StandardCharsets.US_ASCII);
    }
}
