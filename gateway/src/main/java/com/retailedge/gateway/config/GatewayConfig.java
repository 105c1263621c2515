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
    public record Mqtt(String url, String bind, int port, int maxPending) {
        public boolean embedded() {
            return url.isEmpty();
        }
    }

    public record Coap(String bind, int port) {
    }

    public record Http(String bind, int port) {
    }

    public record Cloud(String url, String clientId, String username, String password, int window,
                        Duration reconnectMax, Duration keepAlive, Duration ackTimeout) {
        @Override
        public String toString() {
            // Never print the password.
            return "Cloud[url=" + url + ", clientId=" + clientId + ", username=" + username + ", window=" + window + "]";
        }
    }

    /** Tokens, the per-token rate limit (requests per second and burst), and when a device counts as online. */
    public record Api(String token, String adminToken, int rateLimit, int rateBurst, Duration onlineWindow) {
        @Override
        public String toString() {
            return "Api[tokens hidden]";
        }
    }

    public record Outbox(long maxEvents, long maxBytes, Duration retention) {
    }
}
