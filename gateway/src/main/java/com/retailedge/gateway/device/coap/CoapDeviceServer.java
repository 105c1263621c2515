package com.retailedge.gateway.device.coap;

import com.retailedge.gateway.config.GatewayConfig;
import com.retailedge.gateway.ingest.DeviceIngest;
import com.retailedge.gateway.security.DeviceAccess;
import com.retailedge.gateway.security.DtlsEndpoints;
import com.retailedge.gateway.security.PskKeys;
import com.retailedge.gateway.store.DeviceRegistry;
import java.net.InetSocketAddress;
import org.eclipse.californium.core.CoapResource;
import org.eclipse.californium.core.CoapServer;
import org.eclipse.californium.core.config.CoapConfig;
import org.eclipse.californium.core.network.CoapEndpoint;
import org.eclipse.californium.core.server.resources.CoapExchange;
import org.eclipse.californium.core.server.resources.Resource;
import org.eclipse.californium.elements.config.Configuration;

/**
 * The devices' CoAP server (CONTRACT §2): {@code POST /button/{id}/press} and {@code POST /esl/{id}/status},
 * answered {@code 2.04} only once the message is durable, {@code 4.xx} with the reason as text otherwise.
 * Californium serves {@code /.well-known/core} from the same resource tree. Plain CoAP on {@code coap.port} and,
 * with PSKs configured, CoAP over DTLS on {@code coap.dtls-port}, where a device may post only as itself.
 */
public final class CoapDeviceServer implements AutoCloseable {
    /** Bodies up to this size reach the gateway (block-wise), so oversize payloads become dead letters. */
    static final int MAX_BODY = 128 * 1024;

    private final CoapServer server;
    private final CoapEndpoint endpoint;
    private final CoapEndpoint dtlsEndpoint;
    private final CoapLoadShedding shedding;

    /** {@code keys} null serves no DTLS; {@code access} decides which paths a DTLS identity may post to. */
    public CoapDeviceServer(
            GatewayConfig.Coap coap, PskKeys keys, DeviceIngest ingest, DeviceRegistry registry, DeviceAccess access) {
        this.shedding = new CoapLoadShedding(coap.maxQueued());
        Configuration config = DtlsEndpoints.configuration();
        config.set(CoapConfig.MAX_RESOURCE_BODY_SIZE, MAX_BODY);
        CoapLoadShedding.configure(config);
        this.endpoint = !coap.plain()
                ? null
                : new CoapEndpoint.Builder()
                        .setConfiguration(config)
                        .setConnector(shedding.connector(new InetSocketAddress(coap.bind(), coap.port()), config))
                        .build();
        this.dtlsEndpoint = keys == null
                ? null
                : DtlsEndpoints.server(config, new InetSocketAddress(coap.bind(), coap.dtlsPort()), keys.all());
        this.server = new CoapServer(config) {
            @Override
            protected Resource createRoot() {
                return new StoreRoot(ingest);
            }
        };
        shedding.applyTo(server);
        server.setMessageDeliverer(new CriticalOptions(server.getMessageDeliverer()));
        if (endpoint != null) {
            server.addEndpoint(endpoint);
        }
        if (dtlsEndpoint != null) {
            server.addEndpoint(dtlsEndpoint);
        }
        server.add(
                new KindResource("button", ingest, registry, access),
                new KindResource("esl", ingest, registry, access));
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

    /** Starts listening; returns the plain UDP port bound (useful when 0 was asked for), or -1 when plain is off. */
    public int start() {
        server.start();
        return endpoint == null ? -1 : endpoint.getAddress().getPort();
    }

    /** The DTLS UDP port bound, or -1 without DTLS. */
    public int dtlsPort() {
        return dtlsEndpoint == null ? -1 : dtlsEndpoint.getAddress().getPort();
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
