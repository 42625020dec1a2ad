-- Entity pages and trends (issue 16), read from indexes rather than from the documents' rows
-- (docs/workbench.md, "Measured").

-- An entity's articles by day of publication: from its mentions through each text's documents,
-- with the day beside the text. It serves every look-up by text the old index served.
DROP INDEX IF EXISTS documents_text;
CREATE INDEX documents_text_published ON documents(text_pk, published);

-- Trends of a term count every match by day: each match's day, by its document key.
CREATE INDEX documents_pk_published ON documents(doc_pk, published);

-- Trends and filters by a person's name match it in any case: lower(name) is what they compare.
CREATE INDEX text_entities_lower_name ON text_entities(lower(name));
