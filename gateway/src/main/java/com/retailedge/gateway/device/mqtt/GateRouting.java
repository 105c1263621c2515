package com.retailedge.gateway.device.mqtt;

import com.retailedge.gateway.domain.DeviceAddress;
import com.retailedge.gateway.domain.RejectReason;
import com.retailedge.gateway.domain.Rejection;
import com.retailedge.gateway.domain.Transport;
import com.retailedge.gateway.ingest.DeviceIngest;
import com.retailedge.gateway.ingest.IngestResult;
import com.retailedge.gateway.security.DeviceAccess;
import com.retailedge.gateway.spi.DeviceLinks;
import java.util.concurrent.CompletableFuture;

/**
 * Decides what a device PUBLISH means for the gateway: a device message to ingest, input on an unknown
 * store topic to keep as a dead letter, or traffic the gateway does not own, relayed as it is.
 */
public final class GateRouting {
    private static final CompletableFuture<IngestResult> PASS = CompletableFuture.completedFuture(null);

    private final String storePrefix;
    private final String storeId;
    private final String cameraPrefix;
    private final String pdaPrefix;
    private final DeviceIngest ingest;
    /** Who hears which device spoke on which connection, and when connections close (PDA presence). */
    private final DeviceLinks links;

    public GateRouting(String storeId, DeviceIngest ingest, DeviceLinks links) {
        this.storeId = storeId;
        this.storePrefix = "store/" + storeId + "/";
        this.cameraPrefix = storePrefix + "camera/";
        this.pdaPrefix = storePrefix + "pda/";
        this.ingest = ingest;
        this.links = links;
    }

    /**
     * A publish the device was allowed to make arrived on {@code link}. Only PDAs are reported: theirs is the
     * only connection that matters (a PDA whose connection closes is gone), and this runs for every publish.
     * Event loop thread.
     */
    void heard(Object link, String topic) {
        if (links != DeviceLinks.NONE && topic.startsWith(pdaPrefix)) {
            DeviceAddress.fromTopic(storeId, topic).ifPresent(address -> links.heard(link, address));
        }
    }

    /** A device connection closed. Event loop thread. */
    void closed(Object link) {
        links.closed(link);
    }

    /**
     * True when the gateway takes publishes on this topic itself (and so answers their PUBACK): every topic of the
     * store. A device publishing on the gateway's own output topics (reply, task, notify) is kept as a dead letter:
     * a fake member notice must not reach a PDA.
     */
    public boolean isOwned(String topic) {
        return topic.startsWith(storePrefix);
    }

    /** Completes when the publish may go on to the broker; exceptionally when it must not be acknowledged. */
    public CompletableFuture<IngestResult> route(String topic, byte[] payload) {
        if (!topic.startsWith(storePrefix)) {
            return PASS;
        }
        return DeviceAddress.fromTopic(storeId, topic)
                .map(address -> ingest.submit(Transport.MQTT, topic, address, payload))
                .orElseGet(() -> ingest.rejectUnaddressed(
                        Transport.MQTT,
                        topic,
                        new Rejection(
                                RejectReason.UNKNOWN_TOPIC,
                                isGatewayOutput(topic)
                                        ? "topic '" + topic + "' is the gateway's output; devices only subscribe "
                                                + "to it"
                                        : "topic '" + topic + "' is not a device topic of this store"),
                        payload));
    }

    /**
     * Whether the in-store broker's subscribers may see a publish the gateway routed: on the store's topics only what
     * the gateway accepted ({@code result} ACCEPTED), so rejected, repeated and dead-lettered input (a raw member
     * reference on a near-miss topic among it) goes nowhere, and nothing under {@code camera/} ever: a recognition's
     * raw member reference must reach no other subscriber and no broker persistence (retained messages, queued
     * sessions under {@code data/broker}). Topics outside the store pass as they are (only with {@code mqtt.auth} off;
     * the ACL refuses them otherwise).
     */
    public boolean isRelayed(String topic, IngestResult result) {
        if (!topic.startsWith(storePrefix)) {
            return true;
        }
        if (topic.startsWith(cameraPrefix)) {
            return false;
        }
        return result != null && result.outcome() == IngestResult.Outcome.ACCEPTED;
    }

    /** Keeps a packet the decoder refused as a dead letter; its connection is closed, so nothing waits for this. */
    void rejectUndecodable(String address, Rejection rejection, byte[] detail) {
        ingest.rejectUnaddressed(Transport.MQTT, address, rejection, detail);
    }

    /** Reply, task and notify topics are the gateway's own output; devices only subscribe to them. */
    private boolean isGatewayOutput(String topic) {
        return DeviceAccess.GATEWAY_OUTPUT.contains(topic.substring(topic.lastIndexOf('/') + 1));
    }
}
