-- A short GIN pending list: every search scans the whole pending list and rechecks each
-- entry until it is merged into the tree. With the default 4 MB, right after an ingest
-- (bench/engines.py, 22,333 KCNA stories, before autovacuum merged it) the 19 bench queries
-- took p50 84-86 ms against 11 ms after VACUUM. fastupdate = off (no list) fixed search but
-- halved the raw ingest (1,284 -> 663 articles/s); 256 kB merges ~1 batch at a time.
ALTER INDEX documents_fts SET (gin_pending_list_limit = 256);
