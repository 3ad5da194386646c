package io.packlab.engine;

import io.packlab.error.PacklabException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateFactory;
import java.security.cert.CertificateNotYetValidException;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;
import javax.net.ssl.X509TrustManager;

/**
 * TLS to a {@code tcp://} engine as the docker CLI sets it up from the environment: DOCKER_TLS_VERIFY
 * (any value) is TLS with the engine's certificate checked against {@code ca.pem}, DOCKER_TLS (any
 * value) TLS without that check; the files come from DOCKER_CERT_PATH, by default the docker CLI's
 * folder ({@code $DOCKER_CONFIG}, else {@code ~/.docker}), and {@code cert.pem}/{@code key.pem} are the
 * client certificate when they are there. Material that cannot be used and handshakes that fail are
 * one paragraph each, naming the file or variable and what to do.
 */
final class EngineTls {

    /** How packlab speaks to a tcp:// engine. */
    enum Mode { OFF, VERIFY, NO_VERIFY }

    /** Why the engine's certificate was not accepted. */
    private enum Refusal { EXPIRED, NOT_YET_VALID, HOST_NAME, UNTRUSTED }

    private record Failure(Refusal refusal, X509Certificate certificate, String reason) {
    }

    private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'", Locale.ROOT)
            .withZone(ZoneOffset.UTC);

    private final Mode mode;
    private final Path folder;
    /** Where the folder came from, as the message names it. */
    private final String folderFrom;
    private X509Certificate clientCertificate;
    private List<X509Certificate> authorities = List.of();
    /** The last certificate of an engine that packlab did not accept, with why (set in the handshake). */
    private volatile Failure refused;
    /** The certificate the engine presented last, accepted or not (for the messages). */
    private volatile X509Certificate presented;
    /** Whether packlab accepted an engine's certificate: a connection closed after that is the engine's refusal of ours. */
    private volatile boolean accepted;

    private EngineTls(Mode mode, Path folder, String folderFrom) {
        this.mode = mode;
        this.folder = folder;
        this.folderFrom = folderFrom;
    }

    /** The TLS settings of the environment, as the docker CLI reads them (nothing is read from disk yet). */
    static EngineTls fromEnvironment(Map<String, String> env) {
        Mode mode = set(env, "DOCKER_TLS_VERIFY") ? Mode.VERIFY : set(env, "DOCKER_TLS") ? Mode.NO_VERIFY : Mode.OFF;
        String certPath = env.get("DOCKER_CERT_PATH");
        if (certPath != null && !certPath.isEmpty()) {
            return new EngineTls(mode, Path.of(certPath).toAbsolutePath(), "DOCKER_CERT_PATH=" + certPath);
        }
        String config = env.get("DOCKER_CONFIG");
        if (config != null && !config.isEmpty()) {
            return new EngineTls(mode, Path.of(config).toAbsolutePath(), "the docker CLI's folder (DOCKER_CONFIG="
                    + config + "; DOCKER_CERT_PATH is not set)");
        }
        String home = env.getOrDefault("HOME", System.getProperty("user.home"));
        return new EngineTls(mode, Path.of(home, ".docker"), "the docker CLI's folder " + Path.of(home, ".docker")
                + " (DOCKER_CERT_PATH is not set)");
    }

    private static boolean set(Map<String, String> env, String name) {
        String v = env.get(name);
        return v != null && !v.isEmpty();
    }

    /** Whether TLS is on (DOCKER_TLS_VERIFY or DOCKER_TLS): then a tcp:// engine's default port is 2376. */
    boolean enabled() {
        return mode != Mode.OFF;
    }

    Mode mode() {
        return mode;
    }

    /**
     * The TLS context for the engine, from the files in the folder: a file that is missing, unreadable,
     * not PEM, expired, or a key that is not the certificate's is bad input (exit code 2).
     */
    SSLContext context() {
        try {
            KeyManagerFactory keys = null;
            Path certFile = folder.resolve("cert.pem");
            Path keyFile = folder.resolve("key.pem");
            boolean cert = Files.exists(certFile);
            boolean key = Files.exists(keyFile);
            if (cert != key) {
                Path missing = cert ? keyFile : certFile;
                throw bad(missing + " is missing, while " + (cert ? certFile : keyFile) + " is there: a client"
                        + " certificate (cert.pem) needs its private key (key.pem), and the other way round. Put both"
                        + " files there, as whoever runs the engine gave them to you, or neither (then packlab connects"
                        + " without a client certificate, as the docker CLI does)");
            }
            if (cert) {
                List<X509Certificate> chain = certificates(certFile, "your client certificate");
                X509Certificate leaf = chain.get(0);
                checkValid(leaf, certFile);
                PrivateKey privateKey = privateKey(keyFile);
                checkPair(leaf, privateKey, certFile, keyFile);
                KeyStore store = KeyStore.getInstance("PKCS12");
                store.load(null, null);
                store.setKeyEntry("client", privateKey, new char[0], chain.toArray(X509Certificate[]::new));
                keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
                keys.init(store, new char[0]);
                clientCertificate = leaf;
            }
            TrustManager trust;
            if (mode == Mode.VERIFY) {
                Path caFile = folder.resolve("ca.pem");
                if (!Files.exists(caFile)) {
                    throw bad("DOCKER_TLS_VERIFY is set, so packlab checks the engine's certificate against the"
                            + " certificate authority in ca.pem, and there is no " + caFile + ". Put the engine's CA"
                            + " certificate there as ca.pem (beside cert.pem and key.pem, your client certificate and"
                            + " key), or set DOCKER_CERT_PATH to the folder that holds them, as for the docker CLI");
                }
                authorities = certificates(caFile, "the certificate authority that signed the engine's certificate");
                KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
                store.load(null, null);
                for (int i = 0; i < authorities.size(); i++) {
                    store.setCertificateEntry("ca" + i, authorities.get(i));
                }
                TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
                factory.init(store);
                trust = new Recording((X509ExtendedTrustManager) factory.getTrustManagers()[0]);
            } else {
                trust = new Recording(null); // DOCKER_TLS without DOCKER_TLS_VERIFY: the docker CLI's --tls
            }
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(keys == null ? null : keys.getKeyManagers(), new TrustManager[] {trust}, null);
            return context;
        } catch (GeneralSecurityException | IOException e) {
            throw bad("packlab could not set up TLS from the files in " + folder + " (" + e.getMessage() + ")."
                    + " Check that ca.pem, cert.pem and key.pem there are the PEM files the engine's owner gave you");
        }
    }

    private List<X509Certificate> certificates(Path file, String what) throws IOException {
        byte[] bytes = read(file);
        List<X509Certificate> out = new ArrayList<>();
        try {
            CertificateFactory factory = CertificateFactory.getInstance("X.509");
            factory.generateCertificates(new ByteArrayInputStream(bytes)).forEach(c -> out.add((X509Certificate) c));
        } catch (CertificateException e) {
            out.clear();
        }
        if (out.isEmpty()) {
            throw bad(file + " should hold " + what + " in PEM form (lines between -----BEGIN CERTIFICATE----- and"
                    + " -----END CERTIFICATE-----), and it holds no certificate packlab can read. Put the right file"
                    + " there");
        }
        return out;
    }

    private PrivateKey privateKey(Path file) throws IOException {
        String text = new String(read(file), StandardCharsets.US_ASCII);
        if (text.contains("ENCRYPTED")) {
            throw bad(file + " is protected by a passphrase, and packlab (like the docker CLI) cannot ask for it."
                    + " Write it out without one, for example `openssl pkey -in " + file + " -out " + file + "`"
                    + " (it asks for the passphrase once), and keep the file readable by you alone");
        }
        PrivateKey key = null;
        // Bouncy Castle (docker-java's own PEM reader) takes the three forms: PKCS#8 (openssl 3), PKCS#1 RSA
        // (openssl 1.1, docker-machine) and SEC1 EC (openssl ecparam)
        try (org.bouncycastle.openssl.PEMParser pem = new org.bouncycastle.openssl.PEMParser(new java.io.StringReader(text))) {
            var converter = new org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter();
            for (Object o = pem.readObject(); o != null && key == null; o = pem.readObject()) {
                if (o instanceof org.bouncycastle.openssl.PEMKeyPair pair) {
                    key = converter.getPrivateKey(pair.getPrivateKeyInfo());
                } else if (o instanceof org.bouncycastle.asn1.pkcs.PrivateKeyInfo info) {
                    key = converter.getPrivateKey(info);
                }
            }
        } catch (IOException | RuntimeException e) {
            key = null; // said below
        }
        if (key == null) {
            throw bad(file + " should hold the private key of your client certificate in PEM form (lines between"
                    + " -----BEGIN ... PRIVATE KEY----- and -----END ... PRIVATE KEY-----), and it holds no key packlab"
                    + " can read. Put the key that belongs to cert.pem there");
        }
        return key;
    }

    private byte[] read(Path file) throws IOException {
        try {
            return Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw bad(file + " is missing");
        } catch (IOException e) {
            throw bad("packlab cannot read " + file + " (" + e.getMessage() + "). Make it readable by the user who"
                    + " runs packlab");
        }
    }

    private void checkValid(X509Certificate cert, Path file) {
        Date now = new Date();
        if (now.after(cert.getNotAfter())) {
            throw bad("your client certificate " + file + " (" + subject(cert) + ") expired on "
                    + day(cert.getNotAfter()) + ", and an engine that checks client certificates refuses it. Ask"
                    + " whoever runs the engine for a new one (cert.pem and key.pem)");
        }
        if (now.before(cert.getNotBefore())) {
            throw bad("your client certificate " + file + " (" + subject(cert) + ") is valid only from "
                    + day(cert.getNotBefore()) + ". If that date has passed, this machine's clock is wrong: set it"
                    + " right (`sudo timedatectl set-ntp true`)");
        }
    }

    /** A key that is not the certificate's fails the handshake with a puzzling alert: said here instead. */
    private void checkPair(X509Certificate cert, PrivateKey key, Path certFile, Path keyFile)
            throws GeneralSecurityException {
        String algorithm = switch (key.getAlgorithm()) {
            case "RSA" -> "SHA256withRSA";
            case "EC" -> "SHA256withECDSA";
            case "Ed25519", "EdDSA" -> "Ed25519";
            default -> null;
        };
        if (algorithm == null) {
            return;
        }
        byte[] probe = "packlab".getBytes(StandardCharsets.US_ASCII);
        boolean matches;
        try {
            Signature sign = Signature.getInstance(algorithm);
            sign.initSign(key);
            sign.update(probe);
            byte[] signature = sign.sign();
            Signature verify = Signature.getInstance(algorithm);
            verify.initVerify(cert.getPublicKey());
            verify.update(probe);
            matches = verify.verify(signature);
        } catch (java.security.InvalidKeyException | java.security.SignatureException e) {
            matches = false;
        }
        if (!matches) {
            throw bad("the private key " + keyFile + " does not belong to the client certificate " + certFile + " ("
                    + subject(cert) + "). Put the key that was made with that certificate there (the two come as a"
                    + " pair from whoever runs the engine)");
        }
    }

    private PacklabException bad(String what) {
        return PacklabException.usage("packlab cannot use the TLS files for the Docker engine: " + what + ". (The"
                + " files come from " + folderFrom + "; TLS is on because " + because() + ".)");
    }

    private String because() {
        return mode == Mode.VERIFY ? "DOCKER_TLS_VERIFY is set" : "DOCKER_TLS is set";
    }

    /** What doctor says about the connection: TLS, what was verified, the client certificate. */
    String describe() {
        if (mode == Mode.OFF) {
            return "no TLS (neither DOCKER_TLS_VERIFY nor DOCKER_TLS is set): whoever reaches that port controls the"
                    + " engine, so keep it on a network you trust";
        }
        String server = mode == Mode.VERIFY
                ? "the engine's certificate verified against " + folder.resolve("ca.pem")
                        + (authorities.isEmpty() ? "" : " (" + subject(authorities.get(0)) + ")")
                : "the engine's certificate NOT verified (DOCKER_TLS without DOCKER_TLS_VERIFY)";
        String client = clientCertificate == null ? "no client certificate (no cert.pem in " + folder + ")"
                : "client certificate " + folder.resolve("cert.pem") + " (" + subject(clientCertificate)
                        + ", valid until " + day(clientCertificate.getNotAfter()) + ")";
        return "TLS, " + server + ", " + client;
    }

    /** A plain-HTTP request reached an engine that speaks TLS on that port. */
    static boolean plainToTls(int status, String body) {
        return status == 400 && body.contains("HTTP request to an HTTPS server");
    }

    PacklabException speaksTls(String endpoint) {
        return PacklabException.usage("The Docker engine at " + endpoint + " speaks TLS, and packlab spoke plain HTTP"
                + " to it because neither DOCKER_TLS_VERIFY nor DOCKER_TLS is set. Set DOCKER_TLS_VERIFY=1 and"
                + " DOCKER_CERT_PATH to the folder with ca.pem, cert.pem and key.pem (the files whoever runs the engine"
                + " gave you), as for the docker CLI, then try again.");
    }

    /**
     * The paragraph for a TLS failure somewhere in {@code e}'s causes, or null when {@code e} is not
     * about TLS. {@code host} is the name or address of DOCKER_HOST.
     */
    PacklabException failure(String endpoint, String host, Throwable e) {
        if (mode == Mode.OFF) {
            return null;
        }
        SSLException ssl = null;
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SSLException s) {
                ssl = s;
                break;
            }
        }
        String reason;
        if (ssl != null) {
            reason = String.valueOf(ssl.getMessage());
        } else if (accepted && closedRightAway(e)) {
            // TLS 1.3: the engine checks the client certificate after packlab's side of the handshake is done,
            // and its refusal comes as a closed connection when packlab sends its first request
            reason = "the connection was closed right after the handshake";
        } else {
            return null;
        }
        Failure f = refused;
        refused = null;
        if (f == null && ssl instanceof SSLPeerUnverifiedException && reason.contains("doesn't match")) {
            f = new Failure(Refusal.HOST_NAME, presented, reason); // the host name check of the HTTP client
        }
        String at = "The Docker engine at " + endpoint + " ";
        String files = " (The files come from " + folderFrom + "; TLS is on because " + because() + ".)";
        if (f != null) {
            String cert = f.certificate() == null ? "its certificate" : "its certificate (" + subject(f.certificate())
                    + ", issued by " + issuer(f.certificate()) + ")";
            return switch (f.refusal()) {
                case EXPIRED -> new PacklabException(PacklabException.NO_ENGINE, at + "presents " + cert + ", which"
                        + (f.certificate() == null ? " has expired" : " expired on " + day(f.certificate().getNotAfter()))
                        + ", so packlab does not trust it. Whoever runs the engine has to give it a new certificate"
                        + " (and restart dockerd with it); if that date is still to come, this machine's clock is wrong"
                        + " (`sudo timedatectl set-ntp true`)." + files);
                case NOT_YET_VALID -> new PacklabException(PacklabException.NO_ENGINE, at + "presents " + cert
                        + ", which is not valid yet"
                        + (f.certificate() == null ? "" : " (from " + day(f.certificate().getNotBefore()) + ")")
                        + ". The clock of this machine or of the engine's is wrong: set it right (`sudo timedatectl"
                        + " set-ntp true`), then try again." + files);
                case HOST_NAME -> PacklabException.usage(at + "presents " + cert + ", which is not made out for the"
                        + " name `" + host + "` in DOCKER_HOST" + names(f.certificate()) + ". Set DOCKER_HOST to the"
                        + " name the certificate gives (keeping the port), or ask whoever runs the engine for a"
                        + " certificate that names `" + host + "`." + files);
                case UNTRUSTED -> PacklabException.usage(at + "presents " + cert + ", which is not signed by the"
                        + " certificate authority in " + folder.resolve("ca.pem")
                        + (authorities.isEmpty() ? "" : " (" + subject(authorities.get(0)) + ")") + ", so packlab"
                        + " does not trust it. Put the CA certificate of that engine in ca.pem (with the cert.pem and"
                        + " key.pem made with it), or point DOCKER_CERT_PATH or DOCKER_HOST at the matching folder or"
                        + " engine." + files);
            };
        }
        if (reason.contains("Unsupported or unrecognized SSL message") || reason.contains("plaintext connection")) {
            return PacklabException.usage(at + "does not speak TLS on that port, and packlab spoke TLS to it because "
                    + because() + ". If the engine listens without TLS, unset " + (mode == Mode.VERIFY
                    ? "DOCKER_TLS_VERIFY" : "DOCKER_TLS") + " (and know that whoever reaches that port controls the"
                    + " engine); if it has a TLS port, point DOCKER_HOST at it (usually 2376)." + files);
        }
        String alert = reason.toLowerCase(Locale.ROOT);
        if (ssl == null || alert.contains("bad_certificate") || alert.contains("certificate_required") || alert.contains("unknown_ca")
                || alert.contains("certificate_unknown") || alert.contains("certificate_expired")
                || alert.contains("access_denied") || alert.contains("bad certificate")) {
            String mine = clientCertificate == null
                    ? "packlab sent no client certificate, since there is no cert.pem and key.pem in " + folder
                    : "it refused your client certificate " + folder.resolve("cert.pem") + " ("
                            + subject(clientCertificate) + ", issued by " + issuer(clientCertificate) + ")";
            return PacklabException.usage(at + "ended the TLS handshake (" + reason + "): " + mine + ". An engine"
                    + " started with --tlsverify accepts only client certificates signed by its own certificate"
                    + " authority: put the cert.pem and key.pem that whoever runs the engine gave you in " + folder
                    + ", or ask them for a pair." + files);
        }
        return new PacklabException(PacklabException.NO_ENGINE, at + "and packlab could not agree on TLS (" + reason
                + "). Check that DOCKER_HOST names the engine's TLS port and that the files in " + folder + " are the"
                + " ones for that engine; `./packlab doctor` checks the whole set-up." + files);
    }

    private static boolean closedRightAway(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            String m = String.valueOf(t.getMessage()).toLowerCase(Locale.ROOT);
            if (t instanceof IOException && (m.contains("broken pipe") || m.contains("connection reset")
                    || t instanceof java.io.EOFException || t.getClass().getSimpleName().contains("NoHttpResponse"))) {
                return true;
            }
        }
        return false;
    }

    private static String names(X509Certificate cert) {
        if (cert == null) {
            return "";
        }
        List<String> names = new ArrayList<>();
        try {
            if (cert.getSubjectAlternativeNames() != null) {
                cert.getSubjectAlternativeNames().forEach(n -> names.add(String.valueOf(n.get(1))));
            }
        } catch (java.security.cert.CertificateParsingException e) {
            // no names to show
        }
        return names.isEmpty() ? " (it names no host)" : " (it is made out for " + String.join(", ", names) + ")";
    }

    private static String subject(X509Certificate cert) {
        return cert.getSubjectX500Principal().getName();
    }

    private static String issuer(X509Certificate cert) {
        return cert.getIssuerX500Principal().getName();
    }

    private static String day(Date date) {
        return DAY.format(Instant.ofEpochMilli(date.getTime()));
    }

    /**
     * The trust manager of the handshake: the PKIX one for ca.pem (which also checks the host name),
     * or none (DOCKER_TLS alone); it notes why it refused a certificate, for {@link #failure}.
     */
    private final class Recording extends X509ExtendedTrustManager {

        private final X509ExtendedTrustManager delegate;

        Recording(X509ExtendedTrustManager delegate) {
            this.delegate = delegate;
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket)
                throws CertificateException {
            check(chain, () -> delegate.checkServerTrusted(chain, authType, socket));
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
                throws CertificateException {
            check(chain, () -> delegate.checkServerTrusted(chain, authType, engine));
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            check(chain, () -> delegate.checkServerTrusted(chain, authType));
        }

        private interface Check {
            void run() throws CertificateException;
        }

        private void check(X509Certificate[] chain, Check check) throws CertificateException {
            presented = chain.length == 0 ? null : chain[0];
            if (delegate != null) {
                try {
                    check.run();
                } catch (CertificateException e) {
                    throw note(chain, e);
                }
            }
            accepted = true;
        }

        private CertificateException note(X509Certificate[] chain, CertificateException e) {
            Refusal why = Refusal.UNTRUSTED;
            for (Throwable t = e; t != null; t = t.getCause()) {
                if (t instanceof CertificateExpiredException) {
                    why = Refusal.EXPIRED;
                } else if (t instanceof CertificateNotYetValidException) {
                    why = Refusal.NOT_YET_VALID;
                } else if (t instanceof CertPathValidatorException v
                        && v.getReason() == CertPathValidatorException.BasicReason.EXPIRED) {
                    why = Refusal.EXPIRED;
                } else if (t instanceof CertPathValidatorException v
                        && v.getReason() == CertPathValidatorException.BasicReason.NOT_YET_VALID) {
                    why = Refusal.NOT_YET_VALID;
                }
            }
            String m = String.valueOf(e.getMessage());
            if (why == Refusal.UNTRUSTED && (m.contains("No subject alternative") || m.contains("No name matching"))) {
                why = Refusal.HOST_NAME;
            }
            refused = new Failure(why, chain.length == 0 ? null : chain[0], m);
            return e;
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket)
                throws CertificateException {
            throw new CertificateException("packlab is a client");
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
                throws CertificateException {
            throw new CertificateException("packlab is a client");
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            throw new CertificateException("packlab is a client");
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return delegate == null ? new X509Certificate[0] : ((X509TrustManager) delegate).getAcceptedIssuers();
        }
    }
}
