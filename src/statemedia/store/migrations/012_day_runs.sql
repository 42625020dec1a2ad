-- Each document's day of publication by its key, as runs (issue 16): a term's trend counts every
-- match by day, and reading each match's day from the documents' index cost a B-tree seek per
-- match and a sort of them all (a broad term at 1M stories, docs/workbench.md "Measured"). Stories
-- are stored in the order they are captured, which is nearly the order they were published (the
-- 22,333 KCNA stories of 2011-2012 make 703 runs; the 1M bench store 31,613), so the keys of one
-- day's stories mostly lie together: a run says that the documents from first_pk up to the next
-- run's first_pk were published on day. store/sqlite_search.py maps the FTS index's matches onto
-- the runs without reading the documents. A document's key and day never change, so a run changes
-- only when a document is added, by the trigger below, which also splits a run should a key ever
-- be added inside one.
CREATE TABLE day_runs (
    first_pk  INTEGER PRIMARY KEY,
    day       TEXT NOT NULL                  -- ISO day; '' for undated documents
);

INSERT INTO day_runs (first_pk, day)
    SELECT doc_pk, day FROM (
        SELECT doc_pk, coalesce(published, '') AS day,
               lag(coalesce(published, ''), 1, char(0)) OVER (ORDER BY doc_pk) AS before
        FROM documents
    ) WHERE day != before;

CREATE TRIGGER day_runs_document_added AFTER INSERT ON documents
    WHEN coalesce(NEW.published, '') IS NOT
         (SELECT day FROM day_runs WHERE first_pk <= NEW.doc_pk ORDER BY first_pk DESC LIMIT 1)
BEGIN
    -- A key inside a run (later documents exist): the rest of the run keeps its day.
    INSERT OR IGNORE INTO day_runs (first_pk, day)
        SELECT NEW.doc_pk + 1, day FROM day_runs WHERE first_pk <= NEW.doc_pk
               AND EXISTS (SELECT 1 FROM documents WHERE doc_pk > NEW.doc_pk)
        ORDER BY first_pk DESC LIMIT 1;
    INSERT OR REPLACE INTO day_runs (first_pk, day) VALUES (NEW.doc_pk, coalesce(NEW.published, ''));
END;
