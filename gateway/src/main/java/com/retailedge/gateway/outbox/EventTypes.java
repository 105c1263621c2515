package com.retailedge.gateway.outbox;

/** The CloudEvents {@code type} values the gateway emits (CONTRACT §4). */
public final class EventTypes {
    public static final String SCAN_ACCEPTED = "retail.scan.accepted";
    public static final String ORDER_PICKED = "retail.order.picked";
    public static final String STOCK_CHANGED = "retail.stock.changed";
    public static final String BUTTON_PRESSED = "retail.button.pressed";
    public static final String REPLENISHMENT_REQUESTED = "retail.replenishment.requested";
    public static final String MEMBER_RECOGNIZED = "retail.member.recognized";
    public static final String LABEL_UPDATED = "retail.label.updated";
    public static final String LABEL_FAILED = "retail.label.failed";
    public static final String SALE_RECORDED = "retail.sale.recorded";
    public static final String ORDER_LATE = "retail.order.late";
    /** An admin cancelled an open order (POST /api/v1/orders/{orderId}/cancel): data orderId, was, pdaId, by. */
    public static final String ORDER_CANCELLED = "retail.order.cancelled";

    public static final String COMMAND_REJECTED = "retail.command.rejected";
    /** The answer to a {@code summary} command: data {@code {commandId, summary}}. */
    public static final String SUMMARY_REPORTED = "retail.summary.reported";
    /** Every {@code cloud.heartbeat} while the cloud link is up: backlog, devices online, labels, version, uptime. */
    public static final String GATEWAY_HEARTBEAT = "retail.gateway.heartbeat";
    /** The database was damaged at start; data: where it was moved, what the check said, rows kept per table. */
    public static final String GATEWAY_RECOVERED = "retail.gateway.recovered";

    private EventTypes() {}
}
