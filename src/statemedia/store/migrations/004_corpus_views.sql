-- Corpus views answered by the store (issue 16): what the workbench counts and lists, kept per
-- text by the write path beside its annotations, so no process holds a copy of the corpus.
-- Existing stores are filled here from their annotations.

-- The current version of each article: every view joins it from a document (or an annotation) to
-- its article; without an index each such row scanned the articles (docs/workbench.md, "Measured").
CREATE INDEX articles_current ON articles(current_pk);

-- How often each entity is mentioned in a text (entity pages and tables rank by it).
ALTER TABLE text_entities ADD COLUMN mentions INTEGER NOT NULL DEFAULT 1;
UPDATE text_entities SET mentions = (
    SELECT count(*) FROM annotations a
    WHERE a.text_pk = text_entities.text_pk AND a.label = 'entity' AND json_extract(a.attrs, '$.id') = text_entities.entity_id
);

-- Facet values of a text beyond its document's columns: leader activity kinds, persuasion techniques.
CREATE TABLE text_labels (
    facet    TEXT NOT NULL,                 -- 'kind' or 'technique'
    value    TEXT NOT NULL,
    text_pk  INTEGER NOT NULL,
    PRIMARY KEY (facet, value, text_pk)
) WITHOUT ROWID;
CREATE INDEX text_labels_text ON text_labels(text_pk);
INSERT OR IGNORE INTO text_labels (facet, value, text_pk)
    SELECT 'kind', json_extract(attrs, '$.kind'), text_pk FROM annotations
    WHERE label = 'event' AND producer = 'activities' AND json_extract(attrs, '$.kind') IS NOT NULL;
INSERT OR IGNORE INTO text_labels (facet, value, text_pk)
    SELECT 'technique', json_extract(attrs, '$.technique'), text_pk FROM annotations
    WHERE label = 'technique' AND json_extract(attrs, '$.technique') IS NOT NULL;

-- Leader activities: the activity log, calendars and rankings select by leader, kind and day.
CREATE TABLE text_activities (
    text_pk   INTEGER NOT NULL,
    ord       INTEGER NOT NULL,             -- order in the text
    actor_id  TEXT,
    actor     TEXT,                         -- the leader's name as the story gives it
    kind      TEXT,
    day       TEXT,                         -- ISO day of the activity at day precision, else NULL
    attrs     TEXT NOT NULL,                -- the event annotation's attributes (JSON)
    PRIMARY KEY (text_pk, ord)
);
CREATE INDEX text_activities_actor ON text_activities(actor_id, day);
CREATE INDEX text_activities_day ON text_activities(day);
INSERT INTO text_activities (text_pk, ord, actor_id, actor, kind, day, attrs)
    SELECT text_pk, rowid, json_extract(attrs, '$.actor_id'), json_extract(attrs, '$.actor'), json_extract(attrs, '$.kind'),
           CASE WHEN json_extract(attrs, '$.date_precision') = 'day' THEN substr(json_extract(attrs, '$.date'), 1, 10) END,
           attrs
    FROM annotations WHERE label = 'event' AND producer = 'activities';

-- Lists of one layer across the corpus (quantities, techniques, quotations), newest first.
CREATE INDEX annotations_label ON annotations(label, text_pk);
