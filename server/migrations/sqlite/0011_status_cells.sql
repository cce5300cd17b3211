-- Report cells gain a `status` breakdown (counts by status, issue 11): the triggers of 0004 are
-- recreated with it, and the cells of the complaints already stored are filled in once.
DROP TRIGGER complaints_report_insert;
DROP TRIGGER complaints_report_update;
DROP TRIGGER complaints_report_delete;

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
    FROM (SELECT 'all' AS dim, '' AS key UNION ALL SELECT 'category' AS dim, NEW.category_top AS key UNION ALL SELECT 'department' AS dim, coalesce(NEW.department, '') AS key UNION ALL SELECT 'severity' AS dim, NEW.severity AS key UNION ALL SELECT 'channel' AS dim, NEW.channel AS key UNION ALL SELECT 'status' AS dim, NEW.status AS key) AS d WHERE true
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
    FROM (SELECT 'all' AS dim, '' AS key UNION ALL SELECT 'category' AS dim, OLD.category_top AS key UNION ALL SELECT 'department' AS dim, coalesce(OLD.department, '') AS key UNION ALL SELECT 'severity' AS dim, OLD.severity AS key UNION ALL SELECT 'channel' AS dim, OLD.channel AS key UNION ALL SELECT 'status' AS dim, OLD.status AS key) AS d WHERE true
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
    FROM (SELECT 'all' AS dim, '' AS key UNION ALL SELECT 'category' AS dim, NEW.category_top AS key UNION ALL SELECT 'department' AS dim, coalesce(NEW.department, '') AS key UNION ALL SELECT 'severity' AS dim, NEW.severity AS key UNION ALL SELECT 'channel' AS dim, NEW.channel AS key UNION ALL SELECT 'status' AS dim, NEW.status AS key) AS d WHERE true
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
    FROM (SELECT 'all' AS dim, '' AS key UNION ALL SELECT 'category' AS dim, OLD.category_top AS key UNION ALL SELECT 'department' AS dim, coalesce(OLD.department, '') AS key UNION ALL SELECT 'severity' AS dim, OLD.severity AS key UNION ALL SELECT 'channel' AS dim, OLD.channel AS key UNION ALL SELECT 'status' AS dim, OLD.status AS key) AS d WHERE true
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

INSERT INTO report_cells (site_code, month, dim, key, count, effective, closed, withdrawn_or_merged, on_time, late, followed_up, satisfied, repeat, major, reply_minutes, replied, close_minutes)
SELECT site_code, month, 'status', status,
       COUNT(*),
       SUM(nature = 'effective'),
       SUM(status = 'closed'),
       SUM(status IN ('withdrawn', 'merged')),
       SUM(late = 0 AND open_due_at IS NULL),
       SUM(late = 1),
       SUM(satisfaction IS NOT NULL),
       SUM(coalesce(satisfaction IN ('satisfied', 'basic'), 0)),
       SUM(is_repeat),
       SUM(severity = 'major'),
       SUM(CASE WHEN replied_at IS NULL THEN 0 ELSE MAX(replied_at - captured_at, 0) / 60000 END),
       SUM(replied_at IS NOT NULL),
       SUM(CASE WHEN status = 'closed' AND closed_at IS NOT NULL THEN MAX(closed_at - captured_at, 0) / 60000 ELSE 0 END)
FROM complaints GROUP BY site_code, month, status;
