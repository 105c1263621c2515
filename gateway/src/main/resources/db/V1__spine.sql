-- The spine: device messages, outbox, dead letters, commands, device registry, catalog, label and PDA state.

-- One row per device message acted on, so a repeated msgId is answered again and acted on once.
CREATE TABLE device_message (
    device_id   TEXT    NOT NULL,
    msg_id      TEXT    NOT NULL,
    channel     TEXT    NOT NULL,
    received_at INTEGER NOT NULL,           -- epoch millis
    reply       TEXT,                       -- the answer given, JSON, where the channel has one
    PRIMARY KEY (device_id, msg_id)
) WITHOUT ROWID;
CREATE INDEX device_message_received ON device_message (received_at);

-- Cloud events in sequence order; the row is the durable copy until the cloud took it.
CREATE TABLE outbox (
    seq      INTEGER PRIMARY KEY,           -- the CloudEvents "sequence" extension
    id       TEXT    NOT NULL,              -- the CloudEvents "id", a random UUID: no index, nothing looks it up
    type     TEXT    NOT NULL,
    subject  TEXT    NOT NULL,
    time_ms  INTEGER NOT NULL,
    body     TEXT    NOT NULL               -- the whole event, JSON, exactly as sent
);
CREATE INDEX outbox_type_time ON outbox (type, time_ms);

-- Small durable counters and cursors: last acknowledged sequence and the like.
CREATE TABLE gateway_state (
    name  TEXT PRIMARY KEY,
    value INTEGER NOT NULL
) WITHOUT ROWID;
INSERT INTO gateway_state (name, value) VALUES ('outbox.acked', 0);

CREATE TABLE dead_letter (
    id        INTEGER PRIMARY KEY,
    at_ms     INTEGER NOT NULL,
    source    TEXT    NOT NULL,             -- mqtt, coap, cloud
    address   TEXT    NOT NULL,             -- topic or resource path
    device_id TEXT,
    reason    TEXT    NOT NULL,             -- a RejectReason code
    detail    TEXT    NOT NULL,
    size      INTEGER NOT NULL,             -- payload bytes as received
    payload   BLOB                          -- the payload, cut at 64 KiB
);
CREATE INDEX dead_letter_reason ON dead_letter (reason);

CREATE TABLE applied_command (
    command_id TEXT PRIMARY KEY,
    kind       TEXT    NOT NULL,
    applied_ms INTEGER NOT NULL,
    outcome    TEXT    NOT NULL             -- applied, or the rejection reason
) WITHOUT ROWID;

CREATE TABLE device (
    device_id  TEXT PRIMARY KEY,
    kind       TEXT    NOT NULL,
    attributes TEXT    NOT NULL DEFAULT '{}', -- JSON: button action, label sku and ap, ap url
    source     TEXT    NOT NULL,            -- config or cloud
    updated_ms INTEGER NOT NULL
) WITHOUT ROWID;

CREATE TABLE catalog_item (
    sku        TEXT PRIMARY KEY,
    name       TEXT    NOT NULL,
    price      TEXT    NOT NULL,            -- decimal string, exactly as the cloud sent it
    currency   TEXT    NOT NULL,
    updated_ms INTEGER NOT NULL
) WITHOUT ROWID;

CREATE TABLE catalog_gtin (
    gtin TEXT PRIMARY KEY,
    sku  TEXT NOT NULL REFERENCES catalog_item (sku) ON DELETE CASCADE
) WITHOUT ROWID;
CREATE INDEX catalog_gtin_sku ON catalog_gtin (sku);

CREATE TABLE label_state (
    label_id         TEXT PRIMARY KEY,
    reported_version INTEGER NOT NULL,
    battery          INTEGER NOT NULL,
    last_seen_ms     INTEGER NOT NULL
) WITHOUT ROWID;

CREATE TABLE pda_state (
    pda_id     TEXT PRIMARY KEY,
    state      TEXT    NOT NULL,
    updated_ms INTEGER NOT NULL
) WITHOUT ROWID;
