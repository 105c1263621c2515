-- Electronic shelf labels: what each label should show, what it shows, and the scheduled prices behind it.

-- Optional price fields of a catalog item: a promotion that is a scheduled price (it takes effect at its start
-- and ends at its end, also with no cloud), and a member price.
ALTER TABLE catalog_item ADD COLUMN promo_price TEXT;
ALTER TABLE catalog_item ADD COLUMN promo_start_ms INTEGER;
ALTER TABLE catalog_item ADD COLUMN promo_end_ms INTEGER;
ALTER TABLE catalog_item ADD COLUMN member_price TEXT;
CREATE INDEX catalog_item_promo_start ON catalog_item (promo_start_ms);
CREATE INDEX catalog_item_promo_end ON catalog_item (promo_end_ms);

-- One row per bound label: its binding, its desired content and version, and where delivery stands.
-- Reported version, battery and last check-in stay in label_state (V1), written by every status report.
CREATE TABLE label (
    label_id        TEXT PRIMARY KEY,
    sku             TEXT    NOT NULL,
    ap              TEXT    NOT NULL,           -- the access point's deviceId
    desired_version INTEGER NOT NULL DEFAULT 0,
    content         TEXT,                       -- the JSON sent to the access point, with its version; null: no price yet
    content_hash    TEXT,                       -- SHA-256 of the rendered content without version
    price           TEXT,                       -- the price in the desired content: what the till charges
    shown_price     TEXT,                       -- the price of the content the label last reported showing
    priority        INTEGER NOT NULL DEFAULT 1, -- 0: a price changed; 1: cosmetic
    state           TEXT    NOT NULL,           -- pending, current, failed
    reason          TEXT,                       -- why pending (no price) or failed
    since_ms        INTEGER NOT NULL,           -- when the label entered its state
    ap_version      INTEGER NOT NULL DEFAULT 0  -- the newest version the access point took (2.04)
) WITHOUT ROWID;
CREATE INDEX label_sku ON label (sku);
CREATE INDEX label_state_since ON label (state, since_ms);

-- Pick-to-light wishes: while a row exists, the labels of that SKU carry flash in their content.
CREATE TABLE label_flash (
    order_id TEXT NOT NULL,
    sku      TEXT NOT NULL,
    PRIMARY KEY (order_id, sku)
) WITHOUT ROWID;
CREATE INDEX label_flash_sku ON label_flash (sku);

-- Scheduled prices are applied up to this time (epoch millis); boundaries passed while down are applied at start.
INSERT INTO gateway_state (name, value) VALUES ('labels.schedule-checked', 0);
