-- Each entity's current articles, in all and by day of publication (issue 16), kept by the
-- database itself: the entity table, an entity page, its API twin and a person's trend read one
-- row an entity or a day instead of every mention of the entity joined to its texts' current
-- documents, which grew with the corpus (docs/workbench.md "Measured"). The triggers count each
-- pair of a current document and an entity of its text once, by whichever of the two is written
-- second, and take it back when the document stops being current or the text is analysed again:
-- every write path (ingest, re-analysis, watch, migration to PostgreSQL) keeps them without
-- knowing of them.
CREATE TABLE entity_days (
    entity_id  TEXT NOT NULL,
    day        TEXT NOT NULL,               -- ISO day of publication; '' for undated articles
    n          INTEGER NOT NULL,            -- current articles (documents) that mention it
    PRIMARY KEY (entity_id, day)
) WITHOUT ROWID;

-- One row an entity ever found: its name and type (the least of those its texts give, as the
-- entity table showed them; a name that leaves every text on re-analysis stays), its current
-- articles and its mentions in them.
CREATE TABLE entities (
    entity_id  TEXT PRIMARY KEY,
    name       TEXT NOT NULL,
    type       TEXT NOT NULL,
    articles   INTEGER NOT NULL,
    mentions   INTEGER NOT NULL
) WITHOUT ROWID;
CREATE INDEX entities_articles ON entities(articles);

INSERT INTO entity_days (entity_id, day, n)
    SELECT te.entity_id, coalesce(d.published, ''), count(*)
    FROM text_entities te JOIN documents d ON d.text_pk = te.text_pk AND d.is_current = 1
    GROUP BY te.entity_id, coalesce(d.published, '');

INSERT INTO entities (entity_id, name, type, articles, mentions)
    SELECT te.entity_id, min(te.name), min(te.type), count(d.doc_pk), coalesce(sum(CASE WHEN d.doc_pk IS NULL THEN 0 ELSE te.mentions END), 0)
    FROM text_entities te LEFT JOIN documents d ON d.text_pk = te.text_pk AND d.is_current = 1
    GROUP BY te.entity_id;

CREATE TRIGGER entity_days_document_added AFTER INSERT ON documents WHEN NEW.is_current = 1
BEGIN
    INSERT INTO entity_days (entity_id, day, n)
        SELECT entity_id, coalesce(NEW.published, ''), 1 FROM text_entities WHERE text_pk = NEW.text_pk
        ON CONFLICT (entity_id, day) DO UPDATE SET n = n + 1;
    UPDATE entities SET articles = articles + 1, mentions = mentions + (
        SELECT te.mentions FROM text_entities te WHERE te.text_pk = NEW.text_pk AND te.entity_id = entities.entity_id)
        WHERE entity_id IN (SELECT entity_id FROM text_entities WHERE text_pk = NEW.text_pk);
END;

CREATE TRIGGER entity_days_document_superseded AFTER UPDATE OF is_current ON documents
    WHEN OLD.is_current = 1 AND NEW.is_current = 0
BEGIN
    UPDATE entity_days SET n = n - 1
        WHERE day = coalesce(OLD.published, '')
          AND entity_id IN (SELECT entity_id FROM text_entities WHERE text_pk = OLD.text_pk);
    UPDATE entities SET articles = articles - 1, mentions = mentions - (
        SELECT te.mentions FROM text_entities te WHERE te.text_pk = OLD.text_pk AND te.entity_id = entities.entity_id)
        WHERE entity_id IN (SELECT entity_id FROM text_entities WHERE text_pk = OLD.text_pk);
END;

CREATE TRIGGER entity_days_entity_added AFTER INSERT ON text_entities
BEGIN
    INSERT INTO entity_days (entity_id, day, n)
        SELECT NEW.entity_id, coalesce(published, ''), count(*) FROM documents
        WHERE text_pk = NEW.text_pk AND is_current = 1 GROUP BY coalesce(published, '')
        ON CONFLICT (entity_id, day) DO UPDATE SET n = n + excluded.n;
    INSERT INTO entities (entity_id, name, type, articles, mentions)
        SELECT NEW.entity_id, NEW.name, NEW.type, count(*), NEW.mentions * count(*) FROM documents
        WHERE text_pk = NEW.text_pk AND is_current = 1
        ON CONFLICT (entity_id) DO UPDATE SET name = min(name, excluded.name), type = min(type, excluded.type),
            articles = articles + excluded.articles, mentions = mentions + excluded.mentions;
END;

CREATE TRIGGER entity_days_entity_removed AFTER DELETE ON text_entities
BEGIN
    UPDATE entity_days SET n = n - (
        SELECT count(*) FROM documents d
        WHERE d.text_pk = OLD.text_pk AND d.is_current = 1 AND coalesce(d.published, '') = entity_days.day
    )
    WHERE entity_id = OLD.entity_id
      AND day IN (SELECT coalesce(published, '') FROM documents WHERE text_pk = OLD.text_pk AND is_current = 1);
    UPDATE entities SET
        articles = articles - (SELECT count(*) FROM documents WHERE text_pk = OLD.text_pk AND is_current = 1),
        mentions = mentions - OLD.mentions * (SELECT count(*) FROM documents WHERE text_pk = OLD.text_pk AND is_current = 1)
        WHERE entity_id = OLD.entity_id;
END;
