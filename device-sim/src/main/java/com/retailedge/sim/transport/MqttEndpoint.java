package com.retailedge.sim.transport;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.util.Locale;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;

/**
 * Where and how to connect to an MQTT broker: {@code tcp://} or {@code ssl://}, optional
 * credentials, and optionally a PEM CA file to trust instead of the JVM's default trust store.
 *
 * @param url broker URL
 * @param username user name, or null
 * @param password password, or null
 * @param caPem PEM file with the CA certificate(s) to trust for {@code ssl://}, or null
 */
public record MqttEndpoint(String url, String username, String password, Path caPem) {

    /** Validates the URL scheme early so a typo fails with a clear message, not a Paho stack trace. */
    public MqttEndpoint {
        String lower = url.toLowerCase(Locale.ROOT);
        if (!lower.startsWith("tcp://") && !lower.startsWith("ssl://")) {
            throw new IllegalArgumentException("MQTT URL must start with tcp:// or ssl://, got '" + url + "'");
        }
    }

    /** A plain endpoint without credentials. */
    public static MqttEndpoint of(String url) {
        return new MqttEndpoint(url, null, null, null);
    }

    /**
     * Connect options shared by every client here: clean session (simulators keep no state across
     * runs), automatic reconnect, and the given in-flight window.
     */
    public MqttConnectOptions connectOptions(int maxInflight) {
        MqttConnectOptions o = new MqttConnectOptions();
        o.setCleanSession(true);
        o.setAutomaticReconnect(true);
        o.setMaxInflight(maxInflight);
        o.setConnectionTimeout(10);
        o.setKeepAliveInterval(30);
        o.setMaxReconnectDelay(2_000);
        if (username != null) {
            o.setUserName(username);
        }
        if (password != null) {
            o.setPassword(password.toCharArray());
        }
        if (caPem != null) {
            o.setSocketFactory(trusting(caPem).getSocketFactory());
        }
        return o;
    }

    private static SSLContext trusting(Path pem) {
        try (InputStream in = Files.newInputStream(pem)) {
            KeyStore ks = KeyStore.getInstance(KeyStore.getDefaultType());
            ks.load(null, null);
            int i = 0;
            for (Certificate c : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
                ks.setCertificateEntry("ca-" + i++, c);
            }
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(ks);
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(null, tmf.getTrustManagers(), null);
            return ctx;
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalArgumentException("cannot use CA file " + pem + ": " + e.getMessage(), e);
        }
    }
}
