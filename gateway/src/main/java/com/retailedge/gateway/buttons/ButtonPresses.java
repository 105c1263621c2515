package com.retailedge.gateway.buttons;

import com.retailedge.gateway.domain.DeviceMessage;
import com.retailedge.gateway.notices.StaffNotices;
import com.retailedge.gateway.outbox.EventTypes;
import com.retailedge.gateway.outbox.Outbox;
import com.retailedge.gateway.spi.AcceptedEffect;
import com.retailedge.gateway.store.DeviceRegistry;
import com.retailedge.gateway.store.Tx;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What an accepted press does. A press of the same gesture within the debounce window of the last counted
 * one is a bounce: kept, but no event and no effect. Otherwise it becomes one {@code retail.button.pressed}
 * whose {@code outcome} says what happened, by the button's bound action:
 * <ul>
 *   <li>{@code reorder}: {@code single}/{@code long} opens a reorder held for the cancel window
 *       ({@code held}), or, when its {@code at} time is older than the max press age, one that waits for
 *       confirmation ({@code unconfirmed}; a fresh {@code long} press or the API confirms it); while one is open
 *       a press says {@code already-open}; {@code double} cancels the open one ({@code cancelled}, or
 *       {@code nothing-to-cancel}).</li>
 *   <li>{@code shelf-empty}, {@code staff-call}: a staff notice at once ({@code notified}), or
 *       {@code already-open} while the last one is not acknowledged.</li>
 *   <li>no action bound: {@code unbound}.</li>
 * </ul>
 * Writer thread only.
 */
final class ButtonPresses implements AcceptedEffect {
    private final Outbox outbox;
    private final DeviceRegistry registry;
    private final Reorders reorders;
    private final ReorderTimer timer;
    private final StaffNotices notices;
    private final long debounceMs;
    private final long cancelWindowMs;
    private final long maxPressAgeMs;
    private final int batteryLow;
    private final MeterRegistry metrics;
    private final DebounceMarks marks = new DebounceMarks();
    /** By outcome: found once, not looked up in the registry per press (writer thread only). */
    private final Map<String, Counter> counters = new HashMap<>();

    ButtonPresses(
            Outbox outbox,
            DeviceRegistry registry,
            Reorders reorders,
            ReorderTimer timer,
            StaffNotices notices,
            Duration debounce,
            Duration cancelWindow,
            Duration maxPressAge,
            int batteryLow,
            MeterRegistry metrics) {
        this.outbox = outbox;
        this.registry = registry;
        this.reorders = reorders;
        this.timer = timer;
        this.notices = notices;
        this.debounceMs = debounce.toMillis();
        this.cancelWindowMs = cancelWindow.toMillis();
        this.maxPressAgeMs = maxPressAge.toMillis();
        this.batteryLow = batteryLow;
        this.metrics = metrics;
    }

    @Override
    public void apply(Tx tx, DeviceMessage message) throws SQLException {
        DeviceMessage.Press press = (DeviceMessage.Press) message;
        long now = System.currentTimeMillis();
        // A button's clock may run ahead; a press is never later than its arrival.
        long pressedMs = press.at() == null ? now : Math.min(press.at().toEpochMilli(), now);
        boolean stale = now - pressedMs > maxPressAgeMs;
        Map<String, Object> binding = registry.find(press.deviceId())
                .map(DeviceRegistry.Registration::attributes)
                .orElse(Map.of());
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("msgId", press.msgId());
        data.put("buttonId", press.deviceId());
        data.put("press", press.press());
        Object action = binding.get("action");
        if (action != null) {
            data.put("action", action);
        }
        if (press.at() != null) {
            data.put("at", Instant.ofEpochMilli(pressedMs).toString());
            data.put("stale", stale);
        }
        if (press.battery() != null) {
            data.put("battery", press.battery());
            data.put("batteryLow", battery(tx, press.deviceId(), press.battery(), now));
        }
        String outcome;
        if (bounced(tx, press, pressedMs)) {
            outcome = "bounce";
        } else {
            outcome = switch (String.valueOf(action)) {
                case "reorder" -> reorder(tx, press, binding, pressedMs, stale, now, data);
                case "shelf-empty", "staff-call" -> notice(tx, press, (String) action, binding, pressedMs, data);
                default -> "unbound";
            };
            data.put("outcome", outcome);
            outbox.append(tx, EventTypes.BUTTON_PRESSED, press.deviceId(), data);
        }
        record(tx, press, now, outcome);
    }

    private String reorder(
            Tx tx,
            DeviceMessage.Press press,
            Map<String, Object> binding,
            long pressedMs,
            boolean stale,
            long now,
            Map<String, Object> data)
            throws SQLException {
        Reorders.Open open = reorders.findOpen(tx, press.deviceId());
        if (press.press().equals("double")) {
            // Past its window a held reorder is as good as requested: the timer is about to send it.
            if (open == null || (open.state().equals("held") && open.dueMs() <= now)) {
                return "nothing-to-cancel";
            }
            reorders.cancel(tx, open.reorderId());
            data.put("reorderId", open.reorderId());
            return "cancelled";
        }
        if (open != null) {
            data.put("reorderId", open.reorderId());
            if (open.state().equals("unconfirmed") && press.press().equals("long") && !stale) {
                reorders.request(tx, open.reorderId(), "unconfirmed", press.msgId());
                return "confirmed";
            }
            data.put("openReorder", open.state());
            return "already-open";
        }
        Object sku = binding.get("sku");
        Long qty = quantity(binding.get("qty"));
        if (sku == null || qty == null) {
            return "unbound";
        }
        data.put("sku", sku);
        data.put("qty", qty);
        Long due = stale ? null : now + cancelWindowMs;
        String reorderId = reorders.open(tx, press.deviceId(), press.msgId(), sku.toString(), qty, pressedMs, due);
        data.put("reorderId", reorderId);
        if (due == null) {
            return "unconfirmed";
        }
        data.put("cancelUntil", Instant.ofEpochMilli(due).toString());
        tx.handOff(() -> timer.schedule(reorderId, due));
        return "held";
    }

    private String notice(
            Tx tx,
            DeviceMessage.Press press,
            String action,
            Map<String, Object> binding,
            long pressedMs,
            Map<String, Object> data)
            throws SQLException {
        String open = notices.openNoticeOf(tx, action, press.deviceId());
        if (open != null) {
            data.put("noticeId", open);
            return "already-open";
        }
        Map<String, Object> content = new LinkedHashMap<>();
        content.put("buttonId", press.deviceId());
        content.put("pressedAt", Instant.ofEpochMilli(pressedMs).toString());
        // Whatever else the binding says (an aisle, a sku) tells staff where to go.
        binding.forEach((k, v) -> {
            if (!k.equals("action")) {
                content.put(k, v);
            }
        });
        int priority = action.equals("staff-call") ? 5 : 6;
        data.put("noticeId", notices.open(tx, action, press.deviceId(), priority, content, null));
        return "notified";
    }

    /** Counted presses move the debounce mark; bounces do not, so a held-down bouncing button still counts once. */
    private boolean bounced(Tx tx, DeviceMessage.Press press, long pressedMs) throws SQLException {
        if (debounceMs == 0) {
            return false; // buttons.debounce 0s: every press counts, and no mark is needed (one write less a press)
        }
        long last = marks.last(tx, press.deviceId(), press.press());
        if (!DebounceMarks.never(last) && Math.abs(pressedMs - last) < debounceMs) {
            return true;
        }
        marks.move(tx, press.deviceId(), press.press(), pressedMs);
        return false;
    }

    private boolean battery(Tx tx, String buttonId, int battery, long now) throws SQLException {
        boolean low = battery < batteryLow;
        PreparedStatement ps = tx.prepare("INSERT INTO button_battery (button_id, battery, low, updated_ms) "
                + "VALUES (?, ?, ?, ?) ON CONFLICT (button_id) DO UPDATE SET battery = excluded.battery, "
                + "low = excluded.low, updated_ms = excluded.updated_ms");
        ps.setString(1, buttonId);
        ps.setInt(2, battery);
        ps.setInt(3, low ? 1 : 0);
        ps.setLong(4, now);
        ps.executeUpdate();
        return low;
    }

    private void record(Tx tx, DeviceMessage.Press press, long now, String outcome) throws SQLException {
        PreparedStatement ps = tx.prepare("INSERT INTO button_press (button_id, msg_id, press, received_ms, outcome) "
                + "VALUES (?, ?, ?, ?, ?)");
        ps.setString(1, press.deviceId());
        ps.setString(2, press.msgId());
        ps.setString(3, press.press());
        ps.setLong(4, now);
        ps.setString(5, outcome);
        ps.executeUpdate();
        tx.afterCommit(counters.computeIfAbsent(
                outcome,
                o -> Counter.builder("gateway_button_presses")
                        .description("button presses by what they became")
                        .tag("outcome", o)
                        .register(metrics))::increment);
    }

    /** Cloud bindings carry a number, the config file a string. */
    private static Long quantity(Object qty) {
        if (qty instanceof Number n) {
            return n.longValue() >= 1 ? n.longValue() : null;
        }
        try {
            long n = Long.parseLong(String.valueOf(qty).trim());
            return n >= 1 ? n : null;
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
