-- Report roll-ups: per site, month (China time) and breakdown (`all`, `category`, `department`,
-- `severity`, `channel`, `status`), the counters of `siteline_model::report::Tally` without
-- the report's "now" (open complaints past a limit are added when a report is read). Kept by
-- the trigger below on every write of a projection row (push, escalation, repeat mark,
-- re-fold), the same definition as SQLite's triggers; the storage conformance suite checks
-- both against `Tally::add` over the complaints themselves. A report reads a few thousand cells
-- instead of every complaint of its range.
CREATE TABLE report_cells (
    site_code           TEXT    NOT NULL,
    month               INTEGER NOT NULL,
    dim                 TEXT    NOT NULL,
    key                 TEXT    NOT NULL,
    count               BIGINT  NOT NULL,
    effective           BIGINT  NOT NULL,
    closed              BIGINT  NOT NULL,
    withdrawn_or_merged BIGINT  NOT NULL,
    on_time             BIGINT  NOT NULL,
    late                BIGINT  NOT NULL,
    followed_up         BIGINT  NOT NULL,
    satisfied           BIGINT  NOT NULL,
    repeat              BIGINT  NOT NULL,
    major               BIGINT  NOT NULL,
    reply_minutes       BIGINT  NOT NULL,
    replied             BIGINT  NOT NULL,
    close_minutes       BIGINT  NOT NULL,
    PRIMARY KEY (month, site_code, dim, key)
);

-- Adds (sign 1) or takes away (sign -1) one projection row's share of its cells.
CREATE FUNCTION report_cells_apply(r complaints, sign BIGINT) RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO report_cells AS c (site_code, month, dim, key, count, effective, closed,
        withdrawn_or_merged, on_time, late, followed_up, satisfied, repeat, major,
        reply_minutes, replied, close_minutes)
    SELECT r.site_code, r.month, d.dim, d.key,
        sign,
        sign * (r.nature = 'effective')::int,
        sign * (r.status = 'closed')::int,
        sign * (r.status IN ('withdrawn', 'merged'))::int,
        sign * (NOT r.late AND r.open_due_at IS NULL)::int,
        sign * (r.late)::int,
        sign * (r.satisfaction IS NOT NULL)::int,
        sign * coalesce(r.satisfaction IN ('satisfied', 'basic'), false)::int,
        sign * (r.is_repeat)::int,
        sign * (r.severity = 'major')::int,
        sign * (CASE WHEN r.replied_at IS NULL THEN 0
                     ELSE GREATEST(r.replied_at - r.captured_at, 0) / 60000 END),
        sign * (r.replied_at IS NOT NULL)::int,
        sign * (CASE WHEN r.status = 'closed' AND r.closed_at IS NOT NULL
                     THEN GREATEST(r.closed_at - r.captured_at, 0) / 60000 ELSE 0 END)
    FROM (VALUES ('all', ''), ('category', r.category_top),
                 ('department', coalesce(r.department, '')), ('severity', r.severity),
                 ('channel', r.channel), ('status', r.status)) AS d (dim, key)
    ON CONFLICT (month, site_code, dim, key) DO UPDATE SET
        count = c.count + EXCLUDED.count,
        effective = c.effective + EXCLUDED.effective,
        closed = c.closed + EXCLUDED.closed,
        withdrawn_or_merged = c.withdrawn_or_merged + EXCLUDED.withdrawn_or_merged,
        on_time = c.on_time + EXCLUDED.on_time,
        late = c.late + EXCLUDED.late,
        followed_up = c.followed_up + EXCLUDED.followed_up,
        satisfied = c.satisfied + EXCLUDED.satisfied,
        repeat = c.repeat + EXCLUDED.repeat,
        major = c.major + EXCLUDED.major,
        reply_minutes = c.reply_minutes + EXCLUDED.reply_minutes,
        replied = c.replied + EXCLUDED.replied,
        close_minutes = c.close_minutes + EXCLUDED.close_minutes;
END $$;

CREATE FUNCTION complaints_report_cells() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        PERFORM report_cells_apply(OLD, -1);
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
        PERFORM report_cells_apply(NEW, 1);
    END IF;
    RETURN NULL;
END $$;

CREATE TRIGGER complaints_report_insert AFTER INSERT OR DELETE ON complaints
    FOR EACH ROW EXECUTE FUNCTION complaints_report_cells();
CREATE TRIGGER complaints_report_update AFTER UPDATE ON complaints
    FOR EACH ROW
    WHEN ((OLD.site_code, OLD.month, OLD.category_top, OLD.department, OLD.severity,
           OLD.channel, OLD.status, OLD.nature, OLD.satisfaction, OLD.late, OLD.open_due_at,
           OLD.replied_at, OLD.closed_at, OLD.is_repeat, OLD.captured_at)
          IS DISTINCT FROM
          (NEW.site_code, NEW.month, NEW.category_top, NEW.department, NEW.severity,
           NEW.channel, NEW.status, NEW.nature, NEW.satisfaction, NEW.late, NEW.open_due_at,
           NEW.replied_at, NEW.closed_at, NEW.is_repeat, NEW.captured_at))
    EXECUTE FUNCTION complaints_report_cells();

-- The complaints already stored.
SELECT report_cells_apply(c, 1) FROM complaints c;
