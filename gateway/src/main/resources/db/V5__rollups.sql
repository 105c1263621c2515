-- Summary rollups: events per (minute, type), kept up to date off the device path by EventRollups, so a
-- summary over days reads a few thousand rows instead of millions of outbox rows.
CREATE TABLE event_rollup (
    minute INTEGER NOT NULL,               -- time_ms / 60000 of the events counted
    type   TEXT    NOT NULL,
    n      INTEGER NOT NULL,
    PRIMARY KEY (minute, type)
) WITHOUT ROWID;

-- Highest outbox sequence counted in event_rollup; later events are counted from the outbox itself.
INSERT INTO gateway_state (name, value) VALUES ('rollup.seq', 0);
