package com.retailedge.gateway.device.coap;

import com.retailedge.gateway.ingest.DeviceIngest;
import com.retailedge.gateway.reliability.CoapLoadShedding;
import com.retailedge.gateway.store.DeviceRegistry;
import java.net.InetSocketAddress;
import org.eclipse.californium.core.CoapResource;
import org.eclipse.californium.core.CoapServer;
import org.eclipse.californium.core.config.CoapConfig;
import org.eclipse.californium.core.network.CoapEndpoint;
import org.eclipse.californium.core.server.resources.CoapExchange;
import org.eclipse.californium.core.server.resources.Resource;
import org.eclipse.californium.elements.config.Configuration;
import org.eclipse.californium.elements.config.UdpConfig;

/**
 * The devices' CoAP server (CONTRACT §2): {@code POST /button/{id}/press} and {@code POST /esl/{id}/status},
 * answered {@code 2.04} only once the message is durable, {@code 4.xx} with the reason as text otherwise.
 * Californium serves {@code /.well-known/core} from the same resource tree.
 */
public final class CoapDeviceServer implements AutoCloseable {
    /** Bodies up to this size reach the gateway (block-wise), so oversize payloads become dead letters. */
    static final int MAX_BODY = 128 * 1024;

    private final CoapServer server;
    private final CoapEndpoint endpoint;
    private final CoapLoadShedding shedding = new CoapLoadShedding();

    public CoapDeviceServer(String bind, int port, DeviceIngest ingest, DeviceRegistry registry) {
        CoapConfig.register();
        UdpConfig.register();
        Configuration config = Configuration.createStandardWithoutFile();
        config.set(CoapConfig.MAX_RESOURCE_BODY_SIZE, MAX_BODY);
        CoapLoadShedding.configure(config);
        this.endpoint = new CoapEndpoint.Builder()
                .setConfiguration(config)
                .setConnector(shedding.connector(new InetSocketAddress(bind, port), config))
                .build();
        this.server = new CoapServer(config) {
            @Override
            protected Resource createRoot() {
                return new StoreRoot(ingest);
            }
        };
        shedding.applyTo(server);
        server.addEndpoint(endpoint);
        server.add(new KindResource("button", ingest, registry), new KindResource("esl", ingest, registry));
    }

    /** The root: the contract's resources, and a dead-lettering 4.04 for every other path. */
    private static final class StoreRoot extends CoapResource {
        private final DeviceIngest ingest;

        StoreRoot(DeviceIngest ingest) {
            super("");
            this.ingest = ingest;
        }

        @Override
        public Resource getChild(String name) {
            Resource child = super.getChild(name);
            return child != null ? child : new UnknownPathResource(this, name, ingest);
        }

        @Override
        public void handleGET(CoapExchange exchange) {
            exchange.respond("retail edge gateway; see /.well-known/core");
        }
    }

    /** Starts listening; returns the UDP port bound (useful when 0 was asked for). */
    public int start() {
        server.start();
        return endpoint.getAddress().getPort();
    }

    /** Datagrams dropped unread because too many requests were waiting (see {@link CoapLoadShedding}). */
    public long datagramsShed() {
        return shedding.dropped();
    }

    @Override
    public void close() {
        server.destroy();
        shedding.close();
    }
}
