-- Each activity's domain as a column (SQLite migrations/014_activity_domain.sql says why).
ALTER TABLE text_activities ADD COLUMN domain text;
UPDATE text_activities SET domain = attrs::jsonb->>'domain';
