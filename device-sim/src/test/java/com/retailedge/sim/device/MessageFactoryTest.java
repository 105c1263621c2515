package com.retailedge.sim.device;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Payloads follow the contract, and bad ones are bad in exactly the intended way. */
class MessageFactoryTest {
    private final ObjectMapper json = new ObjectMapper();
    private final MessageFactory factory = new MessageFactory("run1");
    private final Random rnd = new Random(1);
    private final Fleet fleet = new Fleet(
            Map.of(DeviceKind.PDA, 2, DeviceKind.BUTTON, 2, DeviceKind.CAMERA, 1, DeviceKind.LABEL, 3),
            EnumSet.allOf(DeviceKind.class),
            List.of(),
            List.of(),
            rnd);

    @Test
    void msg_ids_are_device_counter_run_and_unique() {
        DeviceSimulator pda = fleet.of(DeviceKind.PDA).get(0);
        SimMessage a = factory.valid(pda, pda.next(rnd), 1L);
        SimMessage b = factory.valid(pda, pda.next(rnd), 2L);
        assertEquals("pda-1-1-run1", a.msgId());
        assertEquals("pda-1-2-run1", b.msgId());
        assertEquals("store/s001/pda/pda-1/scan", a.topic("s001"));
    }

    @Test
    void a_pda_says_idle_when_it_starts_and_off_when_it_is_switched_off() throws Exception {
        DeviceSimulator pda = fleet.of(DeviceKind.PDA).get(0);
        SimMessage on = factory.valid(pda, pda.startup().get(0), 1L);
        SimMessage off = factory.valid(pda, pda.shutdown().get(0), 2L);
        assertEquals("store/s001/pda/pda-1/status", off.topic("s001"));
        assertEquals("idle", json.readTree(on.payload()).get("state").asText());
        assertEquals("off", json.readTree(off.payload()).get("state").asText());
        assertNotEquals(
                json.readTree(on.payload()).get("msgId"),
                json.readTree(off.payload()).get("msgId"));
        assertEquals(List.of(), fleet.of(DeviceKind.BUTTON).get(0).shutdown(), "other devices say nothing");
    }

    @Test
    void valid_messages_carry_the_contract_fields_and_sent_at() throws Exception {
        Set<String> ids = new HashSet<>();
        for (int i = 0; i < 2_000; i++) {
            DeviceSimulator d = fleet.pick(rnd);
            SimMessage m = factory.valid(d, d.next(rnd), 1234L);
            assertTrue(ids.add(m.msgId()));
            JsonNode n = json.readTree(m.payload());
            assertEquals(m.msgId(), n.get("msgId").asText());
            assertEquals(1234L, n.get("sentAt").asLong());
            switch (d.kind()) {
                case PDA -> {
                    assertTrue(Ean13.isValid(n.get("barcode").asText()));
                    assertTrue(n.get("orderId").asText().startsWith("o-"));
                    assertTrue(n.get("qty").isInt() && n.get("qty").asInt() >= 1);
                }
                case BUTTON ->
                    assertTrue(Set.of("single", "double", "long")
                            .contains(n.get("press").asText()));
                case CAMERA -> {
                    assertTrue(Set.of("face", "qr", "card")
                            .contains(n.get("method").asText()));
                    assertTrue(n.get("memberRef").isTextual());
                    double c = n.get("confidence").asDouble();
                    assertTrue(c >= 0 && c <= 1, "confidence " + c);
                }
                case LABEL -> {
                    assertTrue(n.get("version").isInt());
                    int b = n.get("battery").asInt();
                    assertTrue(b >= 0 && b <= 100);
                }
            }
        }
    }

    @Test
    void the_pda_says_it_is_idle_at_start() throws Exception {
        DeviceSimulator pda = fleet.of(DeviceKind.PDA).get(1);
        SimMessage m = factory.valid(pda, pda.startup().get(0), 1L);
        assertEquals("store/s001/pda/pda-2/status", m.topic("s001"));
        assertEquals("idle", json.readTree(m.payload()).get("state").asText());
    }

    @Test
    void bad_messages_break_one_thing_each() throws Exception {
        DeviceSimulator pda = fleet.of(DeviceKind.PDA).get(0);
        Draft scan = pda.next(rnd);

        SimMessage notJson = factory.bad(pda, scan, BadKind.NOT_JSON, 1L);
        assertThrows(Exception.class, () -> json.readTree(notJson.payload()));
        assertFalse(notJson.valid());

        JsonNode missing =
                json.readTree(factory.bad(pda, scan, BadKind.MISSING_FIELD, 1L).payload());
        assertFalse(missing.has("orderId"));

        JsonNode wrongType =
                json.readTree(factory.bad(pda, scan, BadKind.WRONG_TYPE, 1L).payload());
        assertTrue(wrongType.get("orderId").isNumber());

        JsonNode badDigit = json.readTree(
                factory.bad(pda, scan, BadKind.BAD_CHECK_DIGIT, 1L).payload());
        assertFalse(Ean13.isValid(badDigit.get("barcode").asText()));

        SimMessage ghost = factory.bad(pda, scan, BadKind.UNKNOWN_DEVICE, 1L);
        assertTrue(ghost.deviceId().startsWith("ghost-"));
        assertNotEquals(pda.deviceId(), ghost.deviceId());

        SimMessage big = factory.bad(pda, scan, BadKind.OVERSIZE, 1L);
        assertTrue(big.payload().length > 64 * 1024);
        assertFalse(big.coapCapable());
    }

    @Test
    void a_bad_check_digit_is_only_chosen_for_scans() {
        DeviceSimulator button = fleet.of(DeviceKind.BUTTON).get(0);
        Draft press = button.next(rnd);
        for (int i = 0; i < 500; i++) {
            assertNotEquals(BadKind.BAD_CHECK_DIGIT, MessageFactory.pickBadKind(press, rnd));
        }
    }

    @Test
    void the_mix_follows_the_weights() {
        Map<DeviceKind, Integer> counts = new java.util.EnumMap<>(DeviceKind.class);
        int n = 100_000;
        for (int i = 0; i < n; i++) {
            counts.merge(fleet.pick(rnd).kind(), 1, Integer::sum);
        }
        assertEquals(0.5, counts.get(DeviceKind.PDA) / (double) n, 0.01);
        assertEquals(0.2, counts.get(DeviceKind.BUTTON) / (double) n, 0.01);
        assertEquals(0.1, counts.get(DeviceKind.CAMERA) / (double) n, 0.01);
        assertEquals(0.2, counts.get(DeviceKind.LABEL) / (double) n, 0.01);
    }
}
