-- Siteline schema v2 (SQLite): handlers with departments, site time-limit policy and calendar,
-- site categories, escalation bookkeeping, projection columns for filters and repeat detection.

-- users: add `department` and allow role `handler`. SQLite cannot alter a CHECK, so the table is
-- rebuilt keeping every row and id. `sessions` references users(id): it is rebuilt alongside,
-- pointing at the new table, so dropping the old users table cascades into nothing and every
-- session survives. Runs inside the migration's transaction with foreign keys on.
CREATE TABLE users_new (
    id            INTEGER PRIMARY KEY,
    username      TEXT    NOT NULL UNIQUE,
    display_name  TEXT    NOT NULL,
    role          TEXT    NOT NULL CHECK (role IN ('admin', 'supervisor', 'staff', 'handler')),
    department    TEXT    NULL,
    password_hash TEXT    NOT NULL,
    created_at    INTEGER NOT NULL,
    CHECK (role <> 'handler' OR department IS NOT NULL)
);
INSERT INTO users_new (id, username, display_name, role, department, password_hash, created_at)
    SELECT id, username, display_name, role, NULL, password_hash, created_at FROM users;

CREATE TABLE sessions_new (
    token_hash TEXT    PRIMARY KEY,
    user_id    INTEGER NOT NULL REFERENCES users_new (id) ON DELETE CASCADE,
    created_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL
);
INSERT INTO sessions_new (token_hash, user_id, created_at, expires_at)
    SELECT token_hash, user_id, created_at, expires_at FROM sessions;

DROP TABLE sessions;
DROP TABLE users;
-- Renaming rewrites the foreign key of sessions_new to `users` (SQLite >= 3.26).
ALTER TABLE users_new RENAME TO users;
ALTER TABLE sessions_new RENAME TO sessions;
CREATE INDEX sessions_user ON sessions (user_id);
CREATE INDEX sessions_expiry ON sessions (expires_at);

-- Per-site time limits (serialized `Policy`) and working hours (`WorkingHours`); NULL = defaults.
ALTER TABLE sites ADD COLUMN policy_json TEXT NULL;
ALTER TABLE sites ADD COLUMN hours_json TEXT NULL;

-- A site's own days off / working days on top of the national calendar.
CREATE TABLE site_days (
    site_code TEXT NOT NULL REFERENCES sites (code) ON DELETE CASCADE,
    date      TEXT NOT NULL CHECK (date GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),
    kind      TEXT NOT NULL CHECK (kind IN ('off', 'work')),
    PRIMARY KEY (site_code, date)
);

-- Categories a site added (`custom.<slug>`) under a built-in top-level category.
CREATE TABLE site_categories (
    site_code TEXT NOT NULL REFERENCES sites (code) ON DELETE CASCADE,
    code      TEXT NOT NULL,
    parent    TEXT NOT NULL,
    zh        TEXT NOT NULL,
    en        TEXT NOT NULL,
    PRIMARY KEY (site_code, code)
);

-- Automatic escalations written by the server: at most one per rule and complaint.
CREATE TABLE complaint_escalations (
    complaint_id TEXT    NOT NULL,
    rule         TEXT    NOT NULL,
    event_id     TEXT    NOT NULL,
    created_at   INTEGER NOT NULL,
    PRIMARY KEY (complaint_id, rule)
);

-- Projection columns for filters, escalation scans and repeat-complaint candidates.
-- `fold_version` below the server's current one makes the server re-fold the row at start.
ALTER TABLE complaints ADD COLUMN department TEXT NULL;
ALTER TABLE complaints ADD COLUMN nature TEXT NOT NULL DEFAULT 'effective';
ALTER TABLE complaints ADD COLUMN phone TEXT NULL;
ALTER TABLE complaints ADD COLUMN location_key TEXT NOT NULL DEFAULT '';
ALTER TABLE complaints ADD COLUMN fold_version INTEGER NOT NULL DEFAULT 0;
CREATE INDEX complaints_site_phone ON complaints (site_code, phone, captured_at)
    WHERE phone IS NOT NULL;
CREATE INDEX complaints_site_place ON complaints (site_code, location_key, category, captured_at);
CREATE INDEX complaints_site_age ON complaints (site_code, captured_at);
CREATE INDEX complaints_department ON complaints (department);
