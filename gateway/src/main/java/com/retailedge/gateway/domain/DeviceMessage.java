package com.retailedge.gateway.domain;

/** A validated message from a device; every one carries the device's {@code msgId}. */
public sealed interface DeviceMessage {
    String deviceId();

    String msgId();

    Channel channel();

    /** A PDA scan of one item for an order. */
    record Scan(String deviceId, String msgId, String orderId, String barcode, int qty) implements DeviceMessage {
        public Channel channel() {
            return Channel.SCAN;
        }
    }

    /** A picker gives up on the rest of an order line, with a reason such as {@code out-of-stock}. */
    record Short(String deviceId, String msgId, String orderId, String sku, String reason) implements DeviceMessage {
        public Channel channel() {
            return Channel.SHORT;
        }
    }

    /** A picker picks another item in place of an order line's SKU (where the order allows it). */
    record Substitute(String deviceId, String msgId, String orderId, String sku, String barcode, int qty)
            implements DeviceMessage {
        public Channel channel() {
            return Channel.SUBSTITUTE;
        }
    }

    /** A PDA telling whether it is ready for a pick list. */
    record PdaStatus(String deviceId, String msgId, String state) implements DeviceMessage {
        public Channel channel() {
            return Channel.PDA_STATUS;
        }
    }

    /**
     * A press of a dash-style button; {@code at} (when the button pressed, for presses it kept while offline)
     * and {@code battery} (percent) are optional and null when absent.
     */
    record Press(String deviceId, String msgId, String press, java.time.Instant at, Integer battery)
            implements DeviceMessage {
        public Press(String deviceId, String msgId, String press) {
            this(deviceId, msgId, press, null, null);
        }

        public Channel channel() {
            return Channel.PRESS;
        }
    }

    /** A PDA acknowledging a staff notice, which closes it for every PDA. */
    record PdaAck(String deviceId, String msgId, String noticeId) implements DeviceMessage {
        public Channel channel() {
            return Channel.PDA_ACK;
        }
    }

    /** A camera or reader that thinks it saw a member; {@code memberRef} never leaves the store. */
    record Recognition(String deviceId, String msgId, String method, String memberRef, double confidence)
            implements DeviceMessage {
        public Channel channel() {
            return Channel.RECOGNITION;
        }

        @Override
        public String toString() {
            return "Recognition[" + deviceId + "/" + msgId + ", method=" + method + "]";
        }
    }

    /** A label reporting the content version it shows, and its battery. */
    record LabelStatus(String deviceId, String msgId, long version, int battery) implements DeviceMessage {
        public Channel channel() {
            return Channel.LABEL_STATUS;
        }
    }

    /**
     * A sale at a checkout lane; {@code at} is when it happened (null: on arrival), so a lane that was offline
     * sends its sales later with their own times.
     */
    record Sale(String deviceId, String msgId, java.util.List<SaleLine> lines, java.time.Instant at)
            implements DeviceMessage {
        public Sale {
            lines = java.util.List.copyOf(lines);
        }

        public Channel channel() {
            return Channel.SALE;
        }
    }

    /** One line of a sale: either the barcode scanned at the till or the SKU (the other is null), and units. */
    record SaleLine(String barcode, String sku, int qty) {}
}
