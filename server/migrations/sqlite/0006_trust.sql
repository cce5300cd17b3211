-- Siteline schema v6 (SQLite): the trust boundary. Users belong to sites and can be disabled;
-- every event carries its complaint's site (scoped pull by index); handlers read the complaints
-- their department ever had (`complaint_departments`, with the seq from which it is theirs).

ALTER TABLE users ADD COLUMN disabled INTEGER NOT NULL DEFAULT 0 CHECK (disabled IN (0, 1));

CREATE TABLE user_sites (
    user_id   INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    site_code TEXT    NOT NULL REFERENCES sites (code) ON DELETE CASCADE,
    PRIMARY KEY (user_id, site_code)
);
-- Before this version everyone worked at every site: keep that for the users there are.
INSERT INTO user_sites (user_id, site_code)
    SELECT u.id, s.code FROM users u, sites s WHERE u.role <> 'admin';

ALTER TABLE events ADD COLUMN site_code TEXT NULL;
UPDATE events SET site_code = (SELECT c.site_code FROM complaints c WHERE c.id = events.complaint_id);
CREATE INDEX events_site_seq ON events (site_code, seq);

-- A department may read a complaint from the moment it was first dispatched (or transferred)
-- to it: events up to `since_seq` reach its handlers' devices at `since_seq` in their pull order.
-- Filled from the fold when projections are written (the fold version bump re-folds all).
CREATE TABLE complaint_departments (
    complaint_id TEXT    NOT NULL,
    department   TEXT    NOT NULL,
    site_code    TEXT    NOT NULL,
    since_seq    INTEGER NOT NULL,
    PRIMARY KEY (complaint_id, department)
);
CREATE INDEX complaint_departments_pull ON complaint_departments (department, site_code, since_seq);
