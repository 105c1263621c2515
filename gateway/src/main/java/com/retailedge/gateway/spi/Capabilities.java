package com.retailedge.gateway.spi;

import com.retailedge.gateway.domain.Channel;
import com.retailedge.gateway.domain.DeviceAddress;
import com.retailedge.gateway.store.Prune;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Every capability of one gateway, in the order {@code app} built them, read by the parts they plug into. Two
 * capabilities may not own the same command kind, and at most one judges PDA actions or takes label reports:
 * such a clash is refused when the gateway is built, not discovered when a message arrives.
 */
public final class Capabilities {
    private final List<Capability> all;

    public Capabilities(List<Capability> all) {
        this.all = List.copyOf(all);
        commands();
        pdaActions();
        labelReports();
    }

    public static Capabilities of(Capability... capabilities) {
        return new Capabilities(List.of(capabilities));
    }

    public List<Capability> all() {
        return all;
    }

    /** Each channel's effects, capability by capability. */
    public Map<Channel, List<AcceptedEffect>> effects() {
        Map<Channel, List<AcceptedEffect>> merged = new EnumMap<>(Channel.class);
        for (Capability c : all) {
            c.effects()
                    .forEach((channel, effects) -> merged.computeIfAbsent(channel, k -> new ArrayList<>())
                            .addAll(effects));
        }
        merged.replaceAll((channel, effects) -> List.copyOf(effects));
        return merged;
    }

    public Optional<PdaActions> pdaActions() {
        return single(
                        "judges PDA actions",
                        all.stream().filter(c -> c.pdaActions() != null).toList())
                .map(Capability::pdaActions);
    }

    public Optional<LabelReports> labelReports() {
        return single(
                        "takes label reports",
                        all.stream().filter(c -> c.labelReports() != null).toList())
                .map(Capability::labelReports);
    }

    /** Every capability's connection watcher, told in turn. */
    public DeviceLinks deviceLinks() {
        List<DeviceLinks> watchers =
                all.stream().map(Capability::deviceLinks).filter(l -> l != null).toList();
        if (watchers.isEmpty()) {
            return DeviceLinks.NONE;
        }
        return new DeviceLinks() {
            @Override
            public void heard(Object link, DeviceAddress address) {
                watchers.forEach(w -> w.heard(link, address));
            }

            @Override
            public void closed(Object link) {
                watchers.forEach(w -> w.closed(link));
            }
        };
    }

    public Map<String, CommandHandler> commands() {
        Map<String, CommandHandler> merged = new LinkedHashMap<>();
        Map<String, String> owner = new LinkedHashMap<>();
        for (Capability c : all) {
            c.commands().forEach((kind, handler) -> {
                String earlier = owner.putIfAbsent(kind, c.name());
                if (earlier != null) {
                    throw new IllegalStateException(
                            "command kind '" + kind + "' is handled by both " + earlier + " and " + c.name());
                }
                merged.put(kind, handler);
            });
        }
        return merged;
    }

    public Map<String, List<CommandHandler>> followers() {
        Map<String, List<CommandHandler>> merged = new LinkedHashMap<>();
        for (Capability c : all) {
            c.followers()
                    .forEach((kind, list) ->
                            merged.computeIfAbsent(kind, k -> new ArrayList<>()).addAll(list));
        }
        merged.replaceAll((kind, list) -> List.copyOf(list));
        return merged;
    }

    public List<ApiRoutes> routes() {
        return all.stream().flatMap(c -> c.routes().stream()).toList();
    }

    public List<SummarySection> summaries() {
        return all.stream().flatMap(c -> c.summaries().stream()).toList();
    }

    public List<DashboardPanel> panels() {
        return all.stream().flatMap(c -> c.panels().stream()).toList();
    }

    public List<Prune> prunes() {
        return all.stream().flatMap(c -> c.prunes().stream()).toList();
    }

    private static Optional<Capability> single(String what, List<Capability> found) {
        if (found.size() > 1) {
            throw new IllegalStateException("more than one capability " + what + ": "
                    + found.stream().map(Capability::name).toList());
        }
        return found.stream().findFirst();
    }
}
