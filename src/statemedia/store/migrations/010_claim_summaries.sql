-- Each claim's summary kept beside its judgement (store/layers.py, KEPT and SUMMARY), by the write
-- path for the claims its batch touches and, for a store made before, by this migration's Python
-- step: a page of the whole corpus's claims reads its summaries by key instead of aggregating every
-- statement of its claims per request (docs/workbench.md, "Measured"). A window of days or an
-- outlet still computes them from the statements.
ALTER TABLE claim_groups ADD COLUMN statements INTEGER;   -- statements in all
ALTER TABLE claim_groups ADD COLUMN first TEXT;           -- the first day stated
ALTER TABLE claim_groups ADD COLUMN low REAL;
ALTER TABLE claim_groups ADD COLUMN high REAL;
ALTER TABLE claim_groups ADD COLUMN stated TEXT;          -- JSON: each value once, by the day first stated
ALTER TABLE claim_groups ADD COLUMN change_day TEXT;      -- the latest story whose values differ from the one before
ALTER TABLE claim_groups ADD COLUMN change_low REAL;
ALTER TABLE claim_groups ADD COLUMN change_high REAL;
ALTER TABLE claim_groups ADD COLUMN prior_day TEXT;       -- the story before it
ALTER TABLE claim_groups ADD COLUMN prior_low REAL;
ALTER TABLE claim_groups ADD COLUMN prior_high REAL;
