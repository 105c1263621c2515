package com.retailedge.gateway.store;

import com.fasterxml.jackson.databind.JsonNode;
import com.retailedge.gateway.clients.ApiClient;
import com.retailedge.gateway.clients.CoapDevice;
import com.retailedge.gateway.testsupport.FreePorts;
import com.retailedge.gateway.testsupport.GatewayEnv;
import com.retailedge.gateway.testsupport.InProcessGateway;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.Random;
import org.eclipse.californium.core.coap.CoAP.ResponseCode;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The whole gateway started on a damaged database: it keeps serving devices, and says what happened in
 * {@code /health}, in the metrics and with a {@code retail.gateway.recovered} event for the cloud.
 */
@Tag("slow")
class CorruptDatabaseStartTest {
    @TempDir
    Path dir;

    @Test
    void the_gateway_starts_on_a_damaged_database_reports_the_recovery_and_serves_devices() throws Exception {
        Path data = DatabaseRecoveryTest.populated(dir.resolve("data"));
        long pages = Files.size(data.resolve(Database.FILE_NAME)) / 4096;
        DatabaseRecoveryTest.damagePages(data.resolve(Database.FILE_NAME), pages * 3 / 4, 2, new Random(7));
        // The gateway refuses a data directory others can read; the test made this one itself.
        Files.setPosixFilePermissions(data, PosixFilePermissions.fromString("rwx------"));
        GatewayEnv env = new GatewayEnv(data, "tcp://127.0.0.1:" + FreePorts.tcp());

        try (InProcessGateway gateway = InProcessGateway.start(env);
                CoapDevice button = new CoapDevice(env.coapPort())) {
            ApiClient api = new ApiClient(env.httpPort(), GatewayEnv.READ_TOKEN);
            JsonNode recovered = api.json("/health").path("store").path("recovered");
            assertTrue(recovered.path("totalRowsCopied").asLong() > 3000, recovered.toString());
            Path aside = Path.of(recovered.path("movedTo").asText());
            assertTrue(Files.exists(aside.resolve(Database.FILE_NAME)), "the damaged file is kept at " + aside);
            assertEquals(1.0, api.metric("gateway_store_recovered", Map.of()));
            assertEquals(
                    recovered.path("totalRowsCopied").asDouble(), api.metric("gateway_store_recovered_rows", Map.of()));

            JsonNode events = api.json("/api/v1/events?after=" + DatabaseRecoveryTest.ROWS)
                    .path("events");
            assertEquals(1, events.size(), events.toString());
            JsonNode event = events.get(0);
            assertEquals("retail.gateway.recovered", event.path("type").asText());
            assertEquals(GatewayEnv.STORE, event.path("subject").asText());
            assertEquals(aside.toString(), event.path("data").path("movedTo").asText());
            assertTrue(event.path("data").path("rowsCopied").path("outbox").asLong() > 0, event.toString());

            byte[] press = "{\"msgId\":\"after-recovery\",\"press\":\"single\"}".getBytes(StandardCharsets.UTF_8);
            assertEquals(
                    ResponseCode.CHANGED,
                    button.post("/button/button-1/press", press).getCode());
            assertEquals("UP", api.json("/health").path("status").asText());
        }
        DatabaseRecoveryTest.assertIntact(data);
        assertTrue(DatabaseRecovery.checkAndRecover(data).isEmpty(), "the second start finds a sound database");
    }
}
