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

    /** A press of a dash-style button. */
    record Press(String deviceId, String msgId, String press) implements DeviceMessage {
        public Channel channel() {
            return Channel.PRESS;
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
}
