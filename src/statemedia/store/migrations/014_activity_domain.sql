-- Each activity's domain (economic, military, ...) as a column (issue 16): the monthly view counts
-- a leader's activities by month, kind and domain, and read every activity's attributes in Python
-- for it (seconds for a leader's tens of thousands of activities, docs/workbench.md). Kept by the write path
-- (store/batch.py) like kind and day.
ALTER TABLE text_activities ADD COLUMN domain TEXT;
UPDATE text_activities SET domain = json_extract(attrs, '$.domain');
