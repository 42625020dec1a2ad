-- /changes, its feed, /api/changes and the alerts (issue 16) pair each version with the one
-- before it. Only versions after the first have one, and almost every document is a first
-- version: this partial index holds the later versions alone, by the time each was first seen,
-- so the edits, their day counts and the removals start from them rather than from every
-- document (docs/workbench.md, "Measured"). analytics/changes.py says "n.version > 1" in each
-- statement for the planner to use it.
CREATE INDEX documents_later ON documents(first_seen) WHERE version > 1;

-- Restorations are listed and counted by the day back: only restored rows have one.
CREATE INDEX withdrawals_restored ON withdrawals(restored_on, withdrawal_pk) WHERE restored_on IS NOT NULL;
