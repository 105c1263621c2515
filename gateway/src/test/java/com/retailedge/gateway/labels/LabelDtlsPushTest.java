package com.retailedge.gateway.labels;

import com.retailedge.sim.esl.AccessPointSimulator;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Label pushes over DTLS 1.2 (issue 8): an access point bound with a {@code coaps://} url gets its content over a
 * Scandium PSK session with the identity and key {@code labels.ap-psk-file} names for it, against a simulated
 * access point that serves only DTLS and knows only that key. A wrong or missing key ends the labels failed with
 * a reason, never in plain text.
 */
@Timeout(120)
@Tag("slow")
class LabelDtlsPushTest {
    private static final Duration WAIT = Duration.ofSeconds(40);
    private static final byte[] KEY = HexFormat.of().parseHex("00112233445566778899aabbccddeeff");
    private static final byte[] OTHER_KEY = HexFormat.of().parseHex("ffeeddccbbaa99887766554433221100");
    /** Fail fast: one attempt, one retransmission. */
    private static final Map<String, String> GIVE_UP_FAST =
            Map.of("GATEWAY_LABELS_PUSH_ATTEMPTS", "1", "GATEWAY_LABELS_COAP_RETRANSMITS", "1");

    @TempDir
    Path dir;

    @Test
    void a_price_change_reaches_every_label_of_a_coaps_access_point_under_the_gateways_identity() throws Exception {
        Path keys = keyFile("ap-1:gw-s001:" + HexFormat.of().formatHex(KEY));
        try (LabelStore store = LabelStore.start(
                dir, 20, Map.of("GATEWAY_LABELS_AP_PSK_FILE", keys.toString()), ap -> ap.withDtls("gw-s001", KEY))) {
            AccessPointSimulator ap = store.startAp();
            assertTrue(ap.url().startsWith("coaps://"), ap.url());
            assertEquals(20, store.price("1.79").get("labelsChanged").asInt());
            await("every label current over DTLS").atMost(WAIT).until(() -> store.currentCount() == 20);
            for (int n = 1; n <= 20; n++) {
                assertEquals("1.79", ap.content("esl-" + n).get("price").asText());
                assertEquals(1, ap.shown("esl-" + n));
            }
            assertEquals(Set.of("gw-s001"), ap.peerIdentities(), "every PUT came over a PSK session");

            store.price("1.69"); // the session is reused for the next version
            await("the second version current")
                    .atMost(WAIT)
                    .until(() -> store.labels("state=current").stream()
                                    .allMatch(l -> l.get("reportedVersion").asLong() == 2)
                            && store.currentCount() == 20);
            assertEquals("1.69", ap.content("esl-20").get("price").asText());

            // The access point reboots and forgets the session: the next pushes need a new handshake.
            store.stopAp();
            AccessPointSimulator rebooted = store.startAp();
            store.price("1.59");
            await("the third version current after the reboot")
                    .atMost(WAIT)
                    .until(() -> store.labels("state=current").stream()
                                    .allMatch(l -> l.get("reportedVersion").asLong() == 3)
                            && store.currentCount() == 20);
            assertEquals("1.59", rebooted.content("esl-7").get("price").asText());
            assertEquals(Set.of("gw-s001"), rebooted.peerIdentities());
        }
    }

    @Test
    void a_wrong_key_fails_the_labels_with_a_reason() throws Exception {
        Path keys = keyFile("# the access point was re-keyed, this file was not\nap-1:gw-s001:"
                + HexFormat.of().formatHex(OTHER_KEY));
        Map<String, String> settings = new java.util.HashMap<>(GIVE_UP_FAST);
        settings.put("GATEWAY_LABELS_AP_PSK_FILE", keys.toString());
        try (LabelStore store = LabelStore.start(dir, 3, settings, ap -> ap.withDtls("gw-s001", KEY))) {
            AccessPointSimulator ap = store.startAp();
            store.price("2.00");
            await("every label failed")
                    .atMost(WAIT)
                    .until(() -> store.labelsSummary().get("failed").asLong() == 3);
            String reason = store.label("esl-1").get("reason").asText();
            assertTrue(reason.startsWith("ap-unreachable: access point ap-1") && reason.contains("Handshake"), reason);
            assertEquals(0, ap.puts(), "nothing reached the access point without the handshake");
        }
    }

    @Test
    void a_coaps_access_point_without_a_key_fails_its_labels_naming_the_missing_key() throws Exception {
        try (LabelStore store = LabelStore.start(dir, 3, GIVE_UP_FAST, ap -> ap.withDtls("gw-s001", KEY))) {
            AccessPointSimulator ap = store.startAp();
            store.price("2.00");
            await("every label failed")
                    .atMost(WAIT)
                    .until(() -> store.labelsSummary().get("failed").asLong() == 3);
            String reason = store.label("esl-2").get("reason").asText();
            assertTrue(reason.startsWith("ap-unreachable:") && reason.contains("labels.ap-psk-file"), reason);
            assertEquals(0, ap.puts(), "no plain-text fallback");
        }
    }

    private Path keyFile(String text) throws Exception {
        Path file = dir.resolve("ap-psk.txt");
        Files.writeString(file, text + "\n");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        return file;
    }
}
