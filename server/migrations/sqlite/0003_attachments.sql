-- Siteline schema v3 (SQLite): attachments (content-addressed photos), resumable uploads, imports.

-- Attachments whose bytes are stored (in the attachment store, named by lowercase hex SHA-256).
-- A row is written only after the bytes are safely stored: it is what "have" means.
-- `content_type` is what the server sniffed from the bytes, not what the client said.
CREATE TABLE attachments (
    sha256       TEXT    PRIMARY KEY CHECK (length(sha256) = 64),
    size         INTEGER NOT NULL,
    content_type TEXT    NOT NULL,
    stored_at    INTEGER NOT NULL,
    stored_by    TEXT    NOT NULL
);

-- Which complaint references which attachment in its folded state (refreshed with the
-- projection; the attachment's bytes may not have arrived yet).
CREATE TABLE complaint_attachments (
    complaint_id TEXT NOT NULL,
    sha256       TEXT NOT NULL,
    PRIMARY KEY (complaint_id, sha256)
);
CREATE INDEX complaint_attachments_sha ON complaint_attachments (sha256);

-- Resumable uploads under way: at most one per user and file. The bytes received so far are in
-- the staging file `uploads/<id>` of the data directory; its length is the truth about `received`.
CREATE TABLE uploads (
    id         TEXT    PRIMARY KEY,
    user_id    INTEGER NOT NULL,
    sha256     TEXT    NOT NULL,
    size       INTEGER NOT NULL,
    created_at INTEGER NOT NULL,
    UNIQUE (user_id, sha256)
);
CREATE INDEX uploads_created ON uploads (created_at);

-- Events stored through an import of an "unsynced records" export: who imported them, and the
-- exporting device and time as the export said. Events keep their original author.
CREATE TABLE event_imports (
    event_id    TEXT    PRIMARY KEY,
    imported_by TEXT    NOT NULL,
    device_id   TEXT    NOT NULL,
    exported_at INTEGER NOT NULL,
    imported_at INTEGER NOT NULL
);
