-- Summary rollups: events per (minute, type) and per (hour, type), kept up to date off the device path by EventRollups, so a
-- summary over days reads a few thousand rows instead of millions of outbox rows.
CREATE TABLE event_rollup (
    minute INTEGER NOT NULL,               -- time_ms / 60000 of the events counted
    type   TEXT    NOT NULL,
    n      INTEGER NOT NULL,
    PRIMARY KEY (minute, type)
) WITHOUT ROWID;

-- The same per (hour, type), so a summary over weeks reads hundreds of rows, not tens of thousands.
CREATE TABLE event_rollup_hour (
    hour INTEGER NOT NULL,                 -- time_ms / 3600000 of the events counted
    type TEXT    NOT NULL,
    n    INTEGER NOT NULL,
    PRIMARY KEY (hour, type)
) WITHOUT ROWID;

-- Highest outbox sequence counted in event_rollup; later events are counted from the outbox itself.
INSERT INTO gateway_state (name, value) VALUES ('rollup.seq', 0);
