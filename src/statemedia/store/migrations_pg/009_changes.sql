-- The same as migrations/009_changes.sql (SQLite): the later versions of articles alone, by the
-- time each was first seen, for /changes to pair with the versions before them; and restored
-- withdrawals by the day back. analytics/changes.py says "n.version > 1" in each statement for
-- the planner to use the first.
CREATE INDEX documents_later ON documents(first_seen) WHERE version > 1;
CREATE INDEX withdrawals_restored ON withdrawals(restored_on, withdrawal_pk) WHERE restored_on IS NOT NULL;
