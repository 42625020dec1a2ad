-- The corpus: articles (identity), their versions (documents), texts stored once by
-- content hash, annotations per text, entity side table, near-duplicate band keys, runs.

CREATE TABLE articles (
    article_pk   INTEGER PRIMARY KEY,
    key          TEXT NOT NULL UNIQUE,      -- outlet + record id (or URL when that is the id)
    first_seen   TEXT NOT NULL,
    last_seen    TEXT NOT NULL,
    current_pk   INTEGER                    -- documents.doc_pk of the newest version
);

-- One row per distinct clean text: identical content is stored and analysed once.
CREATE TABLE texts (
    text_pk          INTEGER PRIMARY KEY,
    hash             TEXT NOT NULL UNIQUE,  -- sha256 of the text (model.content_hash)
    text             TEXT NOT NULL,
    group_pk         INTEGER NOT NULL,      -- duplicate group: text_pk of its first member
    pipeline_version TEXT,                  -- NULL: not analysed yet
    analysed_at      TEXT
);
CREATE INDEX texts_group ON texts(group_pk);
CREATE INDEX texts_pipeline ON texts(pipeline_version);

-- One row per version of an article.
CREATE TABLE documents (
    doc_pk      INTEGER PRIMARY KEY,
    article_pk  INTEGER NOT NULL REFERENCES articles(article_pk),
    version     INTEGER NOT NULL,
    doc_id      TEXT NOT NULL,
    text_pk     INTEGER NOT NULL REFERENCES texts(text_pk),
    title       TEXT,
    outlet      TEXT,
    url         TEXT,
    published   TEXT,                       -- ISO date
    language    TEXT,
    source      TEXT,                       -- JSON: raw, media_type, encoding, location
    meta        TEXT NOT NULL DEFAULT '{}', -- JSON
    first_seen  TEXT NOT NULL,
    last_seen   TEXT NOT NULL,
    run_pk      INTEGER,
    is_current  INTEGER NOT NULL DEFAULT 1,
    UNIQUE (article_pk, version)
);
CREATE INDEX documents_doc_id ON documents(doc_id);
CREATE INDEX documents_text ON documents(text_pk);
CREATE INDEX documents_published ON documents(published);

CREATE TABLE annotations (
    text_pk   INTEGER NOT NULL REFERENCES texts(text_pk),
    start     INTEGER NOT NULL,
    end       INTEGER NOT NULL,
    label     TEXT NOT NULL,
    attrs     TEXT NOT NULL,                -- JSON
    producer  TEXT NOT NULL
);
CREATE INDEX annotations_text ON annotations(text_pk);

-- Entity ids and names per text, for fast --person filtering.
CREATE TABLE text_entities (
    entity_id  TEXT NOT NULL,
    name       TEXT NOT NULL COLLATE NOCASE,
    type       TEXT NOT NULL,
    text_pk    INTEGER NOT NULL,
    PRIMARY KEY (entity_id, text_pk)
) WITHOUT ROWID;
CREATE INDEX text_entities_name ON text_entities(name, type);
CREATE INDEX text_entities_text ON text_entities(text_pk);

-- MinHash LSH band keys of each text (near-duplicate candidates).
CREATE TABLE lsh_bands (
    band_key  INTEGER NOT NULL,             -- 64-bit hash of (band number, band values)
    text_pk   INTEGER NOT NULL,
    PRIMARY KEY (band_key, text_pk)
) WITHOUT ROWID;

CREATE TABLE runs (
    run_pk      INTEGER PRIMARY KEY,
    started_at  TEXT NOT NULL,
    finished_at TEXT,
    command     TEXT NOT NULL,
    paths       TEXT NOT NULL,              -- JSON list
    counts      TEXT                        -- JSON summary
);

-- Full-text index over the current version of every document (external content).
CREATE VIEW fts_content AS
    SELECT d.doc_pk AS doc_pk, d.title AS title, t.text AS text
    FROM documents d JOIN texts t ON t.text_pk = d.text_pk;

CREATE VIRTUAL TABLE docs_fts USING fts5(
    title, text,
    content = 'fts_content', content_rowid = 'doc_pk',
    tokenize = 'unicode61 remove_diacritics 2'
);
