-- Siteline schema v14 (SQLite): upload staging moves from files into the database, so that a
-- chunk of an upload can be taken by whichever server process it reaches. `received` is the
-- number of bytes staged; each chunk is a row. Uploads under way at the upgrade had their bytes
-- in files: they are forgotten, and their clients are told to start again (404 on the next chunk).
DELETE FROM uploads;
ALTER TABLE uploads ADD COLUMN received INTEGER NOT NULL DEFAULT 0;
CREATE TABLE upload_chunks (
    upload_id TEXT    NOT NULL REFERENCES uploads (id) ON DELETE CASCADE,
    at_byte   INTEGER NOT NULL,
    bytes     BLOB    NOT NULL,
    PRIMARY KEY (upload_id, at_byte)
);
