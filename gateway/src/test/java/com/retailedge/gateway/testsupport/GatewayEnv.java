package com.retailedge.gateway.testsupport;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * The environment a test gateway runs with: random ports, its own data directory, a cloud URL, and the
 * test fleet of devices. Tokens are fixed test values.
 */
public final class GatewayEnv {
    public static final String STORE = "s001";
    public static final String READ_TOKEN = "test-read-token-0123456789abcdef";
    public static final String ADMIN_TOKEN = "test-admin-token-0123456789abcdef";
    /** pda-1..10, button-1..10, camera-1..3, esl-1..50, checkout lanes lane-1..4. */
    public static final String DEVICES =
            "pda:pda-{n}:10,button:button-{n}:10,camera:camera-{n}:3,label:esl-{n}:50," + "pos:lane-{n}:4";

    private final Map<String, String> values = new HashMap<>();

    public GatewayEnv(Path dataDir, String cloudUrl) {
        values.put("GATEWAY_STORE_ID", STORE);
        values.put("GATEWAY_DATA_DIR", dataDir.toString());
        values.put("GATEWAY_CLOUD_URL", cloudUrl);
        values.put("GATEWAY_CLOUD_RECONNECT_MAX", "1s");
        // Tests count the events they cause; a heartbeat in the middle of a slow run would be one more.
        // CloudPullTest sets its own period.
        values.put("GATEWAY_CLOUD_HEARTBEAT", "1d");
        values.put("GATEWAY_MQTT_PORT", Integer.toString(FreePorts.tcp()));
        values.put("GATEWAY_MQTT_BIND", "127.0.0.1");
        values.put("GATEWAY_COAP_PORT", Integer.toString(FreePorts.udp()));
        values.put("GATEWAY_COAP_BIND", "127.0.0.1");
        values.put("GATEWAY_HTTP_PORT", Integer.toString(FreePorts.tcp()));
        values.put("GATEWAY_HTTP_BIND", "127.0.0.1");
        values.put("GATEWAY_API_TOKEN", READ_TOKEN);
        values.put("GATEWAY_API_ADMIN_TOKEN", ADMIN_TOKEN);
        values.put("GATEWAY_DEVICES", DEVICES);
        // Tests refuse many tokens from 127.0.0.1 on purpose; the tests of the limit itself set it low again.
        values.put("GATEWAY_API_AUTH_FAILURES", "100000");
        // The spine's tests scan made-up orders, so their PDAs are plain scanners; picking tests turn it on.
        values.put("GATEWAY_PICKING_ENABLED", "false");
    }

    public GatewayEnv set(String name, String value) {
        values.put(name, value);
        return this;
    }

    public Map<String, String> asMap() {
        return Map.copyOf(values);
    }

    public Path dataDir() {
        return Path.of(values.get("GATEWAY_DATA_DIR"));
    }

    public int mqttPort() {
        return Integer.parseInt(values.get("GATEWAY_MQTT_PORT"));
    }

    public int coapPort() {
        return Integer.parseInt(values.get("GATEWAY_COAP_PORT"));
    }

    public int httpPort() {
        return Integer.parseInt(values.get("GATEWAY_HTTP_PORT"));
    }

    public String mqttUrl() {
        return "tcp://127.0.0.1:" + mqttPort();
    }

    public String coapUrl(String path) {
        return "coap://127.0.0.1:" + coapPort() + path;
    }
}
