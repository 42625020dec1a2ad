-- The words of the full-text index, for rewriting a prefix query (visit*) into an OR of the
-- words it stands for (store/fts_prefix.py): FTS5 merges a prefix's doclists eagerly, an OR lazily.
CREATE VIRTUAL TABLE docs_fts_terms USING fts5vocab(docs_fts, row);
