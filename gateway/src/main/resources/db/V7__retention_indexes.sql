-- Dead-letter retention: rows older than deadletters.retention go by time, and past deadletters.max-bytes the
-- payloads of the oldest rows are dropped (the rows stay). What was deleted is still counted, by source and reason.
CREATE INDEX dead_letter_at ON dead_letter (at_ms);
CREATE INDEX dead_letter_with_payload ON dead_letter (id) WHERE payload IS NOT NULL;
CREATE TABLE dead_letter_pruned (
    source TEXT    NOT NULL,
    reason TEXT    NOT NULL,
    rows   INTEGER NOT NULL,                -- dead letters deleted after the retention
    bytes  INTEGER NOT NULL,                -- their payload sizes as received
    PRIMARY KEY (source, reason)
) WITHOUT ROWID;

-- Housekeeping's deletes of old visits and notices find their rows by index, not by scanning the table.
CREATE INDEX member_visit_last_seen ON member_visit (last_seen_ms);
CREATE INDEX notice_acked ON notice (state, acked_ms);
CREATE INDEX notice_expires ON notice (expires_ms) WHERE expires_ms IS NOT NULL;
