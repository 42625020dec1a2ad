-- The statements a page of the whole corpus's claims shows, kept per claim beside its summary
-- (store/layers.py, SHOWN): the first and the latest SHOWN_STATEMENTS, as JSON [[doc_pk, ord, r,
-- latest], ...] (r: the statement's place from the first, latest: from the latest). Numbering a
-- most-stated claim's thousands of statements per request was most of a /claims page's time at 1M
-- stories (docs/workbench.md, "Claims at 1M"); kept by the write path for the claims its batch
-- touches and filled for a store made before by this migration's Python step.
ALTER TABLE claim_groups ADD COLUMN shown TEXT;
