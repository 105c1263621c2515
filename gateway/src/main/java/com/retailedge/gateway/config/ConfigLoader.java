package com.retailedge.gateway.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.retailedge.gateway.domain.DeviceKind;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Reads the YAML file, applies {@code GATEWAY_*} environment overrides and builds a {@link GatewayConfig}.
 * Unknown keys and bad values stop start-up with a message naming the key: a typo must not silently fall
 * back to a default in a shop nobody can visit.
 */
public final class ConfigLoader {
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9_-]{1,64}");
    private static final Pattern BROKER_URL = Pattern.compile("(tcp|ssl)://[^:/\\s]+:\\d{1,5}");

    private final Map<String, String> environment;
    private final List<String> warnings = new ArrayList<>();

    public ConfigLoader(Map<String, String> environment) {
        this.environment = environment;
    }

    /** What the last {@link #load} found suspicious but not wrong, such as a misspelt {@code GATEWAY_*} variable. */
    public List<String> warnings() {
        return List.copyOf(warnings);
    }

    /** Loads {@code file}, or only defaults and environment when it is null. */
    public GatewayConfig load(Path file) {
        warnings.clear();
        Map<String, String> values = ConfigKeys.defaults();
        List<DeviceEntry> devices = new ArrayList<>();
        if (file != null) {
            JsonNode root = readYaml(file);
            flatten("", root, values, devices);
        }
        Map<String, String> setByEnvironment = new LinkedHashMap<>();
        for (ConfigKey<?> key : ConfigKeys.ALL) {
            String override = environment.get(key.environmentVariable());
            if (override != null) {
                values.put(key.name(), override.trim());
                setByEnvironment.put(key.name(), key.environmentVariable());
            }
        }
        warnings.addAll(EnvironmentNames.unknown(environment.keySet()));
        String devicesOverride = environment.get("GATEWAY_DEVICES");
        if (devicesOverride != null) {
            devices = parseDeviceList(devicesOverride);
        }
        try {
            return build(values, devices);
        } catch (ConfigException e) {
            // The operator set this value in the environment, not the file: name what they typed.
            String variable = e.key() == null ? null : setByEnvironment.get(e.key());
            throw variable == null ? e : ConfigException.fromEnvironment(e, variable);
        }
    }

    private static JsonNode readYaml(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new ConfigException("config file " + file + " does not exist or is not a file");
        }
        try {
            JsonNode root = new ObjectMapper(new YAMLFactory()).readTree(file.toFile());
            if (root == null || root.isMissingNode() || root.isNull()) {
                return new ObjectMapper().createObjectNode();
            }
            if (!root.isObject()) {
                throw new ConfigException("config file " + file + " must be a YAML mapping of keys");
            }
            return root;
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new ConfigException("config file " + file + " is not valid YAML: " + yamlProblem(e));
        } catch (IOException e) {
            throw new ConfigException("config file " + file + " cannot be read: " + e.getMessage());
        }
    }

    /**
     * The parser's problem and position without its echo of the offending line: that line may hold a password or
     * token, and this message goes to the console and the service log.
     */
    private static String yamlProblem(com.fasterxml.jackson.core.JsonProcessingException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof org.yaml.snakeyaml.error.MarkedYAMLException marked) {
                org.yaml.snakeyaml.error.Mark mark = marked.getProblemMark();
                String where =
                        mark == null ? "" : " at line " + (mark.getLine() + 1) + ", column " + (mark.getColumn() + 1);
                return (marked.getContext() == null ? "" : marked.getContext() + ": ") + marked.getProblem() + where;
            }
        }
        com.fasterxml.jackson.core.JsonLocation location = e.getLocation();
        return "syntax error"
                + (location == null ? "" : " at line " + location.getLineNr() + ", column " + location.getColumnNr());
    }

    private static void flatten(String prefix, JsonNode node, Map<String, String> values, List<DeviceEntry> devices) {
        Iterator<Map.Entry<String, JsonNode>> fields = node.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> field = fields.next();
            String key = prefix.isEmpty() ? field.getKey() : prefix + "." + field.getKey();
            JsonNode value = field.getValue();
            if (key.equals(ConfigKeys.DEVICES)) {
                devices.addAll(parseDevices(value));
            } else if (value.isObject()) {
                flatten(key, value, values, devices);
            } else if (ConfigKeys.isKnown(key)) {
                if (value.isContainerNode()) {
                    throw new ConfigException(key, "must be a single value");
                }
                values.put(key, value.isNull() ? "" : value.asText());
            } else {
                throw new ConfigException(key, "is not a known key; see docs/configuration.md");
            }
        }
    }

    private static List<DeviceEntry> parseDevices(JsonNode list) {
        if (!list.isArray()) {
            throw new ConfigException(ConfigKeys.DEVICES, "must be a list of {deviceId, kind, count?}");
        }
        List<DeviceEntry> entries = new ArrayList<>();
        for (int i = 0; i < list.size(); i++) {
            JsonNode item = list.get(i);
            String key = ConfigKeys.DEVICES + "[" + i + "]";
            if (!item.isObject() || !item.hasNonNull("deviceId") || !item.hasNonNull("kind")) {
                throw new ConfigException(key, "needs deviceId and kind");
            }
            Map<String, String> attributes = new LinkedHashMap<>();
            item.fields().forEachRemaining(f -> {
                if (!List.of("deviceId", "kind", "count").contains(f.getKey())) {
                    attributes.put(f.getKey(), f.getValue().asText());
                }
            });
            entries.add(device(
                    key,
                    item.get("deviceId").asText(),
                    item.get("kind").asText(),
                    item.has("count") ? item.get("count").asText() : "0",
                    attributes));
        }
        return entries;
    }

    /** {@code GATEWAY_DEVICES=pda:pda-{n}:50,button:button-7} */
    private static List<DeviceEntry> parseDeviceList(String text) {
        List<DeviceEntry> entries = new ArrayList<>();
        for (String part : text.split(",")) {
            if (part.isBlank()) {
                continue;
            }
            String[] f = part.trim().split(":");
            if (f.length < 2 || f.length > 3) {
                throw new ConfigException("GATEWAY_DEVICES", "entry '" + part + "' must be kind:deviceId[:count]");
            }
            entries.add(device("GATEWAY_DEVICES", f[1], f[0], f.length == 3 ? f[2] : "0", Map.of()));
        }
        return entries;
    }

    private static DeviceEntry device(
            String key, String id, String kindText, String countText, Map<String, String> attrs) {
        DeviceKind kind = DeviceKind.fromWire(kindText)
                .orElseThrow(() ->
                        new ConfigException(key, "kind '" + kindText + "' is not one of " + DeviceKind.wireNames()));
        int count;
        try {
            count = Integer.parseInt(countText);
        } catch (NumberFormatException e) {
            throw new ConfigException(key, "count '" + countText + "' is not a whole number");
        }
        if (count < 0 || count > 100_000) {
            throw new ConfigException(key, "count must be 0..100000");
        }
        String sample = count > 0 ? id.replace("{n}", "1") : id;
        if (count > 0 && !id.contains("{n}")) {
            throw new ConfigException(key, "an id with a count must contain {n}");
        }
        if (!ID.matcher(sample).matches()) {
            throw new ConfigException(key, "deviceId '" + id + "' must be made of [A-Za-z0-9_-]{1,64}");
        }
        return new DeviceEntry(id, kind, count, Map.copyOf(attrs));
    }

    private GatewayConfig build(Map<String, String> v, List<DeviceEntry> devices) {
        String storeId = ConfigKeys.STORE_ID.read(v);
        if (!ID.matcher(storeId).matches()) {
            throw new ConfigException(
                    ConfigKeys.STORE_ID.name(), "'" + storeId + "' must be made of [A-Za-z0-9_-]{1,64}");
        }
        String mqttUrl = ConfigKeys.MQTT_URL.read(v);
        if (!mqttUrl.isEmpty() && !BROKER_URL.matcher(mqttUrl).matches()) {
            throw new ConfigException(ConfigKeys.MQTT_URL.name(), "'" + mqttUrl + "' must be empty or tcp://host:port");
        }
        String cloudUrl = ConfigKeys.CLOUD_URL.read(v);
        if (!BROKER_URL.matcher(cloudUrl).matches()) {
            throw new ConfigException(
                    ConfigKeys.CLOUD_URL.name(), "'" + cloudUrl + "' must be tcp://host:port or ssl://host:port");
        }
        String clientId = ConfigKeys.CLOUD_CLIENT_ID.read(v).isEmpty()
                ? "gateway-" + storeId
                : ConfigKeys.CLOUD_CLIENT_ID.read(v);
        GatewayConfig.Cloud cloud = new GatewayConfig.Cloud(
                cloudUrl,
                clientId,
                ConfigKeys.CLOUD_USERNAME.read(v),
                ConfigKeys.CLOUD_PASSWORD.read(v),
                ConfigKeys.CLOUD_WINDOW.read(v),
                ConfigKeys.CLOUD_RECONNECT_MAX.read(v),
                ConfigKeys.CLOUD_KEEP_ALIVE.read(v),
                ConfigKeys.CLOUD_ACK_TIMEOUT.read(v),
                ConfigKeys.CLOUD_CA_FILE.read(v),
                ConfigKeys.CLOUD_CERT_FILE.read(v),
                ConfigKeys.CLOUD_KEY_FILE.read(v),
                ConfigKeys.CLOUD_HEARTBEAT.read(v));
        if ((cloud.certFile() == null) != (cloud.keyFile() == null)) {
            throw new ConfigException(
                    cloud.certFile() == null ? ConfigKeys.CLOUD_CERT_FILE.name() : ConfigKeys.CLOUD_KEY_FILE.name(),
                    "cloud.cert-file and cloud.key-file go together: set both or neither");
        }
        if (cloud.certFile() != null && !cloudUrl.startsWith("ssl://")) {
            throw new ConfigException(
                    ConfigKeys.CLOUD_CERT_FILE.name(), "a client certificate needs an ssl:// cloud.url");
        }
        String token = nonEmpty(ConfigKeys.API_TOKEN, v);
        String adminToken = nonEmpty(ConfigKeys.API_ADMIN_TOKEN, v);
        if (token.equals(adminToken)) {
            throw new ConfigException(ConfigKeys.API_ADMIN_TOKEN.name(), "must differ from api.token");
        }
        return new GatewayConfig(
                storeId,
                zone(ConfigKeys.STORE_TIMEZONE, v),
                mqtt(v, mqttUrl),
                coap(v),
                http(v),
                cloud,
                Path.of(nonEmpty(ConfigKeys.DATA_DIR, v)),
                new GatewayConfig.Api(
                        token,
                        adminToken,
                        ConfigKeys.API_RATE_LIMIT.read(v),
                        ConfigKeys.API_RATE_BURST.read(v),
                        ConfigKeys.API_ONLINE_WINDOW.read(v),
                        ConfigKeys.API_AUTH_FAILURES.read(v)),
                new GatewayConfig.Outbox(
                        ConfigKeys.OUTBOX_MAX_EVENTS.read(v),
                        ConfigKeys.OUTBOX_MAX_BYTES.read(v),
                        ConfigKeys.OUTBOX_RETENTION.read(v)),
                new GatewayConfig.Store(
                        ConfigKeys.STORE_WRITER_BATCH.read(v),
                        ConfigKeys.STORE_WRITER_QUEUE.read(v),
                        ConfigKeys.STORE_COMMIT_WINDOW.read(v),
                        ConfigKeys.STORE_MAX_IN_FLIGHT.read(v),
                        ConfigKeys.STORE_MAX_IN_FLIGHT_BYTES.read(v)),
                ConfigKeys.BUTTONS_DEBOUNCE.read(v),
                ConfigKeys.BUTTONS_CANCEL_WINDOW.read(v),
                ConfigKeys.MEMBERS_VISIT_WINDOW.read(v),
                new GatewayConfig.Buttons(
                        ConfigKeys.BUTTONS_MAX_PRESS_AGE.read(v), ConfigKeys.BUTTONS_BATTERY_LOW.read(v)),
                new GatewayConfig.Members(
                        refKey(v),
                        ConfigKeys.MEMBERS_FACE_CONFIDENCE.read(v),
                        ConfigKeys.MEMBERS_QR_CONFIDENCE.read(v),
                        ConfigKeys.MEMBERS_CARD_CONFIDENCE.read(v)),
                new GatewayConfig.Picking(
                        ConfigKeys.PICKING_ENABLED.read(v),
                        ConfigKeys.PICKING_ORDERS_PER_PICKER.read(v),
                        ConfigKeys.PICKING_WEIGHT_TOLERANCE.read(v),
                        ConfigKeys.PICKING_LATE_CHECK.read(v),
                        ConfigKeys.STOCK_REPLENISH_THRESHOLD.read(v),
                        ConfigKeys.PICKING_PDA_TIMEOUT.read(v)),
                labels(v),
                new GatewayConfig.DeadLetters(
                        ConfigKeys.DEADLETTERS_MAX_BYTES.read(v), ConfigKeys.DEADLETTERS_RETENTION.read(v)),
                List.copyOf(devices));
    }

    private static GatewayConfig.Http http(Map<String, String> v) {
        return new GatewayConfig.Http(
                nonEmpty(ConfigKeys.HTTP_BIND, v),
                ConfigKeys.HTTP_PORT.read(v),
                ConfigKeys.HTTP_IDLE_TIMEOUT.read(v),
                ConfigKeys.HTTP_HEADER_TIMEOUT.read(v),
                ConfigKeys.HTTP_MAX_CONNECTIONS.read(v),
                ConfigKeys.HTTP_MAX_STREAMS.read(v));
    }

    /** An IANA zone name only: fixed offsets like +02:00 would be wrong half the year. */
    private static java.time.ZoneId zone(ConfigKey<String> key, Map<String, String> v) {
        String text = key.read(v).trim();
        if (!text.equals("UTC") && !text.matches("[A-Za-z]+(/[A-Za-z0-9_+-]+)+")) {
            throw new ConfigException(
                    key.name(), "'" + text + "' must be UTC or an IANA time zone name like Europe/Berlin");
        }
        try {
            return java.time.ZoneId.of(text);
        } catch (java.time.DateTimeException e) {
            throw new ConfigException(
                    key.name(), "'" + text + "' is not a known time zone; use an IANA name like Europe/Berlin");
        }
    }

    private static GatewayConfig.Labels labels(Map<String, String> v) {
        Duration ackTimeout = ConfigKeys.LABELS_ACK_TIMEOUT.read(v);
        Duration deadline = ConfigKeys.LABELS_DEADLINE.read(v);
        return new GatewayConfig.Labels(
                ConfigKeys.LABELS_MAX_IN_FLIGHT.read(v),
                ackTimeout,
                ConfigKeys.LABELS_COAP_RETRANSMITS.read(v),
                ConfigKeys.LABELS_PUSH_ATTEMPTS.read(v),
                ConfigKeys.LABELS_RETRY_MAX.read(v),
                deadline,
                ConfigKeys.LABELS_BATTERY_LOW.read(v),
                ConfigKeys.LABELS_NOT_SEEN.read(v),
                ConfigKeys.LABELS_AP_PSK_FILE.read(v));
    }

    /** Empty means members are not configured; a short key would make the hashes guessable. */
    private static String refKey(Map<String, String> v) {
        String key = ConfigKeys.MEMBERS_REF_KEY.read(v);
        if (!key.isEmpty() && key.length() < 32) {
            throw new ConfigException(
                    ConfigKeys.MEMBERS_REF_KEY.name(), "must be at least 32 characters (it is " + key.length() + ")");
        }
        return key;
    }

    private static GatewayConfig.Mqtt mqtt(Map<String, String> v, String mqttUrl) {
        // YAML 1.1 reads an unquoted off as the boolean false.
        v.computeIfPresent(
                ConfigKeys.MQTT_AUTH.name(), (k, text) -> text.trim().equalsIgnoreCase("false") ? "off" : text);
        boolean authRequired = ConfigKeys.MQTT_AUTH.read(v).equals("required");
        Path credentials = ConfigKeys.MQTT_CREDENTIALS_FILE.read(v);
        if (authRequired && credentials == null && mqttUrl.isEmpty()) {
            throw new ConfigException(
                    ConfigKeys.MQTT_CREDENTIALS_FILE.name(),
                    "must name the device credentials file when mqtt.auth is "
                            + "required (make lines with: java -jar gateway.jar hash-password --device ID)");
        }
        return new GatewayConfig.Mqtt(
                mqttUrl,
                nonEmpty(ConfigKeys.MQTT_BIND, v),
                ConfigKeys.MQTT_PORT.read(v),
                ConfigKeys.MQTT_MAX_PENDING.read(v),
                authRequired,
                credentials,
                ConfigKeys.MQTT_AUTH_QUEUE.read(v),
                ConfigKeys.MQTT_REPLY_QUEUE.read(v));
    }

    private static GatewayConfig.Coap coap(Map<String, String> v) {
        boolean plain = ConfigKeys.COAP_PLAIN.read(v);
        Path psk = ConfigKeys.COAP_PSK_FILE.read(v);
        if (!plain && psk == null) {
            throw new ConfigException(
                    ConfigKeys.COAP_PLAIN.name(), "is false but coap.psk-file is empty: no CoAP port would be open");
        }
        return new GatewayConfig.Coap(
                nonEmpty(ConfigKeys.COAP_BIND, v),
                ConfigKeys.COAP_PORT.read(v),
                plain,
                ConfigKeys.COAP_DTLS_PORT.read(v),
                psk,
                ConfigKeys.COAP_MAX_QUEUED.read(v));
    }

    private static String nonEmpty(ConfigKey<String> key, Map<String, String> v) {
        String value = key.read(v);
        if (value.isBlank()) {
            throw new ConfigException(key.name(), "must not be empty");
        }
        return value;
    }
}
