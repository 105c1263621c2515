package com.retailedge.gateway.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.retailedge.gateway.clients.ApiClient;
import com.retailedge.gateway.clients.CoapDevice;
import com.retailedge.gateway.testsupport.CloudCommands;
import com.retailedge.gateway.testsupport.GatewayEnv;
import com.retailedge.gateway.testsupport.InProcessGateway;
import com.retailedge.gateway.testsupport.Mosquitto;
import java.nio.file.Path;
import java.time.Duration;
import org.eclipse.californium.core.coap.CoAP.ResponseCode;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The cloud's registry wins over the config file's {@code devices} section, across restarts: a device the cloud
 * re-bound keeps the cloud's binding, a device the cloud removed stays removed, and the config file still fills in
 * the devices the cloud never spoke about.
 */
@Timeout(120)
@Tag("slow")
class CloudRegistryWinsTest {
    private static final Duration WAIT = Duration.ofSeconds(30);

    @TempDir
    Path dir;

    @Test
    void a_cloud_binding_and_a_cloud_removal_outlive_a_restart_over_the_config_file() throws Exception {
        // button-1..10 come from the config file (GatewayEnv.DEVICES), with no action bound
        GatewayEnv env = new GatewayEnv(dir.resolve("gateway"), "tcp://127.0.0.1:1");
        try (Mosquitto cloud = Mosquitto.start(dir.resolve("cloud"))) {
            env.set("GATEWAY_CLOUD_URL", cloud.url());
            try (InProcessGateway gateway = InProcessGateway.start(env)) {
                CommandsSurviveTest.awaitCommandLink(new ApiClient(env.httpPort(), GatewayEnv.READ_TOKEN));
                CloudCommands.send(
                        cloud,
                        "bindings",
                        "{\"commandId\":\"r-1\",\"bindings\":["
                                + "{\"deviceId\":\"button-9\",\"kind\":\"button\",\"action\":\"reorder\",\"sku\":\"MILK-1\",\"qty\":6},"
                                + "{\"deviceId\":\"button-8\",\"remove\":true}]}");
                await("the bindings applied")
                        .atMost(WAIT)
                        .until(() -> "applied"
                                .equals(CommandsSurviveTest.outcomes(env.dataDir())
                                        .get("r-1")));
            }
            try (InProcessGateway restarted = InProcessGateway.start(env);
                    CoapDevice buttons = new CoapDevice(env.coapPort())) {
                ApiClient api = new ApiClient(env.httpPort(), GatewayEnv.READ_TOKEN);
                assertEquals(ResponseCode.CHANGED, press(buttons, "button-9", "after-1"));
                assertEquals(
                        ResponseCode.BAD_REQUEST,
                        press(buttons, "button-8", "after-2"),
                        "removed by the cloud; the config file does not bring it back");
                assertEquals(
                        ResponseCode.CHANGED,
                        press(buttons, "button-7", "after-3"),
                        "a device the cloud never spoke about, from the config file");
                await("the presses stored")
                        .atMost(WAIT)
                        .until(() -> pressed(api, "after-3") != null && pressed(api, "after-1") != null);
                assertEquals(
                        "reorder", pressed(api, "after-1").at("/data/action").asText(), "the cloud's binding");
                assertEquals(
                        "", pressed(api, "after-3").at("/data/action").asText(), "the config's binding: no action");
            }
        }
    }

    private static ResponseCode press(CoapDevice buttons, String buttonId, String msgId) {
        return buttons.post(
                        "/button/" + buttonId + "/press",
                        ("{\"msgId\":\"" + msgId + "\",\"press\":\"single\"}").getBytes(UTF_8))
                .getCode();
    }

    private static JsonNode pressed(ApiClient api, String msgId) {
        return api.events().stream()
                .filter(e -> "retail.button.pressed".equals(e.path("type").asText()))
                .filter(e -> msgId.equals(e.at("/data/msgId").asText()))
                .findFirst()
                .orElse(null);
    }
}
