-- Replenishment from the store's own data: demand per day, per-SKU settings, plans and requests.

-- Units sold, picked or counted missing per SKU and store day (epoch day in the store's time zone).
CREATE TABLE demand_day (
    sku TEXT    NOT NULL,
    day INTEGER NOT NULL,
    qty INTEGER NOT NULL,
    PRIMARY KEY (sku, day)
) WITHOUT ROWID;
CREATE INDEX demand_day_day ON demand_day (day);

-- How a SKU is replenished, from the cloud's replenishment command.
CREATE TABLE replenishment_setting (
    sku           TEXT PRIMARY KEY,
    lead_time_ms  INTEGER NOT NULL,
    review_ms     INTEGER NOT NULL,
    pack_size     INTEGER NOT NULL,
    service_level REAL    NOT NULL,
    max_stock     INTEGER,
    command_id    TEXT,
    updated_ms    INTEGER NOT NULL
) WITHOUT ROWID;

-- The planner's latest view of each SKU: what GET /api/v1/replenishment shows.
CREATE TABLE replenishment_plan (
    sku              TEXT PRIMARY KEY,
    first_day        INTEGER,              -- first store day the SKU moved: the start of its history
    on_hand          INTEGER NOT NULL,     -- when the row was last written; the API reads stock_level
    on_order         INTEGER NOT NULL,     -- units of open requests
    threshold        INTEGER NOT NULL,
    below            INTEGER NOT NULL,     -- 1 while on hand + on order is at or below the reorder point
    basis            TEXT    NOT NULL,     -- forecast or threshold
    method           TEXT,
    forecast_per_day REAL    NOT NULL,
    sigma            REAL    NOT NULL,     -- RMSE of the one-day forecast
    reorder_point    INTEGER NOT NULL,
    safety_stock     REAL    NOT NULL,
    order_up_to      INTEGER NOT NULL,
    order_qty        INTEGER NOT NULL,     -- what it would order now (0 above the reorder point)
    history_days     INTEGER NOT NULL,
    last_request_ms  INTEGER NOT NULL,     -- 0: never asked
    updated_ms       INTEGER NOT NULL
) WITHOUT ROWID;

-- Every request; open until stock is received for it.
CREATE TABLE replenishment_request (
    request_id    INTEGER PRIMARY KEY,
    sku           TEXT    NOT NULL,
    state         TEXT    NOT NULL,        -- open, closed
    requested_ms  INTEGER NOT NULL,
    qty           INTEGER NOT NULL,
    basis         TEXT    NOT NULL,
    reorder_point INTEGER NOT NULL,
    on_hand       INTEGER NOT NULL,
    msg_id        TEXT,
    closed_ms     INTEGER,
    received      INTEGER,
    closed_by     TEXT
);
CREATE INDEX replenishment_request_open ON replenishment_request (sku, state, request_id);
CREATE INDEX replenishment_request_closed ON replenishment_request (state, closed_ms);
