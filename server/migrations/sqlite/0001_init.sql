-- Siteline schema v1 (SQLite). Times are unix milliseconds (UTC); ids are UUID text.

CREATE TABLE users (
    id            INTEGER PRIMARY KEY,
    username      TEXT    NOT NULL UNIQUE,
    display_name  TEXT    NOT NULL,
    role          TEXT    NOT NULL CHECK (role IN ('admin', 'supervisor', 'staff')),
    password_hash TEXT    NOT NULL,
    created_at    INTEGER NOT NULL
);

-- Bearer sessions: only the SHA-256 (hex) of the token is kept.
CREATE TABLE sessions (
    token_hash TEXT    PRIMARY KEY,
    user_id    INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL
);
CREATE INDEX sessions_user ON sessions (user_id);
CREATE INDEX sessions_expiry ON sessions (expires_at);

CREATE TABLE sites (
    code       TEXT    PRIMARY KEY,
    name       TEXT    NOT NULL,
    is_default INTEGER NOT NULL DEFAULT 0 CHECK (is_default IN (0, 1)),
    created_at INTEGER NOT NULL
);
-- At most one default site (the one whose code numbers complaints).
CREATE UNIQUE INDEX sites_one_default ON sites (is_default) WHERE is_default = 1;

-- Location tree of a site: building › floor › area.
CREATE TABLE locations (
    id        INTEGER PRIMARY KEY,
    site_code TEXT    NOT NULL REFERENCES sites (code) ON DELETE CASCADE,
    parent_id INTEGER REFERENCES locations (id) ON DELETE CASCADE,
    name      TEXT    NOT NULL,
    sort      INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX locations_site ON locations (site_code, parent_id, sort);

-- The append-only event log. `seq` is the server's order of receipt (the pull cursor):
-- AUTOINCREMENT so a sequence number is never reused. `body` is the event as JSON.
CREATE TABLE events (
    seq          INTEGER PRIMARY KEY AUTOINCREMENT,
    id           TEXT    NOT NULL UNIQUE,
    complaint_id TEXT    NOT NULL,
    kind         TEXT    NOT NULL,
    author       TEXT    NOT NULL,
    device_id    TEXT    NOT NULL,
    lamport      INTEGER NOT NULL,
    captured_at  INTEGER NOT NULL,
    received_at  INTEGER NOT NULL,
    body         TEXT    NOT NULL
);
CREATE INDEX events_complaint ON events (complaint_id, seq);

-- Canonical numbers: one per complaint, never reused.
CREATE TABLE number_counters (
    site_code TEXT    NOT NULL,
    year      INTEGER NOT NULL,
    last_seq  INTEGER NOT NULL,
    PRIMARY KEY (site_code, year)
);

CREATE TABLE complaint_numbers (
    complaint_id TEXT    PRIMARY KEY,
    site_code    TEXT    NOT NULL,
    year         INTEGER NOT NULL,
    seq          INTEGER NOT NULL,
    number       TEXT    NOT NULL UNIQUE,
    UNIQUE (site_code, year, seq)
);

-- Projection: the current state of each complaint (a fold of its events), for listing.
CREATE TABLE complaints (
    id                 TEXT    PRIMARY KEY,
    site_code          TEXT    NOT NULL,
    number             TEXT    UNIQUE,
    provisional_number TEXT    NOT NULL,
    status             TEXT    NOT NULL,
    severity           TEXT    NOT NULL,
    category           TEXT    NOT NULL,
    channel            TEXT    NOT NULL,
    location           TEXT    NOT NULL,
    description        TEXT    NOT NULL,
    created_by         TEXT    NOT NULL,
    captured_at        INTEGER NOT NULL,
    received_at        INTEGER NOT NULL,
    updated_at         INTEGER NOT NULL,
    state_json         TEXT    NOT NULL
);
CREATE INDEX complaints_captured ON complaints (captured_at DESC);
CREATE INDEX complaints_status ON complaints (status);
