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
import java.util.Locale;
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
    private static final Pattern SIZE = Pattern.compile("(\\d{1,15})\\s*(B|KB|MB|GB)?", Pattern.CASE_INSENSITIVE);

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
        for (ConfigKey key : ConfigKeys.ALL) {
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
                String where = mark == null ? "" : " at line " + (mark.getLine() + 1) + ", column " + (mark.getColumn() + 1);
                return (marked.getContext() == null ? "" : marked.getContext() + ": ") + marked.getProblem() + where;
            }
        }
        com.fasterxml.jackson.core.JsonLocation location = e.getLocation();
        return "syntax error" + (location == null ? "" : " at line " + location.getLineNr() + ", column "
                + location.getColumnNr());
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
            entries.add(device(key, item.get("deviceId").asText(), item.get("kind").asText(),
                    item.has("count") ? item.get("count").asText() : "0", attributes));
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

    private static DeviceEntry device(String key, String id, String kindText, String countText, Map<String, String> attrs) {
        DeviceKind kind = DeviceKind.fromWire(kindText)
                .orElseThrow(() -> new ConfigException(key, "kind '" + kindText + "' is not one of " + DeviceKind.wireNames()));
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
        String storeId = v.get("store.id");
        if (!ID.matcher(storeId).matches()) {
            throw new ConfigException("store.id", "'" + storeId + "' must be made of [A-Za-z0-9_-]{1,64}");
        }
        String mqttUrl = v.get("mqtt.url");
        if (!mqttUrl.isEmpty() && !BROKER_URL.matcher(mqttUrl).matches()) {
            throw new ConfigException("mqtt.url", "'" + mqttUrl + "' must be empty or tcp://host:port");
        }
        String cloudUrl = v.get("cloud.url");
        if (!BROKER_URL.matcher(cloudUrl).matches()) {
            throw new ConfigException("cloud.url", "'" + cloudUrl + "' must be tcp://host:port or ssl://host:port");
        }
        String clientId = v.get("cloud.client-id").isEmpty() ? "gateway-" + storeId : v.get("cloud.client-id");
        GatewayConfig.Cloud cloud = new GatewayConfig.Cloud(cloudUrl, clientId, v.get("cloud.username"),
                v.get("cloud.password"), intIn(v, "cloud.window", 1, 65_535),
                duration(v, "cloud.reconnect-max"), duration(v, "cloud.keep-alive"),
                duration(v, "cloud.ack-timeout"), optionalPath(v, "cloud.ca-file"), optionalPath(v, "cloud.cert-file"),
                optionalPath(v, "cloud.key-file"), duration(v, "cloud.heartbeat"));
        if ((cloud.certFile() == null) != (cloud.keyFile() == null)) {
            throw new ConfigException(cloud.certFile() == null ? "cloud.cert-file" : "cloud.key-file",
                    "cloud.cert-file and cloud.key-file go together: set both or neither");
        }
        if (cloud.certFile() != null && !cloudUrl.startsWith("ssl://")) {
            throw new ConfigException("cloud.cert-file", "a client certificate needs an ssl:// cloud.url");
        }
        String token = nonEmpty(v, "api.token");
        String adminToken = nonEmpty(v, "api.admin-token");
        if (token.equals(adminToken)) {
            throw new ConfigException("api.admin-token", "must differ from api.token");
        }
        return new GatewayConfig(
                storeId,
                zone(v, "store.timezone"),
                mqtt(v, mqttUrl),
                coap(v),
                http(v),
                cloud,
                Path.of(nonEmpty(v, "data.dir")),
                new GatewayConfig.Api(token, adminToken, intIn(v, "api.rate-limit", 1, 1_000_000),
                        intIn(v, "api.rate-burst", 1, 1_000_000), duration(v, "api.online-window"),
                        intIn(v, "api.auth-failures", 1, 100_000)),
                new GatewayConfig.Outbox(longIn(v, "outbox.max-events", 1, 1_000_000_000), size(v, "outbox.max-bytes"),
                        duration(v, "outbox.retention")),
                intIn(v, "store.writer-batch", 1, 100_000),
                duration(v, "buttons.debounce"),
                duration(v, "buttons.cancel-window"),
                duration(v, "members.visit-window"),
                new GatewayConfig.Buttons(duration(v, "buttons.max-press-age"), intIn(v, "buttons.battery-low", 0, 100)),
                new GatewayConfig.Members(refKey(v), fraction(v, "members.face-confidence"),
                        fraction(v, "members.qr-confidence"), fraction(v, "members.card-confidence")),
                new GatewayConfig.Picking(bool(v, "picking.enabled"), intIn(v, "picking.orders-per-picker", 1, 100),
                        intIn(v, "picking.weight-tolerance", 0, 100), duration(v, "picking.late-check"),
                        intIn(v, "stock.replenish-threshold", 0, 1_000_000), longerThanZero(v, "picking.pda-timeout")),
                labels(v),
                new GatewayConfig.DeadLetters(size(v, "deadletters.max-bytes"), duration(v, "deadletters.retention")),
                List.copyOf(devices));
    }

    private static GatewayConfig.Http http(Map<String, String> v) {
        return new GatewayConfig.Http(nonEmpty(v, "http.bind"), port(v, "http.port"),
                duration(v, "http.idle-timeout"), duration(v, "http.header-timeout"),
                intIn(v, "http.max-connections", 1, 100_000), intIn(v, "http.max-streams", 1, 10_000));
    }

    /** An IANA zone name only: fixed offsets like +02:00 would be wrong half the year. */
    private static java.time.ZoneId zone(Map<String, String> v, String key) {
        String text = v.get(key).trim();
        if (!text.equals("UTC") && !text.matches("[A-Za-z]+(/[A-Za-z0-9_+-]+)+")) {
            throw new ConfigException(key, "'" + text + "' must be UTC or an IANA time zone name like Europe/Berlin");
        }
        try {
            return java.time.ZoneId.of(text);
        } catch (java.time.DateTimeException e) {
            throw new ConfigException(key, "'" + text + "' is not a known time zone; use an IANA name like Europe/Berlin");
        }
    }

    private static GatewayConfig.Labels labels(Map<String, String> v) {
        Duration ackTimeout = duration(v, "labels.ack-timeout");
        Duration deadline = duration(v, "labels.deadline");
        return new GatewayConfig.Labels(intIn(v, "labels.max-in-flight", 1, 1024), ackTimeout,
                intIn(v, "labels.coap-retransmits", 1, 10), intIn(v, "labels.push-attempts", 1, 1000),
                duration(v, "labels.retry-max"), deadline, intIn(v, "labels.battery-low", 0, 100),
                duration(v, "labels.not-seen"), optionalPath(v, "labels.ap-psk-file"));
    }

    /** Empty means members are not configured; a short key would make the hashes guessable. */
    private static String refKey(Map<String, String> v) {
        String key = v.get("members.ref-key");
        if (!key.isEmpty() && key.length() < 32) {
            throw new ConfigException("members.ref-key", "must be at least 32 characters (it is " + key.length() + ")");
        }
        return key;
    }

    private static double fraction(Map<String, String> v, String key) {
        String text = v.get(key).trim();
        double value;
        try {
            value = Double.parseDouble(text);
        } catch (NumberFormatException e) {
            throw new ConfigException(key, "'" + text + "' is not a number");
        }
        if (!(value >= 0 && value <= 1)) {
            throw new ConfigException(key, value + " is outside 0..1");
        }
        return value;
    }

    private static GatewayConfig.Mqtt mqtt(Map<String, String> v, String mqttUrl) {
        // YAML 1.1 reads an unquoted off as the boolean false.
        v.computeIfPresent("mqtt.auth", (k, text) -> text.trim().equalsIgnoreCase("false") ? "off" : text);
        boolean authRequired = oneOf(v, "mqtt.auth", "required", "off").equals("required");
        Path credentials = optionalPath(v, "mqtt.credentials-file");
        if (authRequired && credentials == null && mqttUrl.isEmpty()) {
            throw new ConfigException("mqtt.credentials-file", "must name the device credentials file when mqtt.auth is "
                    + "required (make lines with: java -jar gateway.jar hash-password --device ID)");
        }
        return new GatewayConfig.Mqtt(mqttUrl, nonEmpty(v, "mqtt.bind"), port(v, "mqtt.port"),
                intIn(v, "mqtt.max-pending", 1, 1_000_000), authRequired, credentials);
    }

    private static GatewayConfig.Coap coap(Map<String, String> v) {
        boolean plain = oneOf(v, "coap.plain", "true", "false").equals("true");
        Path psk = optionalPath(v, "coap.psk-file");
        if (!plain && psk == null) {
            throw new ConfigException("coap.plain", "is false but coap.psk-file is empty: no CoAP port would be open");
        }
        return new GatewayConfig.Coap(nonEmpty(v, "coap.bind"), port(v, "coap.port"), plain, port(v, "coap.dtls-port"),
                psk);
    }

    private static String oneOf(Map<String, String> v, String key, String... allowed) {
        String value = v.get(key).trim().toLowerCase(Locale.ROOT);
        if (!List.of(allowed).contains(value)) {
            throw new ConfigException(key, "'" + v.get(key) + "' must be one of " + String.join(", ", allowed));
        }
        return value;
    }

    private static Path optionalPath(Map<String, String> v, String key) {
        String value = v.get(key).trim();
        return value.isEmpty() ? null : Path.of(value);
    }

    private static String nonEmpty(Map<String, String> v, String key) {
        String value = v.get(key);
        if (value == null || value.isBlank()) {
            throw new ConfigException(key, "must not be empty");
        }
        return value;
    }

    private static int port(Map<String, String> v, String key) {
        return intIn(v, key, 0, 65_535);
    }

    private static boolean bool(Map<String, String> v, String key) {
        String value = v.get(key).toLowerCase(Locale.ROOT);
        if (!value.equals("true") && !value.equals("false")) {
            throw new ConfigException(key, "'" + v.get(key) + "' must be true or false");
        }
        return Boolean.parseBoolean(value);
    }

    private static int intIn(Map<String, String> v, String key, int min, int max) {
        return (int) longIn(v, key, min, max);
    }

    private static long longIn(Map<String, String> v, String key, long min, long max) {
        String text = v.get(key);
        long value;
        try {
            value = Long.parseLong(text.trim());
        } catch (NumberFormatException e) {
            throw new ConfigException(key, "'" + text + "' is not a whole number");
        }
        if (value < min || value > max) {
            throw new ConfigException(key, value + " is outside " + min + ".." + max);
        }
        return value;
    }

    private static Duration duration(Map<String, String> v, String key) {
        Duration value;
        try {
            value = Durations.parse(v.get(key));
        } catch (IllegalArgumentException e) {
            throw new ConfigException(key, e.getMessage());
        }
        return ConfigBounds.check(key, value);
    }

    private static Duration longerThanZero(Map<String, String> v, String key) {
        Duration d = duration(v, key);
        if (d.isZero() || d.isNegative()) {
            throw new ConfigException(key, "'" + v.get(key) + "' must be longer than zero");
        }
        return d;
    }

    private static long size(Map<String, String> v, String key) {
        var m = SIZE.matcher(v.get(key).trim());
        if (!m.matches()) {
            throw new ConfigException(key, "'" + v.get(key) + "' is not a size; write it like 512MB or 1GB");
        }
        long n = Long.parseLong(m.group(1));
        String unit = m.group(2) == null ? "B" : m.group(2).toUpperCase(Locale.ROOT);
        long multiplier = switch (unit) {
            case "KB" -> 1024L;
            case "MB" -> 1024L * 1024;
            case "GB" -> 1024L * 1024 * 1024;
            default -> 1L;
        };
        // Compared before multiplying, so a huge number cannot overflow into a small one.
        if (n > ConfigBounds.MAX_SIZE / multiplier || n * multiplier < ConfigBounds.MIN_SIZE) {
            throw new ConfigException(key, "'" + v.get(key).trim() + "' is outside 1MB..1024GB");
        }
        return n * multiplier;
    }
}
