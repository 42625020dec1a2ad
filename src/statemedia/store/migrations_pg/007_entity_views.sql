-- Entity pages and trends (issue 16): an entity's articles by day of publication are read from
-- the index of each text's documents, with the day beside the text, rather than from every
-- document row of a frequent entity (index-only scans). It serves every look-up by text the
-- old index served. Names already match in any case through text_entities_name (lower(name)).
DROP INDEX IF EXISTS documents_text;
CREATE INDEX documents_text_published ON documents(text_pk, published);
