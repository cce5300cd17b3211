-- Siteline schema (PostgreSQL), in the shape the SQLite migrations 0001–0013 reached. Times are
-- unix milliseconds (UTC, bigint); ids are UUID text, as on the wire and in SQLite.

CREATE TABLE users (
    id            BIGSERIAL PRIMARY KEY,
    username      TEXT    NOT NULL UNIQUE,
    display_name  TEXT    NOT NULL,
    role          TEXT    NOT NULL CHECK (role IN ('admin', 'supervisor', 'staff', 'handler')),
    department    TEXT    NULL,
    password_hash TEXT    NOT NULL,
    created_at    BIGINT  NOT NULL,
    disabled      BOOLEAN NOT NULL DEFAULT FALSE,
    CHECK (role <> 'handler' OR department IS NOT NULL)
);

-- Bearer sessions: only the SHA-256 (hex) of the token is kept.
CREATE TABLE sessions (
    token_hash TEXT   PRIMARY KEY,
    user_id    BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL
);
CREATE INDEX sessions_user ON sessions (user_id);
CREATE INDEX sessions_expiry ON sessions (expires_at);

CREATE TABLE device_keys (
    key_hash   TEXT   PRIMARY KEY,
    user_id    BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    device_id  TEXT   NOT NULL,
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL
);
CREATE INDEX device_keys_user ON device_keys (user_id, device_id);

CREATE TABLE sites (
    code        TEXT    PRIMARY KEY,
    name        TEXT    NOT NULL,
    is_default  BOOLEAN NOT NULL DEFAULT FALSE,
    created_at  BIGINT  NOT NULL,
    policy_json TEXT    NULL,
    hours_json  TEXT    NULL
);
CREATE UNIQUE INDEX sites_one_default ON sites (is_default) WHERE is_default;

CREATE TABLE locations (
    id        BIGSERIAL PRIMARY KEY,
    site_code TEXT    NOT NULL REFERENCES sites (code) ON DELETE CASCADE,
    parent_id BIGINT  REFERENCES locations (id) ON DELETE CASCADE,
    name      TEXT    NOT NULL,
    sort      INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX locations_site ON locations (site_code, parent_id, sort);

CREATE TABLE site_days (
    site_code TEXT NOT NULL REFERENCES sites (code) ON DELETE CASCADE,
    date      TEXT NOT NULL CHECK (date ~ '^[0-9]{4}-[0-9]{2}-[0-9]{2}$'),
    kind      TEXT NOT NULL CHECK (kind IN ('off', 'work')),
    PRIMARY KEY (site_code, date)
);

CREATE TABLE site_categories (
    ord       BIGINT GENERATED ALWAYS AS IDENTITY,
    site_code TEXT NOT NULL REFERENCES sites (code) ON DELETE CASCADE,
    code      TEXT NOT NULL,
    parent    TEXT NOT NULL,
    zh        TEXT NOT NULL,
    en        TEXT NOT NULL,
    PRIMARY KEY (site_code, code)
);

CREATE TABLE user_sites (
    user_id   BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    site_code TEXT   NOT NULL REFERENCES sites (code) ON DELETE CASCADE,
    PRIMARY KEY (user_id, site_code)
);

-- The append-only event log. `seq` is the pull cursor: an identity, assigned only while the
-- ingest advisory lock is held (see store/postgres/steps.rs), so seqs commit in order and a
-- pull by `seq > cursor` never skips one that commits later.
CREATE TABLE events (
    seq          BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    id           TEXT   NOT NULL UNIQUE,
    complaint_id TEXT   NOT NULL,
    kind         TEXT   NOT NULL,
    author       TEXT   NOT NULL,
    device_id    TEXT   NOT NULL,
    lamport      BIGINT NOT NULL,
    captured_at  BIGINT NOT NULL,
    received_at  BIGINT NOT NULL,
    body         TEXT   NOT NULL,
    site_code    TEXT   NULL
);
CREATE INDEX events_complaint ON events (complaint_id, seq);
CREATE INDEX events_site_seq ON events (site_code, seq);

CREATE TABLE number_counters (
    site_code TEXT    NOT NULL,
    year      INTEGER NOT NULL,
    last_seq  BIGINT  NOT NULL,
    PRIMARY KEY (site_code, year)
);

CREATE TABLE complaint_numbers (
    complaint_id TEXT    PRIMARY KEY,
    site_code    TEXT    NOT NULL,
    year         INTEGER NOT NULL,
    seq          BIGINT  NOT NULL,
    number       TEXT    NOT NULL UNIQUE,
    UNIQUE (site_code, year, seq)
);

-- Projection: the current state of each complaint (a fold of its events) and what lists,
-- boards, repeat detection and reports read of it (written by the ingest core's
-- `ProjectionRow`).
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
    captured_at        BIGINT  NOT NULL,
    received_at        BIGINT  NOT NULL,
    updated_at         BIGINT  NOT NULL,
    state_json         TEXT    NOT NULL,
    department         TEXT    NULL,
    nature             TEXT    NOT NULL DEFAULT 'effective',
    phone              TEXT    NULL,
    location_key       TEXT    NOT NULL DEFAULT '',
    fold_version       BIGINT  NOT NULL DEFAULT 0,
    category_top       TEXT    NOT NULL DEFAULT '',
    month              INTEGER NOT NULL DEFAULT 0,
    replied_at         BIGINT  NULL,
    closed_at          BIGINT  NULL,
    satisfaction       TEXT    NULL,
    late               BOOLEAN NOT NULL DEFAULT FALSE,
    open_due_at        BIGINT  NULL,
    is_repeat          BOOLEAN NOT NULL DEFAULT FALSE,
    reply_work_min     BIGINT  NULL,
    close_work_min     BIGINT  NULL
);
CREATE INDEX complaints_captured ON complaints (captured_at DESC);
CREATE INDEX complaints_site_phone ON complaints (site_code, phone, captured_at)
    WHERE phone IS NOT NULL;
CREATE INDEX complaints_site_place ON complaints (site_code, location_key, category, captured_at);
CREATE INDEX complaints_site_age ON complaints (site_code, captured_at);
CREATE INDEX complaints_department ON complaints (department);
CREATE INDEX complaints_site_status ON complaints (site_code, status, captured_at);
CREATE INDEX complaints_site_due ON complaints (site_code, open_due_at)
    WHERE open_due_at IS NOT NULL;
CREATE INDEX complaints_site_month_times
    ON complaints (site_code, month, status, captured_at, replied_at, closed_at, reply_work_min,
                   close_work_min);
CREATE INDEX complaints_unresolved ON complaints (captured_at)
    WHERE nature = 'effective' AND severity <> 'major';

CREATE TABLE projection_meta (
    id           INTEGER PRIMARY KEY CHECK (id = 1),
    fold_version BIGINT  NOT NULL
);
INSERT INTO projection_meta (id, fold_version) VALUES (1, 0);

CREATE TABLE complaint_escalations (
    complaint_id TEXT   NOT NULL,
    rule         TEXT   NOT NULL,
    event_id     TEXT   NOT NULL,
    created_at   BIGINT NOT NULL,
    PRIMARY KEY (complaint_id, rule)
);

CREATE TABLE complaint_departments (
    complaint_id TEXT   NOT NULL,
    department   TEXT   NOT NULL,
    site_code    TEXT   NOT NULL,
    since_seq    BIGINT NOT NULL,
    PRIMARY KEY (complaint_id, department)
);
CREATE INDEX complaint_departments_pull ON complaint_departments (department, site_code);

CREATE TABLE attachments (
    sha256       TEXT   PRIMARY KEY CHECK (length(sha256) = 64),
    size         BIGINT NOT NULL,
    content_type TEXT   NOT NULL,
    stored_at    BIGINT NOT NULL,
    stored_by    TEXT   NOT NULL
);

CREATE TABLE complaint_attachments (
    complaint_id TEXT NOT NULL,
    sha256       TEXT NOT NULL,
    PRIMARY KEY (complaint_id, sha256)
);
CREATE INDEX complaint_attachments_sha ON complaint_attachments (sha256);

CREATE TABLE uploads (
    id         TEXT   PRIMARY KEY,
    user_id    BIGINT NOT NULL,
    sha256     TEXT   NOT NULL,
    size       BIGINT NOT NULL,
    created_at BIGINT NOT NULL,
    UNIQUE (user_id, sha256)
);
CREATE INDEX uploads_created ON uploads (created_at);

CREATE TABLE event_imports (
    event_id    TEXT   PRIMARY KEY,
    imported_by TEXT   NOT NULL,
    device_id   TEXT   NOT NULL,
    exported_at BIGINT NOT NULL,
    imported_at BIGINT NOT NULL
);

CREATE TABLE shares (
    id             TEXT    PRIMARY KEY,
    token_hash     TEXT    NOT NULL UNIQUE,
    created_by     BIGINT  NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    site_code      TEXT,
    scope_sites    TEXT,
    from_month     INTEGER NOT NULL,
    to_month       INTEGER NOT NULL,
    period         TEXT    NOT NULL,
    label          TEXT    NOT NULL DEFAULT '',
    created_at     BIGINT  NOT NULL,
    expires_at     BIGINT  NOT NULL,
    revoked_at     BIGINT,
    open_count     BIGINT  NOT NULL DEFAULT 0,
    last_opened_at BIGINT
);
CREATE INDEX shares_created_by ON shares (created_by, created_at);

CREATE TABLE device_reports (
    device_id         TEXT    NOT NULL,
    user_id           BIGINT  NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    app_version       TEXT    NOT NULL,
    last_seen         BIGINT  NOT NULL,
    pending_records   BIGINT  NOT NULL,
    oldest_pending_at BIGINT,
    storage_used      BIGINT,
    storage_quota     BIGINT,
    persisted         BOOLEAN,
    PRIMARY KEY (device_id, user_id)
);
CREATE INDEX device_reports_seen ON device_reports (last_seen);
