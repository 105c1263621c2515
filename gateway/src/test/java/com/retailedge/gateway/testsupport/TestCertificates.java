package com.retailedge.gateway.testsupport;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.Key;
import java.security.KeyStore;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A throw-away certificate authority and a server certificate for {@code localhost} / 127.0.0.1, made with
 * the JDK's keytool (no openssl needed): PEM files for Mosquitto and a PKCS12 trust store for the JVM.
 */
public final class TestCertificates {
    public static final String PASSWORD = "changeit";

    private final Path dir;

    private TestCertificates(Path dir) {
        this.dir = dir;
    }

    public static TestCertificates create(Path dir) throws IOException, InterruptedException {
        Files.createDirectories(dir);
        TestCertificates c = new TestCertificates(dir);
        c.keytool(
                "-genkeypair",
                "-alias",
                "ca",
                "-keyalg",
                "RSA",
                "-keysize",
                "2048",
                "-dname",
                "CN=gateway-test-ca",
                "-ext",
                "bc:c",
                "-validity",
                "2",
                "-keystore",
                "ca.p12",
                "-storetype",
                "PKCS12",
                "-storepass",
                PASSWORD);
        c.keytool(
                "-genkeypair",
                "-alias",
                "server",
                "-keyalg",
                "RSA",
                "-keysize",
                "2048",
                "-dname",
                "CN=localhost",
                "-validity",
                "2",
                "-keystore",
                "server.p12",
                "-storetype",
                "PKCS12",
                "-storepass",
                PASSWORD);
        c.keytool(
                "-certreq",
                "-alias",
                "server",
                "-keystore",
                "server.p12",
                "-storepass",
                PASSWORD,
                "-file",
                "server.csr");
        c.keytool(
                "-gencert",
                "-alias",
                "ca",
                "-keystore",
                "ca.p12",
                "-storepass",
                PASSWORD,
                "-infile",
                "server.csr",
                "-outfile",
                "server.crt",
                "-rfc",
                "-validity",
                "2",
                "-ext",
                "SAN=dns:localhost,ip:127.0.0.1");
        c.keytool(
                "-exportcert",
                "-alias",
                "ca",
                "-keystore",
                "ca.p12",
                "-storepass",
                PASSWORD,
                "-rfc",
                "-file",
                "ca.crt");
        c.keytool(
                "-importcert",
                "-alias",
                "ca",
                "-file",
                "ca.crt",
                "-keystore",
                "trust.p12",
                "-storetype",
                "PKCS12",
                "-storepass",
                PASSWORD,
                "-noprompt");
        c.writeKeyPem("server.p12", "server", c.serverKey());
        return c;
    }

    /** Issues a client certificate signed by the CA ({@link #clientCertificate()}, {@link #clientKey()}). */
    public TestCertificates issueClientCertificate() throws IOException, InterruptedException {
        keytool(
                "-genkeypair",
                "-alias",
                "client",
                "-keyalg",
                "RSA",
                "-keysize",
                "2048",
                "-dname",
                "CN=gateway-s001",
                "-validity",
                "2",
                "-keystore",
                "client.p12",
                "-storetype",
                "PKCS12",
                "-storepass",
                PASSWORD);
        keytool(
                "-certreq",
                "-alias",
                "client",
                "-keystore",
                "client.p12",
                "-storepass",
                PASSWORD,
                "-file",
                "client.csr");
        keytool(
                "-gencert",
                "-alias",
                "ca",
                "-keystore",
                "ca.p12",
                "-storepass",
                PASSWORD,
                "-infile",
                "client.csr",
                "-outfile",
                "client.crt",
                "-rfc",
                "-validity",
                "2",
                "-ext",
                "EKU=clientAuth");
        writeKeyPem("client.p12", "client", clientKey());
        return this;
    }

    public Path caCertificate() {
        return dir.resolve("ca.crt");
    }

    public Path serverCertificate() {
        return dir.resolve("server.crt");
    }

    public Path serverKey() {
        return dir.resolve("server.key");
    }

    /** A PKCS12 trust store holding only the test CA. */
    public Path trustStore() {
        return dir.resolve("trust.p12");
    }

    /** A client certificate for the gateway, signed by the test CA (PEM). */
    public Path clientCertificate() {
        return dir.resolve("client.crt");
    }

    /** The client certificate's PKCS#8 PEM key, mode 0600 as the gateway requires. */
    public Path clientKey() {
        return dir.resolve("client.key");
    }

    private void writeKeyPem(String storeFile, String alias, Path target) throws IOException {
        try (InputStream in = Files.newInputStream(dir.resolve(storeFile))) {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(in, PASSWORD.toCharArray());
            Key key = store.getKey(alias, PASSWORD.toCharArray());
            String pem = "-----BEGIN PRIVATE KEY-----\n"
                    + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                            .encodeToString(key.getEncoded())
                    + "\n-----END PRIVATE KEY-----\n";
            Files.writeString(target, pem);
            Files.setPosixFilePermissions(target, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
        } catch (java.security.GeneralSecurityException e) {
            throw new IOException("cannot read the test key " + alias, e);
        }
    }

    private void keytool(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command)
                .directory(dir.toFile())
                .redirectErrorStream(true)
                .start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IOException("keytool " + String.join(" ", args) + " failed: " + output);
        }
    }
}
