package com.retailedge.gateway.spi;

import com.retailedge.gateway.domain.Channel;
import com.retailedge.gateway.store.Prune;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What one feature plugs into the gateway: its effects on accepted device messages, the PDA rules, the cloud
 * command kinds it handles, its HTTP routes, summary sections and dashboard panels, its housekeeping prunes, and
 * what to start once everything is built and stop at shutdown. A feature's factory builds its parts and returns
 * one of these; {@code app} collects them ({@link Capabilities}) and hands them to the ingest path, the command
 * intake, the HTTP API and housekeeping as they are constructed. Immutable once built: nothing is wired later.
 */
public final class Capability implements AutoCloseable {
    /** Work done at start; may throw. */
    @FunctionalInterface
    public interface Start {
        void run() throws Exception;
    }

    private final String name;
    private final Map<Channel, List<AcceptedEffect>> effects;
    private final PdaActions pdaActions;
    private final LabelReports labelReports;
    private final DeviceLinks deviceLinks;
    private final Map<String, CommandHandler> commands;
    private final Map<String, List<CommandHandler>> followers;
    private final List<ApiRoutes> routes;
    private final List<SummarySection> summaries;
    private final List<DashboardPanel> panels;
    private final List<Prune> prunes;
    private final List<Start> starts;
    private final List<AutoCloseable> stops;

    private Capability(Builder b) {
        this.name = b.name;
        Map<Channel, List<AcceptedEffect>> byChannel = new EnumMap<>(Channel.class);
        b.effects.forEach((channel, list) -> byChannel.put(channel, List.copyOf(list)));
        this.effects = Map.copyOf(byChannel);
        this.pdaActions = b.pdaActions;
        this.labelReports = b.labelReports;
        this.deviceLinks = b.deviceLinks;
        this.commands = Map.copyOf(b.commands);
        Map<String, List<CommandHandler>> byKind = new LinkedHashMap<>();
        b.followers.forEach((kind, list) -> byKind.put(kind, List.copyOf(list)));
        this.followers = Map.copyOf(byKind);
        this.routes = List.copyOf(b.routes);
        this.summaries = List.copyOf(b.summaries);
        this.panels = List.copyOf(b.panels);
        this.prunes = List.copyOf(b.prunes);
        this.starts = List.copyOf(b.starts);
        this.stops = List.copyOf(b.stops);
    }

    public static Builder named(String name) {
        return new Builder(name);
    }

    public String name() {
        return name;
    }

    /** Effects on accepted messages of each channel, in the order they were added. */
    public Map<Channel, List<AcceptedEffect>> effects() {
        return effects;
    }

    /** The rules that judge PDA actions, or null when this capability does not pick. */
    public PdaActions pdaActions() {
        return pdaActions;
    }

    /** Where label status reports go, or null. */
    public LabelReports labelReports() {
        return labelReports;
    }

    /** What is told about device connections opening and closing, or null. */
    public DeviceLinks deviceLinks() {
        return deviceLinks;
    }

    /** The cloud command kinds this capability owns, with their handlers. */
    public Map<String, CommandHandler> commands() {
        return commands;
    }

    /** Handlers that also read a command kind another part owns, run after its handler in the same savepoint. */
    public Map<String, List<CommandHandler>> followers() {
        return followers;
    }

    public List<ApiRoutes> routes() {
        return routes;
    }

    public List<SummarySection> summaries() {
        return summaries;
    }

    public List<DashboardPanel> panels() {
        return panels;
    }

    public List<Prune> prunes() {
        return prunes;
    }

    /** Runs what this capability starts (timers, resumed work), in the order added. */
    public void start() throws Exception {
        for (Start start : starts) {
            start.run();
        }
    }

    /** Stops what it started, last started first. */
    @Override
    public void close() throws Exception {
        Exception first = null;
        for (int i = stops.size() - 1; i >= 0; i--) {
            try {
                stops.get(i).close();
            } catch (Exception e) {
                if (first == null) {
                    first = e;
                } else {
                    first.addSuppressed(e);
                }
            }
        }
        if (first != null) {
            throw first;
        }
    }

    @Override
    public String toString() {
        return "capability " + name;
    }

    /** Collects a capability's parts; {@link #build()} freezes them. */
    public static final class Builder {
        private final String name;
        private final Map<Channel, List<AcceptedEffect>> effects = new EnumMap<>(Channel.class);
        private PdaActions pdaActions;
        private LabelReports labelReports;
        private DeviceLinks deviceLinks;
        private final Map<String, CommandHandler> commands = new LinkedHashMap<>();
        private final Map<String, List<CommandHandler>> followers = new LinkedHashMap<>();
        private final List<ApiRoutes> routes = new ArrayList<>();
        private final List<SummarySection> summaries = new ArrayList<>();
        private final List<DashboardPanel> panels = new ArrayList<>();
        private final List<Prune> prunes = new ArrayList<>();
        private final List<Start> starts = new ArrayList<>();
        private final List<AutoCloseable> stops = new ArrayList<>();

        private Builder(String name) {
            this.name = name;
        }

        /** What an accepted message of {@code channel} changes; runs on the writer, in the message's transaction. */
        public Builder onAccepted(Channel channel, AcceptedEffect effect) {
            effects.computeIfAbsent(channel, c -> new ArrayList<>()).add(effect);
            return this;
        }

        public Builder judgesPdaActions(PdaActions actions) {
            this.pdaActions = actions;
            return this;
        }

        public Builder takesLabelReports(LabelReports reports) {
            this.labelReports = reports;
            return this;
        }

        public Builder watchesDeviceLinks(DeviceLinks links) {
            this.deviceLinks = links;
            return this;
        }

        public Builder handles(String kind, CommandHandler handler) {
            if (commands.putIfAbsent(kind, handler) != null) {
                throw new IllegalStateException(name + " handles command kind '" + kind + "' twice");
            }
            return this;
        }

        public Builder follows(String kind, CommandHandler follower) {
            followers.computeIfAbsent(kind, k -> new ArrayList<>()).add(follower);
            return this;
        }

        public Builder routes(ApiRoutes r) {
            routes.add(r);
            return this;
        }

        public Builder summary(SummarySection section) {
            summaries.add(section);
            return this;
        }

        public Builder panel(DashboardPanel panel) {
            panels.add(panel);
            return this;
        }

        public Builder prunes(Prune prune) {
            prunes.add(prune);
            return this;
        }

        public Builder startWith(Start start) {
            starts.add(start);
            return this;
        }

        public Builder stopWith(AutoCloseable stop) {
            stops.add(stop);
            return this;
        }

        public Capability build() {
            return new Capability(this);
        }
    }
}
