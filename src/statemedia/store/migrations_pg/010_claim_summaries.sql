-- Each claim's summary kept beside its judgement (store/layers.py, KEPT and SUMMARY): the
-- SQLite migration of the same name says why.
ALTER TABLE claim_groups
    ADD COLUMN statements bigint,
    ADD COLUMN first date,
    ADD COLUMN low double precision,
    ADD COLUMN high double precision,
    ADD COLUMN stated text,
    ADD COLUMN change_day date,
    ADD COLUMN change_low double precision,
    ADD COLUMN change_high double precision,
    ADD COLUMN prior_day date,
    ADD COLUMN prior_low double precision,
    ADD COLUMN prior_high double precision;
