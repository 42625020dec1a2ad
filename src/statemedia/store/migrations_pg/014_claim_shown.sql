-- The statements a page of the whole corpus's claims shows (SQLite migrations/015_claim_shown.sql
-- says why), as JSON text.
ALTER TABLE claim_groups ADD COLUMN shown text;
