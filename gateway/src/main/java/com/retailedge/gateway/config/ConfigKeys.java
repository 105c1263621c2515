package com.retailedge.gateway.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Every scalar key the gateway reads: name, type, default, range and meaning in one constant each
 * ({@link ConfigKey}). docs/configuration.md lists the same keys and ranges (ConfigDocsTest, ConfigBoundsTest).
 */
public final class ConfigKeys {
    public static final String DEVICES = "devices";

    public static final ConfigKey<String> STORE_ID =
            ConfigKey.text("store.id", "s001", "the store's id, [A-Za-z0-9_-]{1,64}");
    public static final ConfigKey<String> STORE_TIMEZONE = ConfigKey.text(
            "store.timezone",
            "UTC",
            "the store's time zone, an IANA name like Europe/Berlin: the dashboard's \"today\" and its times");
    public static final ConfigKey<String> MQTT_URL = ConfigKey.text(
            "mqtt.url", "", "external in-store broker tcp://host:port; empty starts the embedded broker");
    public static final ConfigKey<Integer> MQTT_PORT =
            ConfigKey.port("mqtt.port", "1883", "the embedded broker's device port");
    public static final ConfigKey<String> MQTT_BIND =
            ConfigKey.text("mqtt.bind", "0.0.0.0", "address the embedded broker listens on");
    public static final ConfigKey<Integer> MQTT_MAX_PENDING = ConfigKey.integer(
            "mqtt.max-pending",
            "1000",
            1,
            1_000_000,
            "device publishes per connection waiting for durability before the gateway stops reading that connection");
    public static final ConfigKey<Integer> MQTT_AUTH_QUEUE = ConfigKey.integer(
            "mqtt.auth-queue",
            "1000",
            1,
            100_000,
            "device logins and authorisations waiting for the one thread that checks them; past it they are refused, so"
                    + " a storm of bad logins costs one core at most");
    public static final ConfigKey<Integer> MQTT_REPLY_QUEUE = ConfigKey.integer(
            "mqtt.reply-queue",
            "10000",
            1,
            1_000_000,
            "replies to PDAs waiting to be published on the in-store broker; past it one is dropped and counted, and the"
                    + " PDA that resends hears the stored reply again");
    public static final ConfigKey<String> MQTT_AUTH = ConfigKey.choice(
            "mqtt.auth",
            "off",
            "required: devices on the embedded broker's port need a user name (their device id) and password, and an ACL "
                    + "holds them to their own topics; off: anyone may connect and publish (local trials only)",
            "required",
            "off");
    public static final ConfigKey<Path> MQTT_CREDENTIALS_FILE = ConfigKey.path(
            "mqtt.credentials-file",
            "",
            "file of deviceId:$7$... PBKDF2-SHA512 password hashes (Mosquitto's format), mode 0600; "
                    + "needed when mqtt.auth is required");
    public static final ConfigKey<Integer> COAP_PORT =
            ConfigKey.port("coap.port", "5683", "the CoAP server's UDP port");
    public static final ConfigKey<String> COAP_BIND =
            ConfigKey.text("coap.bind", "0.0.0.0", "address the CoAP server listens on");
    public static final ConfigKey<Boolean> COAP_PLAIN =
            ConfigKey.flag("coap.plain", "true", "serve plain (unencrypted) CoAP on coap.port; false leaves only DTLS");
    public static final ConfigKey<Integer> COAP_DTLS_PORT = ConfigKey.port(
            "coap.dtls-port", "5684", "the CoAP over DTLS 1.2 UDP port, served when coap.psk-file is set");
    public static final ConfigKey<Integer> COAP_MAX_QUEUED = ConfigKey.integer(
            "coap.max-queued",
            "2000",
            1,
            1_000_000,
            "CoAP requests waiting for a worker; past it datagrams are dropped as a full socket buffer would, and"
                    + " devices retransmit their confirmable requests");
    public static final ConfigKey<Path> COAP_PSK_FILE = ConfigKey.path(
            "coap.psk-file", "", "file of deviceId:hexkey DTLS pre-shared keys, mode 0600; empty serves no DTLS");
    public static final ConfigKey<Integer> HTTP_PORT =
            ConfigKey.port("http.port", "8080", "the REST API and dashboard port");
    public static final ConfigKey<String> HTTP_BIND =
            ConfigKey.text("http.bind", "0.0.0.0", "address the HTTP server listens on");
    public static final ConfigKey<Duration> HTTP_IDLE_TIMEOUT = ConfigKey.duration(
            "http.idle-timeout",
            "60s",
            Duration.ofSeconds(1),
            Duration.ofHours(1),
            "an HTTP connection with nothing sent either way for this long is closed (1s..1h)");
    public static final ConfigKey<Duration> HTTP_HEADER_TIMEOUT = ConfigKey.duration(
            "http.header-timeout",
            "10s",
            Duration.ofSeconds(1),
            Duration.ofMinutes(5),
            "an HTTP connection whose request headers are not complete this long after it opened "
                    + "(or after its last answer plus http.idle-timeout) is closed (1s..5m)");
    public static final ConfigKey<Integer> HTTP_MAX_CONNECTIONS = ConfigKey.integer(
            "http.max-connections",
            "256",
            1,
            100_000,
            "open HTTP connections at most; more are closed at once (1..100000)");
    public static final ConfigKey<Integer> HTTP_MAX_STREAMS = ConfigKey.integer(
            "http.max-streams", "16", 1, 10_000, "open dashboard live streams at most; more get 503 (1..10000)");
    public static final ConfigKey<String> CLOUD_URL =
            ConfigKey.text("cloud.url", "tcp://127.0.0.1:1884", "the cloud broker, tcp:// or ssl://");
    public static final ConfigKey<String> CLOUD_CLIENT_ID = ConfigKey.text(
            "cloud.client-id",
            "",
            "MQTT client id at the cloud broker; empty means gateway-{store.id}; the command link adds -commands");
    public static final ConfigKey<String> CLOUD_USERNAME =
            ConfigKey.text("cloud.username", "", "user name at the cloud broker; empty sends none");
    public static final ConfigKey<String> CLOUD_PASSWORD =
            ConfigKey.text("cloud.password", "", "password at the cloud broker");
    public static final ConfigKey<Path> CLOUD_CA_FILE = ConfigKey.path(
            "cloud.ca-file",
            "",
            "PEM CA certificate(s) the cloud broker's certificate must chain to; empty uses the JVM's trust store");
    public static final ConfigKey<Path> CLOUD_CERT_FILE = ConfigKey.path(
            "cloud.cert-file", "", "PEM client certificate (chain) shown to the cloud broker; empty shows none");
    public static final ConfigKey<Path> CLOUD_KEY_FILE =
            ConfigKey.path("cloud.key-file", "", "PEM PKCS#8 private key of cloud.cert-file, mode 0600");
    public static final ConfigKey<Integer> CLOUD_WINDOW = ConfigKey.integer(
            "cloud.window", "256", 1, 65_535, "events sent to the cloud and not yet acknowledged, at most");
    public static final ConfigKey<Duration> CLOUD_RECONNECT_MAX = ConfigKey.duration(
            "cloud.reconnect-max",
            "30s",
            Duration.ofMillis(100),
            Duration.ofHours(1),
            "longest wait between two connection attempts to the cloud");
    // MQTT carries the keep-alive as a 16-bit number of seconds.
    public static final ConfigKey<Duration> CLOUD_KEEP_ALIVE = ConfigKey.duration(
            "cloud.keep-alive",
            "30s",
            Duration.ofSeconds(1),
            Duration.ofSeconds(65_535),
            "MQTT keep-alive towards the cloud");
    public static final ConfigKey<Duration> CLOUD_ACK_TIMEOUT = ConfigKey.duration(
            "cloud.ack-timeout",
            "30s",
            Duration.ofSeconds(1),
            Duration.ofHours(1),
            "a cloud connection with events in flight and no PUBACK for this long is stalled and replaced");
    public static final ConfigKey<Duration> CLOUD_HEARTBEAT = ConfigKey.duration(
            "cloud.heartbeat",
            "60s",
            Duration.ofSeconds(1),
            Duration.ofDays(1),
            "how often the retail.gateway.heartbeat event goes up while the cloud link is up");
    public static final ConfigKey<String> DATA_DIR =
            ConfigKey.text("data.dir", "data", "where the SQLite database and other state live");
    public static final ConfigKey<String> API_TOKEN =
            ConfigKey.text("api.token", "cloud-read-token-change-me", "bearer token for the cloud's read access");
    public static final ConfigKey<String> API_ADMIN_TOKEN =
            ConfigKey.text("api.admin-token", "store-admin-token-change-me", "bearer token for store administration");
    public static final ConfigKey<Integer> API_RATE_LIMIT = ConfigKey.integer(
            "api.rate-limit",
            "100",
            1,
            1_000_000,
            "API requests per second each token may make on average; more get 429");
    public static final ConfigKey<Integer> API_RATE_BURST = ConfigKey.integer(
            "api.rate-burst",
            "200",
            1,
            1_000_000,
            "API requests a token may make at once above its rate, after a quiet spell");
    public static final ConfigKey<Integer> API_AUTH_FAILURES = ConfigKey.integer(
            "api.auth-failures",
            "10",
            1,
            100_000,
            "failed token checks one client address may make at once; then one more per 6 s, and until then "
                    + "every API request from it gets 429 (1..100000)");
    public static final ConfigKey<Duration> API_ONLINE_WINDOW = ConfigKey.duration(
            "api.online-window",
            "5m",
            Duration.ofSeconds(1),
            Duration.ofDays(7),
            "a device that sent a message within this counts as online in the summary and dashboard");
    public static final ConfigKey<Long> OUTBOX_MAX_EVENTS =
            ConfigKey.whole("outbox.max-events", "2000000", 1, 1_000_000_000, "unsent events the outbox holds at most");
    public static final ConfigKey<Long> OUTBOX_MAX_BYTES = ConfigKey.size(
            "outbox.max-bytes", "1GB", "bytes of unsent events the outbox holds at most (KB, MB, GB suffixes)");
    public static final ConfigKey<Duration> OUTBOX_RETENTION = ConfigKey.duration(
            "outbox.retention",
            "7d",
            Duration.ofMinutes(1),
            Duration.ofDays(3650),
            "how long events stay readable through the API after the cloud took them");
    public static final ConfigKey<Long> DEADLETTERS_MAX_BYTES = ConfigKey.size(
            "deadletters.max-bytes",
            "256MB",
            "payload bytes of dead letters kept at most; past it the oldest payloads are dropped, their rows kept");
    public static final ConfigKey<Duration> DEADLETTERS_RETENTION = ConfigKey.duration(
            "deadletters.retention",
            "30d",
            Duration.ofHours(1),
            Duration.ofDays(3650),
            "dead letters older than this are deleted; their counts by source and reason are kept");
    public static final ConfigKey<Integer> STORE_WRITER_BATCH = ConfigKey.integer(
            "store.writer-batch", "2000", 1, 100_000, "device messages committed together in one transaction, at most");
    public static final ConfigKey<Integer> STORE_WRITER_QUEUE = ConfigKey.integer(
            "store.writer-queue",
            "100000",
            1_000,
            10_000_000,
            "units of work (device messages, commands, API writes) queued for the writer at most; past it they are refused");
    public static final ConfigKey<Duration> STORE_COMMIT_WINDOW = ConfigKey.duration(
            "store.commit-window",
            "0ms",
            Duration.ZERO,
            Duration.ofMillis(50),
            "while units arrive closer together than this, a fresh commit waits up to this long for those behind it;"
                    + " 0ms: never waits");
    public static final ConfigKey<Integer> STORE_MAX_IN_FLIGHT = ConfigKey.integer(
            "store.max-in-flight",
            "5000",
            1,
            1_000_000,
            "device messages waiting to be made durable at most; past it devices are refused (no PUBACK, CoAP 5.03)");
    public static final ConfigKey<Long> STORE_MAX_IN_FLIGHT_BYTES = ConfigKey.size(
            "store.max-in-flight-bytes",
            "16MB",
            "payload bytes of device messages waiting to be made durable at most; past it devices are refused");
    // 0ms turns debouncing off, which tests and bench runs want.
    public static final ConfigKey<Duration> BUTTONS_DEBOUNCE = ConfigKey.duration(
            "buttons.debounce",
            "2s",
            Duration.ZERO,
            Duration.ofMinutes(10),
            "presses of one button closer than this count once");
    public static final ConfigKey<Duration> BUTTONS_CANCEL_WINDOW = ConfigKey.duration(
            "buttons.cancel-window",
            "60s",
            Duration.ofSeconds(1),
            Duration.ofHours(24),
            "how long a reorder waits for a cancelling double press");
    public static final ConfigKey<Duration> MEMBERS_VISIT_WINDOW = ConfigKey.duration(
            "members.visit-window",
            "30m",
            Duration.ofSeconds(1),
            Duration.ofDays(7),
            "a member seen again within this is the same visit");
    public static final ConfigKey<Duration> BUTTONS_MAX_PRESS_AGE = ConfigKey.duration(
            "buttons.max-press-age",
            "10m",
            Duration.ofSeconds(1),
            Duration.ofDays(30),
            "a reorder press whose 'at' time is older than this waits for confirmation instead of ordering");
    public static final ConfigKey<Integer> BUTTONS_BATTERY_LOW = ConfigKey.integer(
            "buttons.battery-low", "20", 0, 100, "a button reporting a battery percentage below this is flagged");
    public static final ConfigKey<String> MEMBERS_REF_KEY = ConfigKey.text(
            "members.ref-key",
            "",
            "secret key of the HMAC-SHA256 hashes of member references, at least 32 characters; "
                    + "required once members are used");
    public static final ConfigKey<Double> MEMBERS_FACE_CONFIDENCE = ConfigKey.fraction(
            "members.face-confidence", "0.90", "lowest confidence of a face recognition that counts");
    public static final ConfigKey<Double> MEMBERS_QR_CONFIDENCE = ConfigKey.fraction(
            "members.qr-confidence", "0.50", "lowest confidence of a QR code recognition that counts");
    public static final ConfigKey<Double> MEMBERS_CARD_CONFIDENCE = ConfigKey.fraction(
            "members.card-confidence", "0.50", "lowest confidence of a card recognition that counts");
    public static final ConfigKey<Boolean> PICKING_ENABLED = ConfigKey.flag(
            "picking.enabled",
            "true",
            "true: PDA scans are checked against the store's orders; false: PDAs are plain scanners (any valid GTIN)");
    public static final ConfigKey<Integer> PICKING_ORDERS_PER_PICKER = ConfigKey.integer(
            "picking.orders-per-picker", "1", 1, 100, "orders assigned to one idle PDA at a time, at most");
    public static final ConfigKey<Integer> PICKING_WEIGHT_TOLERANCE = ConfigKey.integer(
            "picking.weight-tolerance",
            "10",
            0,
            100,
            "percent by which a weighed line may be over- or under-picked and still count as picked");
    public static final ConfigKey<Duration> PICKING_LATE_CHECK = ConfigKey.duration(
            "picking.late-check",
            "15s",
            Duration.ofMillis(100),
            Duration.ofHours(1),
            "how often orders past their due time are looked for and flagged late");
    public static final ConfigKey<Duration> PICKING_PDA_TIMEOUT = ConfigKey.duration(
            "picking.pda-timeout",
            "10m",
            Duration.ofSeconds(1),
            Duration.ofDays(1),
            "a PDA not heard from for this long is gone: its orders go back to waiting");
    public static final ConfigKey<Integer> STOCK_REPLENISH_THRESHOLD = ConfigKey.integer(
            "stock.replenish-threshold",
            "5",
            0,
            1_000_000,
            "stock at or below which replenishment is requested while a SKU has under 14 days of history "
                    + "(basis threshold), for SKUs without their own threshold");
    public static final ConfigKey<Integer> LABELS_MAX_IN_FLIGHT = ConfigKey.integer(
            "labels.max-in-flight", "16", 1, 1024, "label pushes waiting for an answer from one access point, at most");
    public static final ConfigKey<Duration> LABELS_ACK_TIMEOUT = ConfigKey.duration(
            "labels.ack-timeout",
            "500ms",
            Duration.ofMillis(10),
            Duration.ofMinutes(1),
            "first CoAP retransmission timeout of a label push; doubles with each retransmission");
    public static final ConfigKey<Integer> LABELS_COAP_RETRANSMITS = ConfigKey.integer(
            "labels.coap-retransmits",
            "3",
            1,
            10,
            "CoAP retransmissions (1..10) of one label push before it counts as a failed attempt");
    public static final ConfigKey<Integer> LABELS_PUSH_ATTEMPTS = ConfigKey.integer(
            "labels.push-attempts",
            "8",
            1,
            1000,
            "attempts of one label push (each with its retransmissions) before the label is failed");
    // The backoff starts at 1s, so a shorter longest wait would be no backoff at all.
    public static final ConfigKey<Duration> LABELS_RETRY_MAX = ConfigKey.duration(
            "labels.retry-max",
            "30s",
            Duration.ofSeconds(1),
            Duration.ofHours(24),
            "longest wait between two attempts of a label push (backoff from 1s, doubling, jittered)");
    public static final ConfigKey<Duration> LABELS_DEADLINE = ConfigKey.duration(
            "labels.deadline",
            "10m",
            Duration.ofSeconds(1),
            Duration.ofDays(30),
            "a label not showing its desired version this long after it changed is failed");
    public static final ConfigKey<Integer> LABELS_BATTERY_LOW = ConfigKey.integer(
            "labels.battery-low", "20", 0, 100, "labels reporting a battery below this percentage are flagged");
    public static final ConfigKey<Duration> LABELS_NOT_SEEN = ConfigKey.duration(
            "labels.not-seen",
            "2h",
            Duration.ofMinutes(1),
            Duration.ofDays(365),
            "labels with no status report for this long are flagged");
    public static final ConfigKey<Path> LABELS_AP_PSK_FILE = ConfigKey.path(
            "labels.ap-psk-file",
            "",
            "file of `apDeviceId:identity:hexkey` lines, mode 0600: the PSK the gateway presents to each "
                    + "`coaps://` access point; empty: label pushes use plain coap:// only");

    /** Every key, in the order docs/configuration.md lists them. */
    public static final List<ConfigKey<?>> ALL = List.of(
            STORE_ID,
            STORE_TIMEZONE,
            MQTT_URL,
            MQTT_PORT,
            MQTT_BIND,
            MQTT_MAX_PENDING,
            MQTT_AUTH_QUEUE,
            MQTT_REPLY_QUEUE,
            MQTT_AUTH,
            MQTT_CREDENTIALS_FILE,
            COAP_PORT,
            COAP_BIND,
            COAP_PLAIN,
            COAP_DTLS_PORT,
            COAP_MAX_QUEUED,
            COAP_PSK_FILE,
            HTTP_PORT,
            HTTP_BIND,
            HTTP_IDLE_TIMEOUT,
            HTTP_HEADER_TIMEOUT,
            HTTP_MAX_CONNECTIONS,
            HTTP_MAX_STREAMS,
            CLOUD_URL,
            CLOUD_CLIENT_ID,
            CLOUD_USERNAME,
            CLOUD_PASSWORD,
            CLOUD_CA_FILE,
            CLOUD_CERT_FILE,
            CLOUD_KEY_FILE,
            CLOUD_WINDOW,
            CLOUD_RECONNECT_MAX,
            CLOUD_KEEP_ALIVE,
            CLOUD_ACK_TIMEOUT,
            CLOUD_HEARTBEAT,
            DATA_DIR,
            API_TOKEN,
            API_ADMIN_TOKEN,
            API_RATE_LIMIT,
            API_RATE_BURST,
            API_AUTH_FAILURES,
            API_ONLINE_WINDOW,
            OUTBOX_MAX_EVENTS,
            OUTBOX_MAX_BYTES,
            OUTBOX_RETENTION,
            DEADLETTERS_MAX_BYTES,
            DEADLETTERS_RETENTION,
            STORE_WRITER_BATCH,
            STORE_WRITER_QUEUE,
            STORE_COMMIT_WINDOW,
            STORE_MAX_IN_FLIGHT,
            STORE_MAX_IN_FLIGHT_BYTES,
            BUTTONS_DEBOUNCE,
            BUTTONS_CANCEL_WINDOW,
            MEMBERS_VISIT_WINDOW,
            BUTTONS_MAX_PRESS_AGE,
            BUTTONS_BATTERY_LOW,
            MEMBERS_REF_KEY,
            MEMBERS_FACE_CONFIDENCE,
            MEMBERS_QR_CONFIDENCE,
            MEMBERS_CARD_CONFIDENCE,
            PICKING_ENABLED,
            PICKING_ORDERS_PER_PICKER,
            PICKING_WEIGHT_TOLERANCE,
            PICKING_LATE_CHECK,
            PICKING_PDA_TIMEOUT,
            STOCK_REPLENISH_THRESHOLD,
            LABELS_MAX_IN_FLIGHT,
            LABELS_ACK_TIMEOUT,
            LABELS_COAP_RETRANSMITS,
            LABELS_PUSH_ATTEMPTS,
            LABELS_RETRY_MAX,
            LABELS_DEADLINE,
            LABELS_BATTERY_LOW,
            LABELS_NOT_SEEN,
            LABELS_AP_PSK_FILE);

    private ConfigKeys() {}

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
