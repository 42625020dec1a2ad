-- Search facets and trends (issue 16) read up to [web] facet_matches matches by their document
-- key: each one's day, outlet, language and text, from this index rather than from the documents'
-- rows, whose titles, URLs and metadata spread a few rows over each page (docs/workbench.md,
-- "Search at 1M stories"). It replaces the (doc_pk, published) index of 006 that trends read; sqlite_search.py
-- names it (INDEXED BY).
DROP INDEX IF EXISTS documents_pk_published;
CREATE INDEX documents_pk_facets ON documents(doc_pk, published, outlet, language, text_pk);

-- The person facet reads each matched text's people: with the type beside the text key (and the
-- entity, the table's key), from the index alone. It serves every look-up by text the old one did.
DROP INDEX IF EXISTS text_entities_text;
CREATE INDEX text_entities_text_type ON text_entities(text_pk, type);
