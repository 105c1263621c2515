package com.retailedge.gateway.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/** The typed, validated configuration; built only by {@link ConfigLoader}. */
public record GatewayConfig(
        String storeId,
        java.time.ZoneId storeZone,
        Mqtt mqtt,
        Coap coap,
        Http http,
        Cloud cloud,
        Path dataDir,
        Api api,
        Outbox outbox,
        Store store,
        Duration buttonsDebounce,
        Duration buttonsCancelWindow,
        Duration membersVisitWindow,
        Buttons buttons,
        Members members,
        Picking picking,
        Labels labels,
        DeadLetters deadLetters,
        List<DeviceEntry> devices) {

    /**
     * The store's writer and what may wait for it: units committed together at most, units queued at most (past it
     * a submit is refused at once), and the device messages and payload bytes waiting for durability at most
     * (past them a device is refused: no PUBACK, CoAP 5.03, and it sends again).
     */
    public record Store(
            int writerBatch,
            int writerQueue,
            java.time.Duration commitWindow,
            int maxInFlight,
            long maxInFlightBytes) {}

    /** Dead letters: payload bytes kept at most (the oldest payloads go first), and how long rows stay. */
    public record DeadLetters(long maxBytes, Duration retention) {}

    /** Button rules beyond debounce and cancel window. */
    public record Buttons(Duration maxPressAge, int batteryLow) {}

    /** Member recognition: the hashing key (empty: not configured) and the lowest confidence per method. */
    public record Members(String refKey, double faceConfidence, double qrConfidence, double cardConfidence) {
        /** The lowest confidence that counts for a recognition method ({@code face}, {@code qr}, {@code card}). */
        public double minConfidence(String method) {
            return switch (method) {
                case "face" -> faceConfidence;
                case "qr" -> qrConfidence;
                default -> cardConfidence;
            };
        }

        @Override
        public String toString() {
            // Never print the key.
            return "Members[key " + (refKey.isEmpty() ? "unset" : "hidden") + ", face=" + faceConfidence + ", qr="
                    + qrConfidence + ", card=" + cardConfidence + "]";
        }
    }

    /** In-store MQTT: an external broker URL, or the embedded broker's port. */
    /** {@code credentialsFile} is null when none is configured. */
    public record Mqtt(
            String url,
            String bind,
            int port,
            int maxPending,
            boolean authRequired,
            Path credentialsFile,
            int authQueue,
            int replyQueue) {
        public boolean embedded() {
            return url.isEmpty();
        }
    }

    /** {@code pskFile} is null when DTLS is off. */
    public record Coap(String bind, int port, boolean plain, int dtlsPort, Path pskFile, int maxQueued) {
        public boolean dtls() {
            return pskFile != null;
        }
    }

    /**
     * The HTTP server: where it listens, how long a connection may stay silent or take to send its request
     * headers, and how many connections and dashboard streams it serves at once.
     */
    public record Http(
            String bind, int port, Duration idleTimeout, Duration headerTimeout, int maxConnections, int maxStreams) {}

    /** The PEM paths are null when not configured. */
    public record Cloud(
            String url,
            String clientId,
            String username,
            String password,
            int window,
            Duration reconnectMax,
            Duration keepAlive,
            Duration ackTimeout,
            Path caFile,
            Path certFile,
            Path keyFile,
            Duration heartbeat) {
        @Override
        public String toString() {
            // Never print the password.
            return "Cloud[url=" + url + ", clientId=" + clientId + ", username=" + username + ", window=" + window
                    + ", caFile=" + caFile + ", certFile=" + certFile + ", keyFile=" + keyFile + ", heartbeat="
                    + heartbeat
                    + "]";
        }
    }

    /**
     * Tokens, the per-token rate limit (requests per second and burst), when a device counts as online, and the
     * failed token checks one client address may make at once.
     */
    public record Api(
            String token, String adminToken, int rateLimit, int rateBurst, Duration onlineWindow, int authFailures) {
        @Override
        public String toString() {
            return "Api[tokens hidden]";
        }
    }

    public record Outbox(long maxEvents, long maxBytes, Duration retention) {}

    /** Order picking and the stock ledger. */
    public record Picking(
            boolean enabled,
            int ordersPerPicker,
            int weightTolerancePercent,
            Duration lateCheck,
            int replenishThreshold,
            Duration pdaTimeout) {}

    /** Electronic shelf labels: pushing content to access points, when a label is failed, health flags. */
    public record Labels(
            int maxInFlight,
            Duration ackTimeout,
            int coapRetransmits,
            int pushAttempts,
            Duration retryMax,
            Duration deadline,
            int batteryLow,
            Duration notSeen,
            Path apPskFile) {}
}
