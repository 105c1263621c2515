-- Summary commands from the cloud waiting for their answer: the command is applied (and its commandId remembered) in the
-- same transaction that stores the request here, and the answering retail.summary.reported event is appended in the
-- transaction that deletes it, so a crash between the two answers the request after the restart instead of losing it.
CREATE TABLE summary_request (
    command_id TEXT    NOT NULL PRIMARY KEY,
    from_ms    INTEGER NOT NULL,
    to_ms      INTEGER NOT NULL,
    asked_ms   INTEGER NOT NULL
);
