package com.retailedge.gateway.docs;

import com.retailedge.gateway.clients.CoapDevice;
import com.retailedge.gateway.domain.Channel;
import com.retailedge.gateway.domain.RejectReason;
import com.retailedge.gateway.outbox.EventTypes;
import com.retailedge.gateway.security.DeviceAccess;
import com.retailedge.gateway.testsupport.FreePorts;
import com.retailedge.gateway.testsupport.GatewayEnv;
import com.retailedge.gateway.testsupport.InProcessGateway;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.eclipse.californium.core.CoapResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * docs/protocol.md and docs/api.md are held to the code: one row per device topic (in and out), CoAP resource,
 * cloud command kind, event type, dead-letter reason and HTTP route, each exactly once, and no row the code does
 * not know. What the code knows is read from the code itself, not repeated here: the {@link Channel} values and
 * the gateway's output topics, the CoAP resources a running gateway lists in {@code /.well-known/core}, the
 * command kinds its {@code CommandIntake} has handlers for, the constants of {@link EventTypes}, the
 * {@link RejectReason} codes, and the routes its router serves.
 */
@Timeout(60)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Tag("slow")
class ProtocolDocTest {
    private static final Path ROOT = Path.of("..");
    /** Every {@code {placeholder}} is the same for the comparison: the docs name them, the code does not. */
    private static final Pattern PLACEHOLDER = Pattern.compile("\\{[^}]*}");

    private static final Pattern LINK = Pattern.compile("<([^>]+)>");

    @TempDir
    static Path dir;

    private InProcessGateway gateway;
    private List<DocTables.Table> protocol;

    @BeforeAll
    void start() throws Exception {
        protocol = DocTables.read(ROOT.resolve("docs/protocol.md"));
        // Nothing listens on the cloud address: the command kinds and routes are registered without a cloud.
        GatewayEnv env = new GatewayEnv(dir.resolve("gateway"), "tcp://127.0.0.1:" + FreePorts.tcp());
        gateway = InProcessGateway.start(env);
    }

    @AfterAll
    void stop() {
        if (gateway != null) {
            gateway.close();
        }
    }

    @Test
    void every_device_topic_has_one_row_in_its_direction() {
        List<String> in = new ArrayList<>();
        for (Channel c : Channel.values()) {
            in.add(template("store/{}/" + c.segment() + "/{}/" + c.leaf()));
        }
        List<String> out = new ArrayList<>();
        for (String leaf : DeviceAccess.GATEWAY_OUTPUT) {
            out.add(template("store/{}/pda/{}/" + leaf));
        }
        List<DocTables.Table> topicTables = DocTables.withFirstColumn(protocol, "topic");
        List<String> documentedIn = new ArrayList<>();
        List<String> documentedOut = new ArrayList<>();
        for (DocTables.Table t : topicTables) {
            List<String> keys = t.keys().stream().map(ProtocolDocTest::template).toList();
            if (t.heading().startsWith("Device -> gateway")) {
                documentedIn.addAll(keys);
            } else if (t.heading().startsWith("Gateway -> device")) {
                documentedOut.addAll(keys);
            } else {
                throw new AssertionError("a topic table under '" + t.heading() + "', neither direction: " + keys);
            }
        }
        assertOncePerItem("device -> gateway topics", in, documentedIn);
        assertOncePerItem("gateway -> device topics", out, documentedOut);
    }

    @Test
    void every_coap_resource_the_server_lists_has_one_row() throws Exception {
        List<String> served = new ArrayList<>(List.of("/.well-known/core"));
        try (CoapDevice coap = new CoapDevice(gateway.env().coapPort())) {
            CoapResponse core = coap.get("/.well-known/core");
            Matcher m = LINK.matcher(core.getResponseText());
            TreeSet<String> templates = new TreeSet<>();
            while (m.find()) {
                String[] parts = m.group(1).split("/", -1);
                // {kind}/{id}/{leaf}: one resource per registered device, documented once as a template.
                if (parts.length == 4) {
                    templates.add("/" + parts[1] + "/{}/" + parts[3]);
                }
            }
            assertFalse(templates.isEmpty(), "the gateway lists its device resources: " + core.getResponseText());
            served.addAll(templates);
        }
        List<String> documented = new ArrayList<>();
        for (DocTables.Table t : DocTables.withFirstColumn(protocol, "resource")) {
            t.keys().forEach(k -> documented.add(template(k)));
        }
        assertOncePerItem("CoAP resources", served, documented);
    }

    @Test
    void every_command_kind_the_gateway_handles_has_one_row() {
        Collection<String> kinds = gateway.gateway().commandKinds();
        assertTrue(kinds.contains("bindings"), "the running gateway's command kinds: " + kinds);
        List<String> documented = new ArrayList<>();
        DocTables.withFirstColumn(protocol, "kind").forEach(t -> documented.addAll(t.keys()));
        assertOncePerItem("cloud command kinds", kinds, documented);
    }

    @Test
    void every_event_type_has_one_row() throws Exception {
        List<String> types = new ArrayList<>();
        for (Field f : EventTypes.class.getDeclaredFields()) {
            if (Modifier.isStatic(f.getModifiers()) && f.getType() == String.class) {
                types.add((String) f.get(null));
            }
        }
        List<String> documented = new ArrayList<>();
        DocTables.withFirstColumn(protocol, "type").forEach(t -> documented.addAll(t.keys()));
        assertOncePerItem("event types", types, documented);
    }

    @Test
    void every_reject_reason_has_one_row() {
        List<String> codes = new ArrayList<>();
        for (RejectReason r : RejectReason.values()) {
            codes.add(r.code());
        }
        List<String> documented = new ArrayList<>();
        DocTables.withFirstColumn(protocol, "reason").forEach(t -> documented.addAll(t.keys()));
        assertOncePerItem("dead-letter reasons", codes, documented);
    }

    @Test
    void api_md_lists_every_route_the_gateway_serves() throws Exception {
        List<String> served = new ArrayList<>(gateway.gateway().httpRoutes());
        // The dashboard's files are served by a static handler on /*, not an exact route; api.md lists it as GET /.
        served.add("GET /");
        List<String> documented = new ArrayList<>();
        for (DocTables.Table t : DocTables.withFirstColumn(DocTables.read(ROOT.resolve("docs/api.md")), "route")) {
            for (String key : t.keys()) {
                documented.add(template(key.replaceFirst("\\?.*$", "")));
            }
        }
        assertOncePerItem(
                "HTTP routes in docs/api.md",
                served.stream().map(ProtocolDocTest::template).toList(),
                documented);
    }

    private static String template(String text) {
        return PLACEHOLDER.matcher(text).replaceAll("{}");
    }

    /** Each known item documented exactly once, and nothing documented that the code does not know. */
    static void assertOncePerItem(String what, Collection<String> known, List<String> documented) {
        List<String> missing = new ArrayList<>();
        List<String> twice = new ArrayList<>();
        for (String item : new TreeSet<>(known)) {
            long n = documented.stream().filter(item::equals).count();
            if (n == 0) {
                missing.add(item);
            } else if (n > 1) {
                twice.add(item);
            }
        }
        List<String> unknown =
                documented.stream().filter(d -> !known.contains(d)).distinct().toList();
        assertEquals(List.of(), missing, what + ": known to the code, no row");
        assertEquals(List.of(), twice, what + ": more than one row");
        assertEquals(List.of(), unknown, what + ": rows the code does not know");
    }
}
