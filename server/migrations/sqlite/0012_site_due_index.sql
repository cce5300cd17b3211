-- "Overdue now" per site as an index range: a site's complaints whose next due instant (a limit
-- still running) has passed. The board's `overdue=true` for one site reads only those.
CREATE INDEX complaints_site_due ON complaints (site_code, open_due_at)
    WHERE open_due_at IS NOT NULL;
