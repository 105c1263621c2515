package com.retailedge.gateway.security;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * An {@link SSLContext} for the cloud link from PEM files: the CA certificates to trust (instead of the JVM's
 * trust store) and an optional client certificate chain with its PKCS#8 private key. The certificates are the
 * operator's; the gateway issues none to itself, so nothing here expires by the gateway's own doing.
 */
public final class PemTls {
    private static final Pattern PRIVATE_KEY =
            Pattern.compile("-----BEGIN PRIVATE KEY-----([A-Za-z0-9+/=\\s]+)-----END PRIVATE KEY-----");
    private static final char[] NO_PASSWORD = new char[0];

    private PemTls() {}

    /**
     * @param caFile   PEM CA certificates to trust, or null for the JVM's trust store
     * @param certFile PEM client certificate (chain), or null to present none
     * @param keyFile  PEM PKCS#8 private key of the client certificate (needed with certFile)
     */
    public static SSLContext context(Path caFile, Path certFile, Path keyFile) throws IOException {
        try {
            TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            if (caFile == null) {
                trust.init((KeyStore) null);
            } else {
                KeyStore anchors = emptyStore();
                int n = 0;
                for (Certificate ca : certificates(caFile, "cloud.ca-file")) {
                    anchors.setCertificateEntry("ca-" + n++, ca);
                }
                trust.init(anchors);
            }
            KeyManagerFactory keys = null;
            if (certFile != null) {
                List<Certificate> chain = new ArrayList<>(certificates(certFile, "cloud.cert-file"));
                PrivateKey key = privateKey(keyFile, chain.get(0).getPublicKey().getAlgorithm());
                KeyStore identity = emptyStore();
                identity.setKeyEntry("client", key, NO_PASSWORD, chain.toArray(new Certificate[0]));
                keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
                keys.init(identity, NO_PASSWORD);
            }
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(keys == null ? null : keys.getKeyManagers(), trust.getTrustManagers(), null);
            return context;
        } catch (GeneralSecurityException e) {
            throw new IOException(
                    "cloud TLS material cannot be used: " + e.getClass().getSimpleName(), e);
        }
    }

    private static KeyStore emptyStore() throws GeneralSecurityException, IOException {
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        return store;
    }

    private static Collection<? extends Certificate> certificates(Path file, String key)
            throws IOException, GeneralSecurityException {
        if (!Files.isRegularFile(file)) {
            throw new IOException(key + ": " + file.toAbsolutePath() + " does not exist or is not a file");
        }
        try (InputStream in = Files.newInputStream(file)) {
            Collection<? extends Certificate> certs =
                    CertificateFactory.getInstance("X.509").generateCertificates(in);
            if (certs.isEmpty()) {
                throw new IOException(key + ": " + file.toAbsolutePath() + " holds no PEM certificate");
            }
            return certs;
        } catch (java.security.cert.CertificateException e) {
            throw new IOException(key + ": " + file.toAbsolutePath() + " is not a PEM certificate file");
        }
    }

    /** Reads an unencrypted PKCS#8 key; its content never appears in a message. */
    private static PrivateKey privateKey(Path file, String algorithm) throws IOException, GeneralSecurityException {
        if (file == null) {
            throw new IOException("cloud.key-file must be set with cloud.cert-file");
        }
        PrivateFiles.requirePrivateFile(file, "cloud client key", "cloud.key-file");
        String pem = Files.readString(file, StandardCharsets.US_ASCII);
        Matcher m = PRIVATE_KEY.matcher(pem);
        if (!m.find()) {
            throw new IOException("cloud.key-file " + file.toAbsolutePath() + " holds no unencrypted PKCS#8 key "
                    + "(-----BEGIN PRIVATE KEY-----); convert it with: openssl pkcs8 -topk8 -nocrypt -in KEY -out "
                    + file.getFileName());
        }
        byte[] der = Base64.getMimeDecoder().decode(m.group(1));
        try {
            return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(der));
        } catch (java.security.spec.InvalidKeySpecException e) {
            throw new IOException("cloud.key-file " + file.toAbsolutePath() + " is not a " + algorithm
                    + " key matching cloud.cert-file");
        } finally {
            java.util.Arrays.fill(der, (byte) 0);
        }
    }
}
