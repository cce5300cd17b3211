-- Failed sign-ins by key (`user:<name>`, `addr:<ip>`), shared by every server on the database;
-- rows older than the window are dropped as keys fail again.
CREATE TABLE login_failures (
    key TEXT   NOT NULL,
    at  BIGINT NOT NULL
);
CREATE INDEX login_failures_key ON login_failures (key, at);
