package com.retailedge.gateway.device.mqtt;

import com.retailedge.gateway.domain.RejectReason;
import com.retailedge.gateway.domain.Rejection;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.netty.handler.codec.TooLongFrameException;
import java.net.SocketAddress;
import java.nio.charset.StandardCharsets;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * MQTT packets the decoder could not take: over {@link EmbeddedBroker#MAX_MESSAGE_BYTES} or malformed (a publish
 * topic with a wildcard, a bad length). The connection cannot go on (the decoder skips the rest of its bytes), so
 * it is closed; before that the packet is counted, logged once and kept as a dead letter with its reason.
 */
final class BadPackets {
    private static final Logger LOG = LoggerFactory.getLogger(BadPackets.class);

    private final Counter oversize;
    private final Counter malformed;

    BadPackets(MeterRegistry metrics) {
        oversize = counter(metrics, "oversize");
        malformed = counter(metrics, "malformed");
    }

    private static Counter counter(MeterRegistry metrics, String reason) {
        return Counter.builder("gateway_mqtt_bad_packets")
                .tag("reason", reason)
                .description("device MQTT packets that could not be decoded; each closes its connection")
                .register(metrics);
    }

    /** Counts, logs and dead-letters the undecodable packet of one connection (called once per connection). */
    void record(Throwable cause, SocketAddress remote, String deviceId, GateRouting routing) {
        boolean tooLarge = cause instanceof TooLongFrameException;
        (tooLarge ? oversize : malformed).increment();
        String what = tooLarge
                ? "an MQTT packet over " + EmbeddedBroker.MAX_MESSAGE_BYTES + " bytes"
                : "a malformed MQTT packet (" + cause.getMessage() + ")";
        LOG.info("closing device connection {}{}: {}", remote, deviceId == null ? "" : " of '" + deviceId + "'", what);
        String address = deviceId == null ? "mqtt:" + remote : "mqtt:" + deviceId;
        routing.rejectUndecodable(
                address,
                new Rejection(tooLarge ? RejectReason.TOO_LARGE : RejectReason.BAD_FIELD, what),
                String.valueOf(cause.getMessage()).getBytes(StandardCharsets.UTF_8));
    }
}
