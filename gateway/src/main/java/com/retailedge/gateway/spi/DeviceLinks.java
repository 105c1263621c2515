package com.retailedge.gateway.spi;

import com.retailedge.gateway.domain.DeviceAddress;

/**
 * What a device transport that holds connections (the embedded broker's gate) tells the gateway about them:
 * which device spoke on which connection (the gate reports PDAs), and when a connection closed. {@code link} is
 * the transport's own handle of one connection, compared by identity. Called on the transport's threads;
 * implementations must not block.
 */
public interface DeviceLinks {
    /** Tells nobody. */
    DeviceLinks NONE = new DeviceLinks() {
        @Override
        public void heard(Object link, DeviceAddress address) {}

        @Override
        public void closed(Object link) {}
    };

    /** A device message from {@code address} arrived on {@code link}. */
    void heard(Object link, DeviceAddress address);

    /** {@code link} closed, however it ended (DISCONNECT, a dropped socket, a keep-alive timeout). */
    void closed(Object link);
}
