-- Keep each document's search vector in its row (STORAGE MAIN, rows up to a page) instead of
-- the TOAST table: tsvectors do not compress, so most went out of line uncompressed, and every
-- search read each candidate's vector through the TOAST index twice (the phrase recheck, then
-- ts_rank). Inline, the same read costs a copy from the row's page; broad queries ranking
-- 5,000 candidates spent most of their time there (issue 16, bench/search_pg.py).
-- Rows written before this migration keep their layout until rewritten (VACUUM FULL documents).
ALTER TABLE documents SET (toast_tuple_target = 8160);
ALTER TABLE documents ALTER COLUMN fts SET STORAGE MAIN;
