-- Fleet sync health (issue 11): each tablet reports its own state at every sync — app version,
-- records still unsynced and the oldest one's age, storage used/left, persistence. One row per
-- tablet and user (a shared tablet has several); nothing personal is kept.
CREATE TABLE device_reports (
    device_id         TEXT    NOT NULL,
    user_id           INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    app_version       TEXT    NOT NULL,
    last_seen         INTEGER NOT NULL,
    pending_records   INTEGER NOT NULL,
    oldest_pending_at INTEGER,
    storage_used      INTEGER,
    storage_quota     INTEGER,
    persisted         INTEGER,
    PRIMARY KEY (device_id, user_id)
);
CREATE INDEX device_reports_seen ON device_reports (last_seen);
