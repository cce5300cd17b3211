-- Upload staging in the database: any server process can take the next chunk of an upload.
-- `received` is the number of bytes staged; each chunk is a row (deleted with its upload).
DELETE FROM uploads;
ALTER TABLE uploads ADD COLUMN received BIGINT NOT NULL DEFAULT 0;
CREATE TABLE upload_chunks (
    upload_id TEXT   NOT NULL REFERENCES uploads (id) ON DELETE CASCADE,
    at_byte   BIGINT NOT NULL,
    bytes     BYTEA  NOT NULL,
    PRIMARY KEY (upload_id, at_byte)
);
