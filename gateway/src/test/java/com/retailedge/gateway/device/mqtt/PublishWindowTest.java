package com.retailedge.gateway.device.mqtt;

import com.retailedge.gateway.testsupport.Mosquitto;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.paho.client.mqttv3.IMqttDeliveryToken;
import org.eclipse.paho.client.mqttv3.MqttCallback;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What the gateway publishes to devices, through both brokers it runs with: the embedded Moquette (in-process)
 * and an external Mosquitto (its Paho client), with Paho subscribers standing in for the PDAs. A burst a store
 * really makes (a thousand staff calls to fifty PDAs) arrives whole and in each topic's order, replies overtake
 * the queue, and what the queue cannot hold is refused and counted instead of lost unseen.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
@Tag("slow")
class PublishWindowTest {
    private static final String STORE = "s001";
    private static final int PDAS = 50;
    private static final int NOTICES = 1000;

    @TempDir
    Path dir;

    private final List<AutoCloseable> open = new ArrayList<>();
    /** Notices heard by all subscribers together, so a reply can tell how many came before it. */
    private final AtomicInteger noticesHeard = new AtomicInteger();

    @AfterEach
    void stop() throws Exception {
        for (int i = open.size() - 1; i >= 0; i--) {
            open.get(i).close(); // the brokers, opened first, last
        }
    }

    @Test
    void through_the_embedded_broker_a_thousand_notices_to_fifty_pdas_all_arrive_in_order() throws Exception {
        EmbeddedBroker broker = new EmbeddedBroker();
        broker.start(dir);
        open.add(broker);
        InternalBroker login = broker.login();
        List<Heard> notices = subscribeFleet(login.url(), login);
        Heard replies = subscribe(login.url(), login, "store/" + STORE + "/pda/+/reply");

        burstThenReply(broker.output(STORE), notices, replies);
    }

    @Test
    void through_an_external_mosquitto_a_thousand_notices_to_fifty_pdas_all_arrive_in_order() throws Exception {
        Mosquitto mosquitto = Mosquitto.start(dir);
        open.add(mosquitto);
        List<Heard> notices = subscribeFleet(mosquitto.url(), null);
        Heard replies = subscribe(mosquitto.url(), null, "store/" + STORE + "/pda/+/reply");
        DeviceMqttClient client = externalClient(mosquitto);
        client.start();

        burstThenReply(client.output(), notices, replies);
    }

    @Test
    void what_is_given_before_the_connection_is_held_and_sent_once_connected_and_beyond_the_bound_refused()
            throws Exception {
        Mosquitto mosquitto = Mosquitto.start(dir);
        open.add(mosquitto);
        Heard heard1 = subscribe(mosquitto.url(), null, "store/" + STORE + "/pda/pda-1/notify");
        Heard heard2 = subscribe(mosquitto.url(), null, "store/" + STORE + "/pda/pda-2/notify");
        DeviceMqttClient client = externalClient(mosquitto);
        PublishWindow output = client.output();
        List<String> two = List.of("pda-1", "pda-2");
        int fits = PublishWindow.CAPACITY / two.size();
        for (int n = 0; n < fits; n++) {
            output.publishToEach(two, PublishWindowTest::notifyTopic, "{\"n\":" + n + "}");
        }
        assertEquals(PublishWindow.CAPACITY, output.waiting());
        output.publish(notifyTopic("pda-1"), "{\"n\":-1}");
        output.publishAll(notifyTopic("pda-2"), List.of("{\"n\":-2}", "{\"n\":-3}"));
        assertEquals(3, output.dropped(), "refused whole, and counted");

        client.start();

        for (Heard heard : List.of(heard1, heard2)) {
            assertTrue(heard.awaitCount(fits, 60_000), "heard " + heard.count() + " of " + fits);
            assertEquals(0, heard.outOfOrder.get());
        }
        assertEquals(0, output.waiting());
        Thread.sleep(300);
        assertEquals(PublishWindow.CAPACITY, noticesHeard.get(), "nothing refused was sent after all");
        assertFalse(heard1.negative.get() || heard2.negative.get());
    }

    /**
     * A thousand notices to each of fifty PDAs, then a reply to one: all 50,000 arrive, each PDA's in order, and
     * the reply before half of them.
     */
    private void burstThenReply(PublishWindow output, List<Heard> notices, Heard replies) throws Exception {
        List<String> pdas = fleet();
        for (int n = 0; n < NOTICES; n++) {
            output.publishToEach(pdas, PublishWindowTest::notifyTopic, "{\"n\":" + n + "}");
        }
        output.reply("pda-7", "{\"n\":0,\"reply\":true}");

        int all = NOTICES * PDAS;
        for (Heard heard : notices) {
            assertTrue(heard.awaitCount(all / notices.size(), 60_000), "notices heard: " + noticesHeard.get());
            assertEquals(0, heard.outOfOrder.get(), "a PDA heard its notices out of order");
        }
        assertEquals(1, replies.count());
        assertTrue(
                replies.noticesHeardBeforeFirst.get() < all / 2,
                "the reply waited behind " + replies.noticesHeardBeforeFirst.get() + " notices");
        assertEquals(0, output.dropped());
        assertEquals(0, output.waiting());
    }

    /** No device publishes in these tests: the client's ingest path is never called. */
    private DeviceMqttClient externalClient(Mosquitto mosquitto) throws Exception {
        DeviceMqttClient client = DeviceMqttClient.ingester(STORE, mosquitto.url(), null);
        open.add(client);
        return client;
    }

    private static List<String> fleet() {
        List<String> pdas = new ArrayList<>();
        for (int p = 1; p <= PDAS; p++) {
            pdas.add("pda-" + p);
        }
        return pdas;
    }

    private static String notifyTopic(String pda) {
        return "store/" + STORE + "/pda/" + pda + "/notify";
    }

    /** Ten subscribers of five PDAs each: a broker sends one session only a few messages at a time. */
    private List<Heard> subscribeFleet(String url, InternalBroker login) throws Exception {
        List<String> pdas = fleet();
        List<Heard> heard = new ArrayList<>();
        for (int s = 0; s < PDAS; s += 5) {
            heard.add(subscribe(
                    url,
                    login,
                    pdas.subList(s, s + 5).stream()
                            .map(PublishWindowTest::notifyTopic)
                            .toArray(String[]::new)));
        }
        return heard;
    }

    private Heard subscribe(String url, InternalBroker login, String... filters) throws Exception {
        MqttClient client = new MqttClient(url, "test-" + open.size(), new MemoryPersistence());
        MqttConnectOptions options = new MqttConnectOptions();
        if (login != null) {
            options.setUserName(login.user());
            options.setPassword(login.password().toCharArray());
        }
        options.setMaxInflight(1000);
        Heard heard = new Heard(noticesHeard);
        client.setCallback(heard);
        client.connect(options);
        int[] qos = new int[filters.length];
        Arrays.fill(qos, 1);
        client.subscribe(filters, qos);
        open.add(() -> {
            client.disconnect();
            client.close();
        });
        return heard;
    }

    /** Counts what arrives and checks each topic's messages come in the order of their {@code n}. */
    private static final class Heard implements MqttCallback {
        private final AtomicInteger noticesHeard;
        private final AtomicInteger count = new AtomicInteger();
        private final AtomicInteger outOfOrder = new AtomicInteger();
        private final AtomicInteger noticesHeardBeforeFirst = new AtomicInteger(-1);
        private final AtomicBoolean negative = new AtomicBoolean();
        private final Map<String, Integer> lastOf = new ConcurrentHashMap<>();

        Heard(AtomicInteger noticesHeard) {
            this.noticesHeard = noticesHeard;
        }

        @Override
        public void messageArrived(String topic, MqttMessage message) {
            String json = new String(message.getPayload(), StandardCharsets.UTF_8);
            int n = Integer.parseInt(json.replaceAll("^\\{\"n\":(-?\\d+).*$", "$1"));
            if (n < 0) {
                negative.set(true);
            }
            Integer last = lastOf.put(topic, n);
            if (last != null && last >= n) {
                outOfOrder.incrementAndGet();
            }
            if (topic.endsWith("/notify")) {
                noticesHeard.incrementAndGet();
            } else {
                noticesHeardBeforeFirst.compareAndSet(-1, noticesHeard.get());
            }
            synchronized (this) {
                count.incrementAndGet();
                notifyAll();
            }
        }

        int count() {
            return count.get();
        }

        synchronized boolean awaitCount(int expected, long timeoutMs) throws InterruptedException {
            long end = System.currentTimeMillis() + timeoutMs;
            while (count.get() < expected && System.currentTimeMillis() < end) {
                wait(200);
            }
            return count.get() >= expected;
        }

        @Override
        public void connectionLost(Throwable cause) {}

        @Override
        public void deliveryComplete(IMqttDeliveryToken token) {}
    }
}
