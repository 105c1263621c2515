package com.retailedge.gateway.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/** The typed, validated configuration; built only by {@link ConfigLoader}. */
public record GatewayConfig(
        String storeId,
        Mqtt mqtt,
        Coap coap,
        Http http,
        Cloud cloud,
        Path dataDir,
        Api api,
        Outbox outbox,
        int writerBatch,
        Duration buttonsDebounce,
        Duration buttonsCancelWindow,
        Duration membersVisitWindow,
        List<DeviceEntry> devices) {

    /** In-store MQTT: an external broker URL, or the embedded broker's port. */
    /** {@code credentialsFile} is null when none is configured. */
    public record Mqtt(String url, String bind, int port, int maxPending, boolean authRequired, Path credentialsFile) {
        public boolean embedded() {
            return url.isEmpty();
        }
    }

    /** {@code pskFile} is null when DTLS is off. */
    public record Coap(String bind, int port, boolean plain, int dtlsPort, Path pskFile) {
        public boolean dtls() {
            return pskFile != null;
        }
    }

    public record Http(String bind, int port) {
    }

    /** The PEM paths are null when not configured. */
    public record Cloud(String url, String clientId, String username, String password, int window,
                        Duration reconnectMax, Duration keepAlive, Duration ackTimeout,
                        Path caFile, Path certFile, Path keyFile) {
        @Override
        public String toString() {
            // Never print the password.
            return "Cloud[url=" + url + ", clientId=" + clientId + ", username=" + username + ", window=" + window
                    + ", caFile=" + caFile + ", certFile=" + certFile + ", keyFile=" + keyFile + "]";
        }
    }

    public record Api(String token, String adminToken) {
        @Override
        public String toString() {
            return "Api[tokens hidden]";
        }
    }

    public record Outbox(long maxEvents, long maxBytes, Duration retention) {
    }
}
