package com.retailedge.gateway.config;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Every scalar key the gateway reads, with its default; docs/configuration.md lists the same keys. */
public final class ConfigKeys {
    public static final String DEVICES = "devices";

    public static final List<ConfigKey> ALL = List.of(
            new ConfigKey("store.id", "s001", "the store's id, [A-Za-z0-9_-]{1,64}"),
            new ConfigKey("store.timezone", "UTC",
                    "the store's time zone, an IANA name like Europe/Berlin: the dashboard's \"today\" and its times"),
            new ConfigKey("mqtt.url", "", "external in-store broker tcp://host:port; empty starts the embedded broker"),
            new ConfigKey("mqtt.port", "1883", "the embedded broker's device port"),
            new ConfigKey("mqtt.bind", "0.0.0.0", "address the embedded broker listens on"),
            new ConfigKey("mqtt.max-pending", "1000",
                    "device publishes per connection waiting for durability before the gateway stops reading that connection"),
            new ConfigKey("mqtt.auth", "off",
                    "required: devices on the embedded broker's port need a user name (their device id) and password, and an ACL "
                            + "holds them to their own topics; off: anyone may connect and publish (local trials only)"),
            new ConfigKey("mqtt.credentials-file", "",
                    "file of deviceId:$7$... PBKDF2-SHA512 password hashes (Mosquitto's format), mode 0600; "
                            + "needed when mqtt.auth is required"),
            new ConfigKey("coap.port", "5683", "the CoAP server's UDP port"),
            new ConfigKey("coap.bind", "0.0.0.0", "address the CoAP server listens on"),
            new ConfigKey("coap.plain", "true", "serve plain (unencrypted) CoAP on coap.port; false leaves only DTLS"),
            new ConfigKey("coap.dtls-port", "5684", "the CoAP over DTLS 1.2 UDP port, served when coap.psk-file is set"),
            new ConfigKey("coap.psk-file", "",
                    "file of deviceId:hexkey DTLS pre-shared keys, mode 0600; empty serves no DTLS"),
            new ConfigKey("http.port", "8080", "the REST API and dashboard port"),
            new ConfigKey("http.bind", "0.0.0.0", "address the HTTP server listens on"),
            new ConfigKey("http.idle-timeout", "60s",
                    "an HTTP connection with nothing sent either way for this long is closed (1s..1h)"),
            new ConfigKey("http.header-timeout", "10s",
                    "an HTTP connection whose request headers are not complete this long after it opened "
                            + "(or after its last answer plus http.idle-timeout) is closed (1s..5m)"),
            new ConfigKey("http.max-connections", "256",
                    "open HTTP connections at most; more are closed at once (1..100000)"),
            new ConfigKey("http.max-streams", "16",
                    "open dashboard live streams at most; more get 503 (1..10000)"),
            new ConfigKey("cloud.url", "tcp://127.0.0.1:1884", "the cloud broker, tcp:// or ssl://"),
            new ConfigKey("cloud.client-id", "",
                    "MQTT client id at the cloud broker; empty means gateway-{store.id}; the command link adds -commands"),
            new ConfigKey("cloud.username", "", "user name at the cloud broker; empty sends none"),
            new ConfigKey("cloud.password", "", "password at the cloud broker"),
            new ConfigKey("cloud.ca-file", "",
                    "PEM CA certificate(s) the cloud broker's certificate must chain to; empty uses the JVM's trust store"),
            new ConfigKey("cloud.cert-file", "", "PEM client certificate (chain) shown to the cloud broker; empty shows none"),
            new ConfigKey("cloud.key-file", "", "PEM PKCS#8 private key of cloud.cert-file, mode 0600"),
            new ConfigKey("cloud.window", "256", "events sent to the cloud and not yet acknowledged, at most"),
            new ConfigKey("cloud.reconnect-max", "30s", "longest wait between two connection attempts to the cloud"),
            new ConfigKey("cloud.keep-alive", "30s", "MQTT keep-alive towards the cloud"),
            new ConfigKey("cloud.ack-timeout", "30s",
                    "a cloud connection with events in flight and no PUBACK for this long is stalled and replaced"),
            new ConfigKey("cloud.heartbeat", "60s",
                    "how often the retail.gateway.heartbeat event goes up while the cloud link is up"),
            new ConfigKey("data.dir", "data", "where the SQLite database and other state live"),
            new ConfigKey("api.token", "cloud-read-token-change-me", "bearer token for the cloud's read access"),
            new ConfigKey("api.admin-token", "store-admin-token-change-me", "bearer token for store administration"),
            new ConfigKey("api.rate-limit", "100", "API requests per second each token may make on average; more get 429"),
            new ConfigKey("api.rate-burst", "200", "API requests a token may make at once above its rate, after a quiet spell"),
            new ConfigKey("api.auth-failures", "10",
                    "failed token checks one client address may make at once; then one more per 6 s, and until then "
                            + "every API request from it gets 429 (1..100000)"),
            new ConfigKey("api.online-window", "5m",
                    "a device that sent a message within this counts as online in the summary and dashboard"),
            new ConfigKey("outbox.max-events", "2000000", "unsent events the outbox holds at most"),
            new ConfigKey("outbox.max-bytes", "1GB", "bytes of unsent events the outbox holds at most (KB, MB, GB suffixes)"),
            new ConfigKey("outbox.retention", "7d", "how long events stay readable through the API after the cloud took them"),
            new ConfigKey("deadletters.max-bytes", "256MB",
                    "payload bytes of dead letters kept at most; past it the oldest payloads are dropped, their rows kept"),
            new ConfigKey("deadletters.retention", "30d",
                    "dead letters older than this are deleted; their counts by source and reason are kept"),
            new ConfigKey("store.writer-batch", "2000", "device messages committed together in one transaction, at most"),
            new ConfigKey("buttons.debounce", "2s", "presses of one button closer than this count once"),
            new ConfigKey("buttons.cancel-window", "60s", "how long a reorder waits for a cancelling double press"),
            new ConfigKey("members.visit-window", "30m", "a member seen again within this is the same visit"),
            new ConfigKey("buttons.max-press-age", "10m",
                    "a reorder press whose 'at' time is older than this waits for confirmation instead of ordering"),
            new ConfigKey("buttons.battery-low", "20", "a button reporting a battery percentage below this is flagged"),
            new ConfigKey("members.ref-key", "",
                    "secret key of the HMAC-SHA256 hashes of member references, at least 32 characters; "
                            + "required once members are used"),
            new ConfigKey("members.face-confidence", "0.90", "lowest confidence of a face recognition that counts"),
            new ConfigKey("members.qr-confidence", "0.50", "lowest confidence of a QR code recognition that counts"),
            new ConfigKey("members.card-confidence", "0.50", "lowest confidence of a card recognition that counts"),
            new ConfigKey("picking.enabled", "true",
                    "true: PDA scans are checked against the store's orders; false: PDAs are plain scanners (any valid GTIN)"),
            new ConfigKey("picking.orders-per-picker", "1", "orders assigned to one idle PDA at a time, at most"),
            new ConfigKey("picking.weight-tolerance", "10",
                    "percent by which a weighed line may be over- or under-picked and still count as picked"),
            new ConfigKey("picking.late-check", "15s", "how often orders past their due time are looked for and flagged late"),
            new ConfigKey("picking.pda-timeout", "10m",
                    "a PDA not heard from for this long is gone: its orders go back to waiting"),
            new ConfigKey("stock.replenish-threshold", "5",
                    "stock at or below which replenishment is requested while a SKU has under 14 days of history "
                            + "(basis threshold), for SKUs without their own threshold"),
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
            new ConfigKey("labels.not-seen", "2h", "labels with no status report for this long are flagged"),
            new ConfigKey("labels.ap-psk-file", "",
                    "file of `apDeviceId:identity:hexkey` lines, mode 0600: the PSK the gateway presents to each "
                            + "`coaps://` access point; empty: label pushes use plain coap:// only"));

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
