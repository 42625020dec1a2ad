-- The same as migrations/004_corpus_views.sql (SQLite): corpus views answered by the store,
-- kept per text by the write path; existing stores are filled here from their annotations.

CREATE INDEX articles_current ON articles(current_pk);

ALTER TABLE text_entities ADD COLUMN mentions integer NOT NULL DEFAULT 1;
UPDATE text_entities SET mentions = (
    SELECT count(*) FROM annotations a
    WHERE a.text_pk = text_entities.text_pk AND a.label = 'entity' AND a.attrs->>'id' = text_entities.entity_id
);

CREATE TABLE text_labels (
    facet    text NOT NULL,                 -- 'kind' or 'technique'
    value    text NOT NULL,
    text_pk  bigint NOT NULL,
    PRIMARY KEY (facet, value, text_pk)
);
CREATE INDEX text_labels_text ON text_labels(text_pk);
INSERT INTO text_labels (facet, value, text_pk)
    SELECT DISTINCT 'kind', attrs->>'kind', text_pk FROM annotations
    WHERE label = 'event' AND producer = 'activities' AND attrs->>'kind' IS NOT NULL;
INSERT INTO text_labels (facet, value, text_pk)
    SELECT DISTINCT 'technique', attrs->>'technique', text_pk FROM annotations
    WHERE label = 'technique' AND attrs->>'technique' IS NOT NULL;

CREATE TABLE text_activities (
    text_pk   bigint NOT NULL,
    ord       bigint NOT NULL,              -- order in the text
    actor_id  text,
    actor     text,
    kind      text,
    day       text,                         -- ISO day of the activity at day precision, else NULL
    attrs     text NOT NULL,                -- the event annotation's attributes (JSON)
    PRIMARY KEY (text_pk, ord)
);
CREATE INDEX text_activities_actor ON text_activities(actor_id, day);
CREATE INDEX text_activities_day ON text_activities(day);
INSERT INTO text_activities (text_pk, ord, actor_id, actor, kind, day, attrs)
    SELECT text_pk, annotation_pk, attrs->>'actor_id', attrs->>'actor', attrs->>'kind', CASE WHEN attrs->>'date_precision' = 'day' THEN substr(attrs->>'date', 1, 10) END, attrs::text
    FROM annotations WHERE label = 'event' AND producer = 'activities';

CREATE INDEX annotations_label ON annotations(label, text_pk);
