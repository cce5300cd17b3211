-- Siteline schema v5 (PostgreSQL): 常用答复, a site's reply templates, kept with the site as one
-- JSON list (read with the site in the same query; edited read-modify-write under a row lock).
ALTER TABLE sites ADD COLUMN replies_json TEXT;
