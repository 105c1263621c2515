package com.retailedge.sim.cli;

import com.retailedge.sim.device.DeviceSimulator;
import com.retailedge.sim.device.Draft;
import com.retailedge.sim.device.Fleet;
import com.retailedge.sim.device.MessageFactory;
import com.retailedge.sim.device.SimMessage;
import com.retailedge.sim.stats.Counters;
import com.retailedge.sim.transport.CoapPoster;
import com.retailedge.sim.transport.MqttPool;
import com.retailedge.sim.transport.Outcome;
import java.util.Random;

/**
 * Produces the next device message and hands it to MQTT or CoAP, counting what becomes of it.
 * {@link #sendNext()} and {@link #sendStartup()} run on one thread at a time (the pacer's, or the
 * main thread before the pacer starts); outcomes arrive on transport threads.
 */
final class TrafficDriver {
    /** Hooks for what a command does beyond counting. */
    interface Listener {
        /** Just before the message goes to a transport. */
        default void beforeSend(SimMessage m) {}

        /** Once per message, on a transport thread or the sending thread. */
        default void outcome(SimMessage m, Outcome o) {}
    }

    private final Fleet fleet;
    private final MessageFactory factory;
    private final Random rnd;
    private final String storeId;
    private final MqttPool mqtt;
    private final CoapPoster coap;
    private final double coapShare;
    private final double badShare;
    private final Counters counters;
    private final Listener listener;
    private double bounceShare;

    TrafficDriver(
            Fleet fleet,
            MessageFactory factory,
            Random rnd,
            String storeId,
            MqttPool mqtt,
            CoapPoster coap,
            double coapShare,
            double badShare,
            Counters counters,
            Listener listener) {
        this.fleet = fleet;
        this.factory = factory;
        this.rnd = rnd;
        this.storeId = storeId;
        this.mqtt = mqtt;
        this.coap = coap;
        this.coapShare = coap == null ? 0 : coapShare;
        this.badShare = badShare;
        this.counters = counters;
        this.listener = listener;
    }

    /**
     * Makes this fraction of valid button presses bounce: the same press (same gesture and {@code at}) sent
     * again at once with a new msgId, as a chattering contact does. The gateway acknowledges and debounces the
     * copy, so it is counted as sent and acknowledged but not reported to the listener as a message that
     * should reach the cloud.
     */
    TrafficDriver bouncing(double share) {
        this.bounceShare = share;
        return this;
    }

    /** Sends what every device says when it powers up (PDAs report {@code idle}) over MQTT. */
    void sendStartup() {
        for (DeviceSimulator d : fleet.all()) {
            for (Draft draft : d.startup()) {
                send(factory.valid(d, draft, System.currentTimeMillis()), false);
            }
        }
    }

    /** Sends what every device says when the run ends (PDAs report {@code off}) over MQTT. */
    void sendShutdown() {
        for (DeviceSimulator d : fleet.all()) {
            for (Draft draft : d.shutdown()) {
                send(factory.valid(d, draft, System.currentTimeMillis()), false);
            }
        }
    }

    /** Sends one message from a device chosen by the traffic mix. */
    void sendNext() {
        DeviceSimulator device = fleet.pick(rnd);
        Draft draft = device.next(rnd);
        long now = System.currentTimeMillis();
        SimMessage m = badShare > 0 && rnd.nextDouble() < badShare
                ? factory.bad(device, draft, MessageFactory.pickBadKind(draft, rnd), now)
                : factory.valid(device, draft, now);
        boolean viaCoap = m.coapCapable() && coapShare > 0 && rnd.nextDouble() < coapShare;
        send(m, viaCoap);
        if (bounceShare > 0 && m.valid() && "press".equals(draft.channel()) && rnd.nextDouble() < bounceShare) {
            SimMessage bounce = factory.valid(device, draft, now);
            counters.sent(true);
            if (viaCoap) {
                coap.post(bounce.coapPath(), bounce.payload(), this::countOnly);
            } else {
                mqtt.publish(bounce.deviceId(), bounce.topic(storeId), bounce.payload(), this::countOnly);
            }
        }
    }

    private void countOnly(Outcome o) {
        switch (o) {
            case ACKED -> counters.acked();
            case REJECTED -> counters.rejected();
            case FAILED -> counters.failed();
        }
    }

    private void send(SimMessage m, boolean viaCoap) {
        counters.sent(m.valid());
        listener.beforeSend(m);
        if (viaCoap) {
            coap.post(m.coapPath(), m.payload(), o -> done(m, o));
        } else {
            mqtt.publish(m.deviceId(), m.topic(storeId), m.payload(), o -> done(m, o));
        }
    }

    private void done(SimMessage m, Outcome o) {
        switch (o) {
            case ACKED -> counters.acked();
            case REJECTED -> counters.rejected();
            case FAILED -> counters.failed();
        }
        listener.outcome(m, o);
    }
}
