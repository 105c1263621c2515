package com.retailedge.gateway.config;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Every scalar key the gateway reads, with its default; docs/configuration.md lists the same keys. */
public final class ConfigKeys {
    public static final String DEVICES = "devices";

    public static final List<ConfigKey> ALL = List.of(
            new ConfigKey("store.id", "s001", "the store's id, [A-Za-z0-9_-]{1,64}"),
            new ConfigKey("mqtt.url", "", "external in-store broker tcp://host:port; empty starts the embedded broker"),
            new ConfigKey("mqtt.port", "1883", "the embedded broker's device port"),
            new ConfigKey("mqtt.bind", "0.0.0.0", "address the embedded broker listens on"),
            new ConfigKey("mqtt.max-pending", "1000",
                    "device publishes per connection waiting for durability before the gateway stops reading that connection"),
            new ConfigKey("coap.port", "5683", "the CoAP server's UDP port"),
            new ConfigKey("coap.bind", "0.0.0.0", "address the CoAP server listens on"),
            new ConfigKey("http.port", "8080", "the REST API and dashboard port"),
            new ConfigKey("http.bind", "0.0.0.0", "address the HTTP server listens on"),
            new ConfigKey("cloud.url", "tcp://127.0.0.1:1884", "the cloud broker, tcp:// or ssl://"),
            new ConfigKey("cloud.client-id", "", "MQTT client id at the cloud broker; empty means gateway-{store.id}"),
            new ConfigKey("cloud.username", "", "user name at the cloud broker; empty sends none"),
            new ConfigKey("cloud.password", "", "password at the cloud broker"),
            new ConfigKey("cloud.window", "256", "events sent to the cloud and not yet acknowledged, at most"),
            new ConfigKey("cloud.reconnect-max", "30s", "longest wait between two connection attempts to the cloud"),
            new ConfigKey("cloud.keep-alive", "30s", "MQTT keep-alive towards the cloud"),
            new ConfigKey("cloud.ack-timeout", "30s",
                    "a cloud connection with events in flight and no PUBACK for this long is stalled and replaced"),
            new ConfigKey("data.dir", "data", "where the SQLite database and other state live"),
            new ConfigKey("api.token", "cloud-read-token-change-me", "bearer token for the cloud's read access"),
            new ConfigKey("api.admin-token", "store-admin-token-change-me", "bearer token for store administration"),
            new ConfigKey("outbox.max-events", "2000000", "unsent events the outbox holds at most"),
            new ConfigKey("outbox.max-bytes", "1GB", "bytes of unsent events the outbox holds at most (KB, MB, GB suffixes)"),
            new ConfigKey("outbox.retention", "7d", "how long events stay readable through the API after the cloud took them"),
            new ConfigKey("store.writer-batch", "2000", "device messages committed together in one transaction, at most"),
            new ConfigKey("buttons.debounce", "2s", "presses of one button closer than this count once"),
            new ConfigKey("buttons.cancel-window", "60s", "how long a reorder waits for a cancelling double press"),
            new ConfigKey("members.visit-window", "30m", "a member seen again within this is the same visit"),
            new ConfigKey("labels.max-in-flight", "16", "label pushes waiting for an answer from one access point, at most"),
            new ConfigKey("labels.ack-timeout", "500ms",
                    "first CoAP retransmission timeout of a label push; doubles with each retransmission"),
            new ConfigKey("labels.coap-retransmits", "3",
                    "CoAP retransmissions (1..10) of one label push before it counts as a failed attempt"),
            new ConfigKey("labels.push-attempts", "8",
                    "attempts of one label push (each with its retransmissions) before the label is failed"),
            new ConfigKey("labels.retry-max", "30s",
                    "longest wait between two attempts of a label push (backoff from 1s, doubling, jittered)"),
            new ConfigKey("labels.deadline", "10m",
                    "a label not showing its desired version this long after it changed is failed"),
            new ConfigKey("labels.battery-low", "20", "labels reporting a battery below this percentage are flagged"),
            new ConfigKey("labels.not-seen", "2h", "labels with no status report for this long are flagged"));

    private ConfigKeys() {
    }

    /** The defaults as a mutable map, in declaration order. */
    public static Map<String, String> defaults() {
        Map<String, String> values = new LinkedHashMap<>();
        ALL.forEach(k -> values.put(k.name(), k.defaultValue()));
        return values;
    }

    public static boolean isKnown(String name) {
        return ALL.stream().anyMatch(k -> k.name().equals(name));
    }
}
