package com.retailedge.gateway.device.coap;

import com.retailedge.gateway.domain.Channel;
import com.retailedge.gateway.domain.DeviceAddress;
import com.retailedge.gateway.domain.DeviceKind;
import com.retailedge.gateway.ingest.DeviceIngest;
import com.retailedge.gateway.security.DeviceAccess;
import com.retailedge.gateway.store.DeviceRegistry;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import org.eclipse.californium.core.CoapResource;
import org.eclipse.californium.core.server.resources.Resource;

/**
 * {@code /button} or {@code /esl}: resolves {@code {id}/{leaf}} below it on demand, so thousands of
 * labels need no resource objects until they talk, and lists the registered devices for discovery.
 */
final class KindResource extends CoapResource {
    private final DeviceIngest ingest;
    private final DeviceRegistry registry;
    private final Channel channel;
    private final DeviceAccess access;
    /** True while {@link #setParent} or {@link #setPath} runs (before the server starts); discovery reads it on a CoAP thread. */
    private volatile boolean settingPath;

    KindResource(String segment, DeviceIngest ingest, DeviceRegistry registry, DeviceAccess access) {
        super(segment);
        this.access = access;
        this.ingest = ingest;
        this.registry = registry;
        this.channel = segment.equals("button") ? Channel.PRESS : Channel.LABEL_STATUS;
        getAttributes().setTitle(segment.equals("button") ? "dash buttons" : "electronic shelf labels");
    }

    @Override
    public Resource getChild(String deviceId) {
        if (!DeviceAddress.isValidDeviceId(deviceId)) {
            return new UnknownPathResource(this, deviceId, ingest);
        }
        return new DeviceNode(this, deviceId);
    }

    /**
     * Californium sets the paths of all children, through {@link #getChildren()}, whenever this resource's parent
     * or path is set (when it is added to the server, at start). The device nodes are made on demand with the path
     * of the moment, so there is nothing to adjust; listing them made two objects per registered label for nothing
     * (22,000 with 10,000 labels, about a tenth of a loaded gateway's start).
     */
    @Override
    public synchronized void setParent(Resource parent) {
        withChildrenHidden(() -> super.setParent(parent));
    }

    @Override
    public synchronized void setPath(String path) {
        withChildrenHidden(() -> super.setPath(path));
    }

    private void withChildrenHidden(Runnable change) {
        settingPath = true;
        try {
            change.run();
        } finally {
            settingPath = false;
        }
    }

    @Override
    public Collection<Resource> getChildren() {
        if (settingPath) {
            return List.of();
        }
        DeviceKind kind = channel.kind();
        List<Resource> children = new ArrayList<>();
        registry.all().stream()
                .filter(r -> r.kind() == kind)
                .forEach(r -> children.add(new DeviceNode(this, r.deviceId())));
        return children;
    }

    /** {@code /{kind}/{id}}: holds the one leaf the contract defines for that kind. */
    private final class DeviceNode extends CoapResource {
        private final String deviceId;

        DeviceNode(KindResource parent, String deviceId) {
            super(deviceId, true);
            this.deviceId = deviceId;
            setParent(parent);
            setPath(parent.getPath() + parent.getName() + "/");
        }

        @Override
        public Resource getChild(String leaf) {
            return new MessageResource(
                    this, leaf, channel.leaf().equals(leaf) ? channel : null, deviceId, ingest, access);
        }

        @Override
        public Collection<Resource> getChildren() {
            return List.of(new MessageResource(this, channel.leaf(), channel, deviceId, ingest, access));
        }
    }
}
