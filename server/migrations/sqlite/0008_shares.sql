-- Shared read-only report links (issue 11): a supervisor's report (site or all of their sites,
-- whole months, breakdown period) reachable without login by a random token. Only the token's
-- SHA-256 is stored. `scope_sites` freezes the creator's sites at creation (JSON array; NULL:
-- an admin's link over every site); a link never reaches beyond them, nor beyond what its
-- creator may still read.
CREATE TABLE shares (
    id             TEXT    PRIMARY KEY,
    token_hash     TEXT    NOT NULL UNIQUE,
    created_by     INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    site_code      TEXT,
    scope_sites    TEXT,
    from_month     INTEGER NOT NULL,
    to_month       INTEGER NOT NULL,
    period         TEXT    NOT NULL,
    label          TEXT    NOT NULL DEFAULT '',
    created_at     INTEGER NOT NULL,
    expires_at     INTEGER NOT NULL,
    revoked_at     INTEGER,
    open_count     INTEGER NOT NULL DEFAULT 0,
    last_opened_at INTEGER
);
CREATE INDEX shares_created_by ON shares (created_by, created_at);
