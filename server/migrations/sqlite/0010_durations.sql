-- Working minutes from capture to the first reply and to closure (the site's calendar and
-- hours), kept per complaint for the reports' working-hour averages and medians. Existing rows
-- are filled when the server re-folds them (FOLD_VERSION 6).
ALTER TABLE complaints ADD COLUMN reply_work_min INTEGER NULL;
ALTER TABLE complaints ADD COLUMN close_work_min INTEGER NULL;
