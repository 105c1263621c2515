package com.retailedge.gateway.app;

import com.retailedge.gateway.device.mqtt.PublishWindow;
import com.retailedge.gateway.ingest.DeviceIngest;
import com.retailedge.gateway.spi.DevicePublisher;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;

/**
 * The port to the devices that the ingest path (PDA replies) and the capabilities (tasks, notices) publish
 * through. What is behind it (the embedded broker's in-process {@link PublishWindow}, or the external broker's
 * client's) starts after the ingest path, because with an external broker its client is also what feeds the
 * ingest path: this is the gateway's one late binding, made once, before any device can send. Until then
 * nothing is published (no device listens on a broker that is not up); what was not is counted.
 */
final class DeviceOutput implements DevicePublisher, DeviceIngest.PdaReplies {
    private final AtomicReference<PublishWindow> output = new AtomicReference<>();
    private final AtomicLong unsent = new AtomicLong();

    void connect(PublishWindow started) {
        if (!output.compareAndSet(null, started)) {
            throw new IllegalStateException("the device output is already connected");
        }
    }

    @Override
    public void publish(String topic, String json) {
        toOutput(1, o -> o.publish(topic, json));
    }

    @Override
    public void publishToEach(List<String> deviceIds, UnaryOperator<String> topicOf, String json) {
        toOutput(deviceIds.size(), o -> o.publishToEach(deviceIds, topicOf, json));
    }

    @Override
    public void publishAll(String topic, List<String> jsons) {
        toOutput(jsons.size(), o -> o.publishAll(topic, jsons));
    }

    @Override
    public void reply(String pdaId, String json) {
        toOutput(1, o -> o.reply(pdaId, json));
    }

    /** Hands the messages to the output once it is bound; before that counts them as unsent. */
    private void toOutput(int messages, Consumer<PublishWindow> send) {
        PublishWindow o = output.get();
        if (o == null) {
            unsent.addAndGet(messages);
        } else {
            send.accept(o);
        }
    }

    /** Messages for devices published before the MQTT client was connected, so not sent. */
    long unsent() {
        return unsent.get();
    }

    /** Messages for devices the output's queue refused (full), or the broker or client would not take. */
    long dropped() {
        PublishWindow c = output.get();
        return c == null ? 0 : c.dropped();
    }

    /** Messages for devices waiting for the output's in-flight window. */
    int waiting() {
        PublishWindow c = output.get();
        return c == null ? 0 : c.waiting();
    }
}
