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
-- Report roll-up: per site, month (China time) and breakdown (`all`, `category`, `department`,
-- `severity`, `channel`), the counters of `siteline_model::report::Tally`. Kept by the triggers
-- below, so every write of the projection (push, escalation, re-fold) keeps it exact; a report
-- reads a few thousand cells instead of a million rows. `late` here counts limits met late; open
-- complaints past a limit at report time are added by the report from `complaints_open_due`.
CREATE TABLE report_cells (
    site_code TEXT NOT NULL,
    month     INTEGER NOT NULL,
    dim       TEXT NOT NULL,
    key       TEXT NOT NULL,
    count INTEGER NOT NULL, effective INTEGER NOT NULL, closed INTEGER NOT NULL,
    withdrawn_or_merged INTEGER NOT NULL, on_time INTEGER NOT NULL, late INTEGER NOT NULL,
    followed_up INTEGER NOT NULL, satisfied INTEGER NOT NULL, repeat INTEGER NOT NULL,
    major INTEGER NOT NULL, reply_minutes INTEGER NOT NULL, replied INTEGER NOT NULL,
    close_minutes INTEGER NOT NULL,
    PRIMARY KEY (month, site_code, dim, key)
) WITHOUT ROWID;

CREATE TRIGGER complaints_report_insert AFTER INSERT ON complaints BEGIN
    INSERT INTO report_cells (site_code, month, dim, key, count, effective, closed, withdrawn_or_merged, on_time, late, followed_up, satisfied, repeat, major, reply_minutes, replied, close_minutes)
    SELECT NEW.site_code, NEW.month, d.dim, d.key,
           +(1),
           +(NEW.nature = 'effective'),
           +(NEW.status = 'closed'),
           +(NEW.status IN ('withdrawn', 'merged')),
           +(NEW.late = 0 AND NEW.open_due_at IS NULL),
           +(NEW.late = 1),
           +(NEW.satisfaction IS NOT NULL),
           +(coalesce(NEW.satisfaction IN ('satisfied', 'basic'), 0)),
           +(NEW.is_repeat),
           +(NEW.severity = 'major'),
           +(CASE WHEN NEW.replied_at IS NULL THEN 0 ELSE MAX(NEW.replied_at - NEW.captured_at, 0) / 60000 END),
           +(NEW.replied_at IS NOT NULL),
           +(CASE WHEN NEW.status = 'closed' AND NEW.closed_at IS NOT NULL THEN MAX(NEW.closed_at - NEW.captured_at, 0) / 60000 ELSE 0 END)
    FROM (SELECT 'all' AS dim, '' AS key UNION ALL SELECT 'category' AS dim, NEW.category_top AS key UNION ALL SELECT 'department' AS dim, coalesce(NEW.department, '') AS key UNION ALL SELECT 'severity' AS dim, NEW.severity AS key UNION ALL SELECT 'channel' AS dim, NEW.channel AS key) AS d WHERE true
    ON CONFLICT (month, site_code, dim, key) DO UPDATE SET
           count = count + excluded.count,
           effective = effective + excluded.effective,
           closed = closed + excluded.closed,
           withdrawn_or_merged = withdrawn_or_merged + excluded.withdrawn_or_merged,
           on_time = on_time + excluded.on_time,
           late = late + excluded.late,
           followed_up = followed_up + excluded.followed_up,
           satisfied = satisfied + excluded.satisfied,
           repeat = repeat + excluded.repeat,
           major = major + excluded.major,
           reply_minutes = reply_minutes + excluded.reply_minutes,
           replied = replied + excluded.replied,
           close_minutes = close_minutes + excluded.close_minutes;
END;

CREATE TRIGGER complaints_report_update AFTER UPDATE ON complaints
WHEN OLD.site_code IS NOT NEW.site_code OR OLD.month IS NOT NEW.month OR OLD.category_top IS NOT NEW.category_top OR OLD.department IS NOT NEW.department OR OLD.severity IS NOT NEW.severity OR OLD.channel IS NOT NEW.channel OR OLD.status IS NOT NEW.status OR OLD.nature IS NOT NEW.nature OR OLD.satisfaction IS NOT NEW.satisfaction OR OLD.late IS NOT NEW.late OR OLD.open_due_at IS NOT NEW.open_due_at OR OLD.replied_at IS NOT NEW.replied_at OR OLD.closed_at IS NOT NEW.closed_at OR OLD.is_repeat IS NOT NEW.is_repeat OR OLD.captured_at IS NOT NEW.captured_at
BEGIN
    INSERT INTO report_cells (site_code, month, dim, key, count, effective, closed, withdrawn_or_merged, on_time, late, followed_up, satisfied, repeat, major, reply_minutes, replied, close_minutes)
    SELECT OLD.site_code, OLD.month, d.dim, d.key,
           -(1),
           -(OLD.nature = 'effective'),
           -(OLD.status = 'closed'),
           -(OLD.status IN ('withdrawn', 'merged')),
           -(OLD.late = 0 AND OLD.open_due_at IS NULL),
           -(OLD.late = 1),
           -(OLD.satisfaction IS NOT NULL),
           -(coalesce(OLD.satisfaction IN ('satisfied', 'basic'), 0)),
           -(OLD.is_repeat),
           -(OLD.severity = 'major'),
           -(CASE WHEN OLD.replied_at IS NULL THEN 0 ELSE MAX(OLD.replied_at - OLD.captured_at, 0) / 60000 END),
           -(OLD.replied_at IS NOT NULL),
           -(CASE WHEN OLD.status = 'closed' AND OLD.closed_at IS NOT NULL THEN MAX(OLD.closed_at - OLD.captured_at, 0) / 60000 ELSE 0 END)
    FROM (SELECT 'all' AS dim, '' AS key UNION ALL SELECT 'category' AS dim, OLD.category_top AS key UNION ALL SELECT 'department' AS dim, coalesce(OLD.department, '') AS key UNION ALL SELECT 'severity' AS dim, OLD.severity AS key UNION ALL SELECT 'channel' AS dim, OLD.channel AS key) AS d WHERE true
    ON CONFLICT (month, site_code, dim, key) DO UPDATE SET
           count = count + excluded.count,
           effective = effective + excluded.effective,
           closed = closed + excluded.closed,
           withdrawn_or_merged = withdrawn_or_merged + excluded.withdrawn_or_merged,
           on_time = on_time + excluded.on_time,
           late = late + excluded.late,
           followed_up = followed_up + excluded.followed_up,
           satisfied = satisfied + excluded.satisfied,
           repeat = repeat + excluded.repeat,
           major = major + excluded.major,
           reply_minutes = reply_minutes + excluded.reply_minutes,
           replied = replied + excluded.replied,
           close_minutes = close_minutes + excluded.close_minutes;
    INSERT INTO report_cells (site_code, month, dim, key, count, effective, closed, withdrawn_or_merged, on_time, late, followed_up, satisfied, repeat, major, reply_minutes, replied, close_minutes)
    SELECT NEW.site_code, NEW.month, d.dim, d.key,
           +(1),
           +(NEW.nature = 'effective'),
           +(NEW.status = 'closed'),
           +(NEW.status IN ('withdrawn', 'merged')),
           +(NEW.late = 0 AND NEW.open_due_at IS NULL),
           +(NEW.late = 1),
           +(NEW.satisfaction IS NOT NULL),
           +(coalesce(NEW.satisfaction IN ('satisfied', 'basic'), 0)),
           +(NEW.is_repeat),
           +(NEW.severity = 'major'),
           +(CASE WHEN NEW.replied_at IS NULL THEN 0 ELSE MAX(NEW.replied_at - NEW.captured_at, 0) / 60000 END),
           +(NEW.replied_at IS NOT NULL),
           +(CASE WHEN NEW.status = 'closed' AND NEW.closed_at IS NOT NULL THEN MAX(NEW.closed_at - NEW.captured_at, 0) / 60000 ELSE 0 END)
    FROM (SELECT 'all' AS dim, '' AS key UNION ALL SELECT 'category' AS dim, NEW.category_top AS key UNION ALL SELECT 'department' AS dim, coalesce(NEW.department, '') AS key UNION ALL SELECT 'severity' AS dim, NEW.severity AS key UNION ALL SELECT 'channel' AS dim, NEW.channel AS key) AS d WHERE true
    ON CONFLICT (month, site_code, dim, key) DO UPDATE SET
           count = count + excluded.count,
           effective = effective + excluded.effective,
           closed = closed + excluded.closed,
           withdrawn_or_merged = withdrawn_or_merged + excluded.withdrawn_or_merged,
           on_time = on_time + excluded.on_time,
           late = late + excluded.late,
           followed_up = followed_up + excluded.followed_up,
           satisfied = satisfied + excluded.satisfied,
           repeat = repeat + excluded.repeat,
           major = major + excluded.major,
           reply_minutes = reply_minutes + excluded.reply_minutes,
           replied = replied + excluded.replied,
           close_minutes = close_minutes + excluded.close_minutes;
END;

CREATE TRIGGER complaints_report_delete AFTER DELETE ON complaints BEGIN
    INSERT INTO report_cells (site_code, month, dim, key, count, effective, closed, withdrawn_or_merged, on_time, late, followed_up, satisfied, repeat, major, reply_minutes, replied, close_minutes)
    SELECT OLD.site_code, OLD.month, d.dim, d.key,
           -(1),
           -(OLD.nature = 'effective'),
           -(OLD.status = 'closed'),
           -(OLD.status IN ('withdrawn', 'merged')),
           -(OLD.late = 0 AND OLD.open_due_at IS NULL),
           -(OLD.late = 1),
           -(OLD.satisfaction IS NOT NULL),
           -(coalesce(OLD.satisfaction IN ('satisfied', 'basic'), 0)),
           -(OLD.is_repeat),
           -(OLD.severity = 'major'),
           -(CASE WHEN OLD.replied_at IS NULL THEN 0 ELSE MAX(OLD.replied_at - OLD.captured_at, 0) / 60000 END),
           -(OLD.replied_at IS NOT NULL),
           -(CASE WHEN OLD.status = 'closed' AND OLD.closed_at IS NOT NULL THEN MAX(OLD.closed_at - OLD.captured_at, 0) / 60000 ELSE 0 END)
    FROM (SELECT 'all' AS dim, '' AS key UNION ALL SELECT 'category' AS dim, OLD.category_top AS key UNION ALL SELECT 'department' AS dim, coalesce(OLD.department, '') AS key UNION ALL SELECT 'severity' AS dim, OLD.severity AS key UNION ALL SELECT 'channel' AS dim, OLD.channel AS key) AS d WHERE true
    ON CONFLICT (month, site_code, dim, key) DO UPDATE SET
           count = count + excluded.count,
           effective = effective + excluded.effective,
           closed = closed + excluded.closed,
           withdrawn_or_merged = withdrawn_or_merged + excluded.withdrawn_or_merged,
           on_time = on_time + excluded.on_time,
           late = late + excluded.late,
           followed_up = followed_up + excluded.followed_up,
           satisfied = satisfied + excluded.satisfied,
           repeat = repeat + excluded.repeat,
           major = major + excluded.major,
           reply_minutes = reply_minutes + excluded.reply_minutes,
           replied = replied + excluded.replied,
           close_minutes = close_minutes + excluded.close_minutes;
END;

-- Open complaints with a limit still running: late once a report's "now" passes `open_due_at`.
CREATE INDEX complaints_open_due ON complaints (open_due_at, site_code, month)
    WHERE open_due_at IS NOT NULL AND late = 0;
-- Recurring problems of a site over a range: grouped straight off the index.
CREATE INDEX complaints_site_recurring ON complaints (site_code, location_key, category, month);
