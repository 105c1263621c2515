-- Dash buttons (debounce, held reorders, staff notices) and the member cache with its visits.
-- Member references are kept only as HMAC-SHA256 hashes keyed with members.ref-key, never in the clear.

-- The last counted press of each button and gesture, for debouncing.
CREATE TABLE button_last_press (
    button_id TEXT    NOT NULL,
    press     TEXT    NOT NULL,             -- single, double, long
    at_ms     INTEGER NOT NULL,
    PRIMARY KEY (button_id, press)
) WITHOUT ROWID;

-- Every accepted press message and what it became; bounces are kept too, so the summary can tell them apart.
CREATE TABLE button_press (
    id          INTEGER PRIMARY KEY,
    button_id   TEXT    NOT NULL,
    msg_id      TEXT    NOT NULL,
    press       TEXT    NOT NULL,
    received_ms INTEGER NOT NULL,
    outcome     TEXT    NOT NULL            -- bounce, held, cancelled, already-open, unconfirmed, ...
);
CREATE INDEX button_press_received ON button_press (received_ms);

-- The last battery level a button reported.
CREATE TABLE button_battery (
    button_id  TEXT PRIMARY KEY,
    battery    INTEGER NOT NULL,
    low        INTEGER NOT NULL,            -- 1 when below buttons.battery-low
    updated_ms INTEGER NOT NULL
) WITHOUT ROWID;

-- A reorder is held for the cancel window (due_ms), then requested; at most one open per button.
CREATE TABLE reorder (
    reorder_id TEXT PRIMARY KEY,
    button_id  TEXT    NOT NULL,
    msg_id     TEXT    NOT NULL,            -- the press that opened it
    sku        TEXT    NOT NULL,
    qty        INTEGER NOT NULL,
    state      TEXT    NOT NULL,            -- held, unconfirmed, requested, cancelled
    pressed_ms INTEGER NOT NULL,
    due_ms     INTEGER,                     -- end of the cancel window while held
    closed_ms  INTEGER
) WITHOUT ROWID;
CREATE UNIQUE INDEX reorder_one_open ON reorder (button_id) WHERE state IN ('held', 'unconfirmed');
CREATE INDEX reorder_closed ON reorder (state, closed_ms);

-- Notices for staff PDAs (shelf empty, staff call, member arrival), open until a PDA acknowledges one.
CREATE TABLE notice (
    notice_id  TEXT PRIMARY KEY,
    kind       TEXT    NOT NULL,            -- shelf-empty, staff-call, member
    source_id  TEXT    NOT NULL,            -- the button or camera
    priority   INTEGER NOT NULL,            -- lower first: L1 members before L2 ...
    body       TEXT    NOT NULL,            -- the JSON sent to the PDAs
    state      TEXT    NOT NULL,            -- open, acked
    created_ms INTEGER NOT NULL,
    expires_ms INTEGER,                     -- a member's notice is moot once the visit window passed
    acked_ms   INTEGER,
    acked_by   TEXT
) WITHOUT ROWID;
CREATE INDEX notice_open ON notice (state, priority, created_ms);
CREATE INDEX notice_source ON notice (source_id, kind) WHERE state = 'open';

CREATE TABLE member (
    member_id  TEXT PRIMARY KEY,
    tier       TEXT    NOT NULL,            -- L1 .. L4
    consent    INTEGER NOT NULL,
    greeting   TEXT,                        -- how staff greet the member
    notes      TEXT,                        -- what staff need to serve the member
    updated_ms INTEGER NOT NULL
) WITHOUT ROWID;

-- hex HMAC-SHA256(members.ref-key, method ":" ref); the raw reference is never stored.
CREATE TABLE member_ref (
    ref_hash  TEXT PRIMARY KEY,
    member_id TEXT NOT NULL,
    method    TEXT NOT NULL
) WITHOUT ROWID;
CREATE INDEX member_ref_member ON member_ref (member_id);

CREATE TABLE member_visit (
    visit_id     TEXT PRIMARY KEY,
    member_id    TEXT    NOT NULL,
    tier         TEXT    NOT NULL,
    method       TEXT    NOT NULL,
    camera_id    TEXT    NOT NULL,
    msg_id       TEXT    NOT NULL,
    started_ms   INTEGER NOT NULL,
    last_seen_ms INTEGER NOT NULL
) WITHOUT ROWID;
CREATE INDEX member_visit_member ON member_visit (member_id, last_seen_ms);
CREATE INDEX member_visit_started ON member_visit (started_ms);

-- Recognitions that did not start a visit, counted for the summary; no reference, hashed or not.
CREATE TABLE member_miss (
    id        INTEGER PRIMARY KEY,
    at_ms     INTEGER NOT NULL,
    camera_id TEXT    NOT NULL,
    method    TEXT    NOT NULL,
    outcome   TEXT    NOT NULL              -- unknown, low-confidence, no-consent
);
CREATE INDEX member_miss_at ON member_miss (at_ms);
