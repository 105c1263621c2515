-- Picking online orders and the stock ledger.

-- An online order: waiting (no picker yet), picking (a PDA has it), picked (every line picked or short).
CREATE TABLE pick_order (
    order_id    TEXT PRIMARY KEY,
    state       TEXT    NOT NULL,           -- waiting, picking, picked
    due_ms      INTEGER NOT NULL,
    pda_id      TEXT,                       -- the picker it is assigned to
    received_ms INTEGER NOT NULL,
    assigned_ms INTEGER,
    picked_ms   INTEGER,
    late        INTEGER NOT NULL DEFAULT 0, -- 1 once flagged late (due passed before it was picked)
    lines_open  INTEGER NOT NULL            -- lines neither picked nor short: completion without a scan of all lines
) WITHOUT ROWID;
CREATE INDEX pick_order_state_due ON pick_order (state, due_ms);
CREATE INDEX pick_order_pda ON pick_order (pda_id, state);
CREATE INDEX pick_order_picked ON pick_order (picked_ms);

CREATE TABLE order_line (
    order_id      TEXT    NOT NULL,
    line_no       INTEGER NOT NULL,
    sku           TEXT    NOT NULL,
    qty           INTEGER,                  -- items, for a counted line
    weight_g      INTEGER,                  -- grams, for a weighed line
    picked        INTEGER NOT NULL DEFAULT 0, -- items or grams so far
    picked_units  INTEGER NOT NULL DEFAULT 0, -- packs scanned (for the stock ledger and the reply)
    substitutable INTEGER NOT NULL DEFAULT 0,
    location      TEXT,                     -- aisle/shelf, for the walking order
    name          TEXT,
    short_reason  TEXT,                     -- set when the picker gave up on the rest of the line
    PRIMARY KEY (order_id, line_no)
) WITHOUT ROWID;
CREATE INDEX order_line_sku ON order_line (order_id, sku);

-- GTINs an order names for its lines beyond the catalog's (e.g. a GTIN the cloud catalog has not sent yet).
CREATE TABLE order_line_gtin (
    order_id TEXT    NOT NULL,
    gtin     TEXT    NOT NULL,              -- as GTIN-14 (left-padded with zeros)
    line_no  INTEGER NOT NULL,
    PRIMARY KEY (order_id, gtin)
) WITHOUT ROWID;

-- Every accepted pick, substitutions included: what the order.picked event reports.
CREATE TABLE order_pick (
    id         INTEGER PRIMARY KEY,
    order_id   TEXT    NOT NULL,
    line_no    INTEGER NOT NULL,
    sku        TEXT    NOT NULL,            -- what was picked: the line's SKU or its substitute
    units      INTEGER NOT NULL,
    amount     INTEGER NOT NULL,            -- items or grams
    substitute INTEGER NOT NULL DEFAULT 0,
    msg_id     TEXT    NOT NULL,
    at_ms      INTEGER NOT NULL
);
CREATE INDEX order_pick_order ON order_pick (order_id);

-- The stock ledger: one row per movement; stock is their sum, kept in stock_level in the same transaction.
CREATE TABLE stock_move (
    id    INTEGER PRIMARY KEY,
    at_ms INTEGER NOT NULL,
    sku   TEXT    NOT NULL,
    delta INTEGER NOT NULL,                 -- units, + in, - out
    kind  TEXT    NOT NULL,                 -- pick, receiving, count, sale
    ref   TEXT                              -- order id, command id or admin
);
CREATE INDEX stock_move_at ON stock_move (at_ms);

CREATE TABLE stock_level (
    sku        TEXT PRIMARY KEY,
    on_hand    INTEGER NOT NULL,            -- the sum of the SKU's stock_move deltas
    threshold  INTEGER,                     -- replenish at or below; null: picking's configured default
    low        INTEGER NOT NULL,            -- 1 while at or below the threshold: one request per crossing
    updated_ms INTEGER NOT NULL
) WITHOUT ROWID;
