package io.packlab.support;

import java.io.IOException;
import java.io.StringWriter;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
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
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * Certificates made at test time, in PEM files as dockerd and the docker CLI take them: a CA, a
 * server certificate with host names and addresses, a client certificate, each valid when told.
 * Bouncy Castle (which docker-java brings) writes them; nothing is fetched or kept in the repository.
 */
public final class TestCertificates {

    /** A certificate and its key pair. */
    public record Issued(X509Certificate certificate, KeyPair keys) {

        /** Writes the certificate to {@code cert} and its key to {@code key} (PKCS#8, or the key type's own form). */
        public void write(Path cert, Path key, boolean pkcs8) throws IOException {
            Files.writeString(cert, pem(certificate));
            Files.writeString(key, pkcs8 ? pem(new JcaPKCS8Generator(keys.getPrivate(), null))
                    : keys.getPrivate() instanceof java.security.interfaces.ECPrivateKey ec ? sec1(ec)
                    : pem(keys.getPrivate()));
        }

        /** SEC1 with the curve named inside, as `openssl ecparam -genkey` writes it. */
        private static String sec1(java.security.interfaces.ECPrivateKey ec) throws IOException {
            var info = org.bouncycastle.asn1.pkcs.PrivateKeyInfo.getInstance(ec.getEncoded());
            var curve = info.getPrivateKeyAlgorithm().getParameters();
            var inner = new org.bouncycastle.asn1.sec.ECPrivateKey(ec.getParams().getOrder().bitLength(), ec.getS(),
                    curve);
            StringWriter out = new StringWriter();
            try (var w = new org.bouncycastle.util.io.pem.PemWriter(out)) {
                w.writeObject(new org.bouncycastle.util.io.pem.PemObject("EC PRIVATE KEY", inner.getEncoded()));
            }
            return out.toString();
        }
    }

    private static final SecureRandom RANDOM = new SecureRandom();

    private TestCertificates() {
    }

    /** A certificate authority named {@code name}, valid from an hour ago for a day. */
    public static Issued authority(String name, String keyType) throws Exception {
        KeyPair keys = keys(keyType);
        Instant now = Instant.now();
        var builder = new JcaX509v3CertificateBuilder(new X500Name("CN=" + name), serial(),
                Date.from(now.minus(Duration.ofHours(1))), Date.from(now.plus(Duration.ofDays(1))),
                new X500Name("CN=" + name), keys.getPublic());
        builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
        builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
        return new Issued(sign(builder, keys), keys);
    }

    /**
     * A certificate signed by {@code ca}: a server's ({@code server}, with the DNS names and IP addresses
     * in {@code names}) or a client's, valid from {@code from} to {@code to}.
     */
    public static Issued issue(Issued ca, String name, boolean server, List<String> names, Instant from, Instant to,
            String keyType) throws Exception {
        KeyPair keys = keys(keyType);
        var builder = new JcaX509v3CertificateBuilder(ca.certificate(), serial(), Date.from(from), Date.from(to),
                new X500Name("CN=" + name), keys.getPublic());
        builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
        builder.addExtension(Extension.extendedKeyUsage, false,
                new ExtendedKeyUsage(server ? KeyPurposeId.id_kp_serverAuth : KeyPurposeId.id_kp_clientAuth));
        if (!names.isEmpty()) {
            List<GeneralName> alt = new ArrayList<>();
            for (String n : names) {
                alt.add(new GeneralName(n.matches("[0-9.]+|.*:.*") ? GeneralName.iPAddress : GeneralName.dNSName, n));
            }
            builder.addExtension(Extension.subjectAlternativeName, false,
                    new GeneralNames(alt.toArray(GeneralName[]::new)));
        }
        return new Issued(sign(builder, ca.keys()), keys);
    }

    /** A certificate valid from an hour ago for a day. */
    public static Issued issue(Issued ca, String name, boolean server, List<String> names, String keyType)
            throws Exception {
        Instant now = Instant.now();
        return issue(ca, name, server, names, now.minus(Duration.ofHours(1)), now.plus(Duration.ofDays(1)), keyType);
    }

    private static KeyPair keys(String type) throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance(type);
        if (type.equals("EC")) {
            generator.initialize(new ECGenParameterSpec("secp256r1"));
        } else {
            generator.initialize(2048);
        }
        return generator.generateKeyPair();
    }

    private static X509Certificate sign(JcaX509v3CertificateBuilder builder, KeyPair signer) throws Exception {
        String algorithm = signer.getPrivate().getAlgorithm().equals("EC") ? "SHA256withECDSA" : "SHA256withRSA";
        return new JcaX509CertificateConverter().getCertificate(builder.build(
                new JcaContentSignerBuilder(algorithm).build(signer.getPrivate())));
    }

    private static BigInteger serial() {
        return new BigInteger(64, RANDOM).add(BigInteger.ONE);
    }

    private static String pem(Object o) throws IOException {
        StringWriter out = new StringWriter();
        try (JcaPEMWriter w = new JcaPEMWriter(out)) {
            w.writeObject(o);
        }
        return out.toString();
    }
}
