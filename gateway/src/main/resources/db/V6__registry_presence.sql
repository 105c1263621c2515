-- The cloud's registry wins over the config file's devices section (CONTRACT §4 v2): a device the cloud has
-- spoken about keeps what the cloud said across restarts. Bindings from the cloud are rows of `device` with
-- source 'cloud'; a removal by the cloud leaves a tombstone here, so the config file cannot bring it back.
CREATE TABLE device_removed (
    device_id  TEXT PRIMARY KEY,
    removed_ms INTEGER NOT NULL
) WITHOUT ROWID;

-- Why a PDA is off, when the gateway found it gone (connection closed, silent for picking.pda-timeout) or it said
-- so; NULL while it is present. Shown to staff on GET /api/v1/pdas.
ALTER TABLE pda_state ADD COLUMN gone_reason TEXT;
