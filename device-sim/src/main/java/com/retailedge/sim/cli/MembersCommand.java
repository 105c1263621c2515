package com.retailedge.sim.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.retailedge.sim.device.CameraSimulator;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code members}: plays the cloud and sends the gateway a member cache the simulated cameras partly know. */
@Command(
        name = "members",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description = {
            "Publish a 'members' command on retail/{store}/commands/members at the cloud broker (QoS 1).",
            "",
            "Members m-1..m-N get the face, QR and card references the simulated cameras use for members"
                    + " 1..N (cameras pick members 1..200, so with the default N=100 about half of their"
                    + " recognitions are of known members and half unknown). Tiers cycle L1..L4; every tenth"
                    + " member has no consent (recognised by nobody, forwarded nowhere)."
        })
final class MembersCommand implements Callable<Integer> {
    @Option(names = "--store", defaultValue = "s001", description = "Store id (default: ${DEFAULT-VALUE}).")
    String storeId;

    @Option(
            names = "--url",
            defaultValue = "tcp://127.0.0.1:1884",
            description = "Cloud broker, tcp:// or ssl:// (default: ${DEFAULT-VALUE}).")
    String url;

    @Mixin
    CloudOptions cloud;

    @Option(names = "--members", defaultValue = "100", description = "Members to send (default: ${DEFAULT-VALUE}).")
    int count;

    @Override
    public Integer call() throws Exception {
        if (count < 1 || count > 100_000) {
            System.err.println("--members must be 1..100000");
            return 2;
        }
        List<Map<String, Object>> members = new ArrayList<>();
        for (int n = 1; n <= count; n++) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("memberId", "m-" + n);
            m.put("tier", "L" + (1 + (n - 1) % 4));
            m.put("consent", n % 10 != 0);
            m.put("greeting", "Member " + n);
            List<Map<String, String>> refs = new ArrayList<>();
            for (String method : new String[] {"face", "qr", "card"}) {
                refs.add(Map.of("method", method, "ref", CameraSimulator.reference(method, n)));
            }
            m.put("refs", refs);
            members.add(m);
        }
        Map<String, Object> command = new LinkedHashMap<>();
        command.put("commandId", "sim-members-" + System.currentTimeMillis());
        command.put("members", members);
        MqttClient client = new MqttClient(url, "sim-members-" + System.nanoTime(), new MemoryPersistence());
        try {
            client.connect(cloud.endpoint(url).connectOptions(10));
            MqttMessage message = new MqttMessage(new ObjectMapper().writeValueAsBytes(command));
            message.setQos(1);
            client.publish("retail/" + storeId + "/commands/members", message);
            client.disconnect();
        } finally {
            client.close();
        }
        System.out.printf(
                "sent %d members (%d without consent) as command %s%n", count, count / 10, command.get("commandId"));
        return 0;
    }
}
