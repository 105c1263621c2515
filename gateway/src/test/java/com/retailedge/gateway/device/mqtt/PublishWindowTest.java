package com.retailedge.gateway.device.mqtt;

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
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The gateway's publisher against a real embedded Moquette, with a Paho subscriber standing in for the PDAs:
 * bursts a store really makes (a thousand staff calls to fifty PDAs) arrive whole and in each topic's order,
 * replies overtake the queue, and what cannot be held is refused and counted instead of lost unseen.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
@Tag("slow")
class PublishWindowTest {
    private static final String STORE = "s001";
    private static final int PDAS = 50;

    @TempDir
    Path dir;

    private final EmbeddedBroker broker = new EmbeddedBroker();
    private final List<AutoCloseable> open = new ArrayList<>();
    /** Notices heard by all subscribers together, so a reply can tell how many came before it. */
    private final AtomicInteger noticesHeard = new AtomicInteger();

    @BeforeEach
    void startBroker() throws Exception {
        broker.start(dir);
    }

    @AfterEach
    void stop() throws Exception {
        for (AutoCloseable c : open) {
            c.close();
        }
        broker.close();
    }

    @Test
    void a_thousand_notices_to_fifty_pdas_all_arrive_in_order_and_a_reply_goes_ahead_of_them() throws Exception {
        // Ten subscribers of five PDAs each: Moquette sends one session ten messages at a time.
        List<Heard> notices = new ArrayList<>();
        List<String> pdas = new ArrayList<>();
        for (int p = 1; p <= PDAS; p++) {
            pdas.add("pda-" + p);
        }
        for (int s = 0; s < PDAS; s += 5) {
            notices.add(subscribe(pdas.subList(s, s + 5).stream()
                    .map(pda -> "store/" + STORE + "/pda/" + pda + "/notify")
                    .toArray(String[]::new)));
        }
        Heard replies = subscribe("store/" + STORE + "/pda/+/reply");
        DeviceMqttClient publisher = publisher();
        publisher.start();

        int noticesEach = 1000;
        for (int n = 0; n < noticesEach; n++) {
            publisher.publishToEach(pdas, pda -> "store/" + STORE + "/pda/" + pda + "/notify", "{\"n\":" + n + "}");
        }
        publisher.reply("pda-7", "{\"n\":0,\"reply\":true}");

        int all = noticesEach * PDAS;
        for (Heard heard : notices) {
            assertTrue(heard.awaitCount(all / notices.size(), 60_000), "notices heard: " + noticesHeard.get());
            assertEquals(0, heard.outOfOrder.get(), "a PDA heard its notices out of order");
        }
        assertEquals(1, replies.count());
        assertTrue(
                replies.noticesHeardBeforeFirst.get() < all / 2,
                "the reply waited behind " + replies.noticesHeardBeforeFirst.get() + " notices");
        assertEquals(0, publisher.publishesDropped());
        assertEquals(0, publisher.publishesWaiting());
    }

    @Test
    void what_is_given_before_the_connection_is_held_and_sent_once_connected_and_beyond_the_bound_refused()
            throws Exception {
        Heard heard1 = subscribe("store/" + STORE + "/pda/pda-1/notify");
        Heard heard2 = subscribe("store/" + STORE + "/pda/pda-2/notify");
        DeviceMqttClient publisher = publisher();
        List<String> two = List.of("pda-1", "pda-2");
        int fits = DeviceMqttClient.PUBLISH_QUEUE / two.size();
        for (int n = 0; n < fits; n++) {
            publisher.publishToEach(two, pda -> "store/" + STORE + "/pda/" + pda + "/notify", "{\"n\":" + n + "}");
        }
        assertEquals(DeviceMqttClient.PUBLISH_QUEUE, publisher.publishesWaiting());
        publisher.publish("store/" + STORE + "/pda/pda-1/notify", "{\"n\":-1}");
        publisher.publishAll("store/" + STORE + "/pda/pda-2/notify", List.of("{\"n\":-2}", "{\"n\":-3}"));
        assertEquals(3, publisher.publishesDropped(), "refused whole, and counted");

        publisher.start();

        for (Heard heard : List.of(heard1, heard2)) {
            assertTrue(heard.awaitCount(fits, 60_000), "heard " + heard.count() + " of " + fits);
            assertEquals(0, heard.outOfOrder.get());
        }
        assertEquals(0, publisher.publishesWaiting());
        Thread.sleep(300);
        assertEquals(DeviceMqttClient.PUBLISH_QUEUE, noticesHeard.get(), "nothing refused was sent after all");
        assertFalse(heard1.negative.get() || heard2.negative.get());
    }

    private DeviceMqttClient publisher() throws Exception {
        DeviceMqttClient publisher = DeviceMqttClient.publisher(STORE, broker.login());
        open.add(0, publisher);
        return publisher;
    }

    private Heard subscribe(String... filters) throws Exception {
        InternalBroker login = broker.login();
        MqttClient client = new MqttClient(login.url(), "test-" + open.size(), new MemoryPersistence());
        MqttConnectOptions options = new MqttConnectOptions();
        options.setUserName(login.user());
        options.setPassword(login.password().toCharArray());
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
