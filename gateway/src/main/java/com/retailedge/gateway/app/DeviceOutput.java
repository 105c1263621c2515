package com.retailedge.gateway.app;

import com.retailedge.gateway.device.mqtt.PublishWindow;
import com.retailedge.gateway.ingest.DeviceIngest;
import com.retailedge.gateway.spi.DevicePublisher;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
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
        PublishWindow c = output.get();
        if (c == null) {
            unsent.incrementAndGet();
            return;
        }
        c.publish(topic, json);
    }

    @Override
    public void publishToEach(List<String> deviceIds, UnaryOperator<String> topicOf, String json) {
        PublishWindow c = output.get();
        if (c == null) {
            unsent.addAndGet(deviceIds.size());
            return;
        }
        c.publishToEach(deviceIds, topicOf, json);
    }

    @Override
    public void publishAll(String topic, List<String> jsons) {
        PublishWindow c = output.get();
        if (c == null) {
            unsent.addAndGet(jsons.size());
            return;
        }
        c.publishAll(topic, jsons);
    }

    @Override
    public void reply(String pdaId, String json) {
        PublishWindow c = output.get();
        if (c == null) {
            unsent.incrementAndGet();
            return;
        }
        c.reply(pdaId, json);
    }

    /** Messages for devices published before the MQTT client was connected, so not sent. */
    long unsent() {
        return unsent.get();
    }

    /** Messages for devices the client's queue refused (full) or its client would not take. */
    long dropped() {
        PublishWindow c = output.get();
        return c == null ? 0 : c.dropped();
    }

    /** Messages for devices waiting for the client's in-flight window. */
    int waiting() {
        PublishWindow c = output.get();
        return c == null ? 0 : c.waiting();
    }
}
