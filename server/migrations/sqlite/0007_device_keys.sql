-- Device credentials: a sync-only key a device gets at an online login, bound to that device
-- (its id) and user. A tablet keeps it wrapped with a key derived from the user's password, so
-- an offline login can get a fresh session later without keeping the password anywhere. Only
-- the SHA-256 of the key is stored; disabling the user or a new password deletes them.
CREATE TABLE device_keys (
    key_hash   TEXT    PRIMARY KEY,
    user_id    INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    device_id  TEXT    NOT NULL,
    created_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL
);
CREATE INDEX device_keys_user ON device_keys (user_id, device_id);
