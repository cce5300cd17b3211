-- Siteline schema v4 (SQLite): report facts beside each projection row, and indexes for the
-- board and the reports at scale. Rows written by an older server get them when re-folded
-- (FOLD_VERSION 4), which the server does when the store opens.

ALTER TABLE complaints ADD COLUMN category_top TEXT NOT NULL DEFAULT '';
-- yyyymm of capture in China time.
ALTER TABLE complaints ADD COLUMN month INTEGER NOT NULL DEFAULT 0;
ALTER TABLE complaints ADD COLUMN replied_at INTEGER NULL;
ALTER TABLE complaints ADD COLUMN closed_at INTEGER NULL;
ALTER TABLE complaints ADD COLUMN satisfaction TEXT NULL;
-- Some time limit was met only after it ran out.
ALTER TABLE complaints ADD COLUMN late INTEGER NOT NULL DEFAULT 0;
-- Earliest due time of limits not met yet (late once a report's "now" passes it).
ALTER TABLE complaints ADD COLUMN open_due_at INTEGER NULL;
ALTER TABLE complaints ADD COLUMN is_repeat INTEGER NOT NULL DEFAULT 0;

-- Board: a site's complaints in a status, newest first.
CREATE INDEX complaints_site_status ON complaints (site_code, status, captured_at);
-- Reports: one covering index over the capture range, so aggregates never touch the rows.
CREATE INDEX complaints_report ON complaints (
    captured_at, site_code, month, category_top, department, severity, channel, status, nature,
    satisfaction, late, open_due_at, replied_at, closed_at, is_repeat, category, location_key
);
