-- The fold version every projection row is known to have: the server scans `complaints` for
-- stale rows at start only while this is below its own, then raises it (no scan of a large
-- projection on every start). 0 = not checked yet.
CREATE TABLE projection_meta (
    id           INTEGER PRIMARY KEY CHECK (id = 1),
    fold_version INTEGER NOT NULL
);
INSERT INTO projection_meta (id, fold_version) VALUES (1, 0);
