-- Each entity's current articles by day of publication (issue 16), kept by the database itself:
-- an entity page, its API twin and a person's trend read one row a day instead of every mention
-- of the entity joined to its texts' current documents, which grew with the corpus (a leader's
-- days at 1M stories, docs/workbench.md "Measured"). The triggers count each pair of a current
-- document and an entity of its text once, by whichever of the two is written second, and take
-- it back when the document stops being current or the text is analysed again: every write
-- path (ingest, re-analysis, watch, migration to PostgreSQL) keeps it without knowing of it.
CREATE TABLE entity_days (
    entity_id  TEXT NOT NULL,
    day        TEXT NOT NULL,               -- ISO day of publication; '' for undated articles
    n          INTEGER NOT NULL,            -- current articles (documents) that mention it
    PRIMARY KEY (entity_id, day)
) WITHOUT ROWID;

INSERT INTO entity_days (entity_id, day, n)
    SELECT te.entity_id, coalesce(d.published, ''), count(*)
    FROM text_entities te JOIN documents d ON d.text_pk = te.text_pk AND d.is_current = 1
    GROUP BY te.entity_id, coalesce(d.published, '');

CREATE TRIGGER entity_days_document_added AFTER INSERT ON documents WHEN NEW.is_current = 1
BEGIN
    INSERT INTO entity_days (entity_id, day, n)
        SELECT entity_id, coalesce(NEW.published, ''), 1 FROM text_entities WHERE text_pk = NEW.text_pk
        ON CONFLICT (entity_id, day) DO UPDATE SET n = n + 1;
END;

CREATE TRIGGER entity_days_document_superseded AFTER UPDATE OF is_current ON documents
    WHEN OLD.is_current = 1 AND NEW.is_current = 0
BEGIN
    UPDATE entity_days SET n = n - 1
        WHERE day = coalesce(OLD.published, '')
          AND entity_id IN (SELECT entity_id FROM text_entities WHERE text_pk = OLD.text_pk);
END;

CREATE TRIGGER entity_days_entity_added AFTER INSERT ON text_entities
BEGIN
    INSERT INTO entity_days (entity_id, day, n)
        SELECT NEW.entity_id, coalesce(published, ''), count(*) FROM documents
        WHERE text_pk = NEW.text_pk AND is_current = 1 GROUP BY coalesce(published, '')
        ON CONFLICT (entity_id, day) DO UPDATE SET n = n + excluded.n;
END;

CREATE TRIGGER entity_days_entity_removed AFTER DELETE ON text_entities
BEGIN
    UPDATE entity_days SET n = n - (
        SELECT count(*) FROM documents d
        WHERE d.text_pk = OLD.text_pk AND d.is_current = 1 AND coalesce(d.published, '') = entity_days.day
    )
    WHERE entity_id = OLD.entity_id
      AND day IN (SELECT coalesce(published, '') FROM documents WHERE text_pk = OLD.text_pk AND is_current = 1);
END;
