-- The same as migrations/011_entity_days.sql (SQLite), which says why: each entity's current
-- articles in all and by day, kept by triggers. Days are ISO text as there ('' for undated articles).
CREATE TABLE entity_days (
    entity_id  text NOT NULL,
    day        text NOT NULL,
    n          bigint NOT NULL,
    PRIMARY KEY (entity_id, day)
);

CREATE TABLE entities (
    entity_id  text PRIMARY KEY,
    name       text NOT NULL,
    type       text NOT NULL,
    articles   bigint NOT NULL,
    mentions   bigint NOT NULL
);
CREATE INDEX entities_articles ON entities(articles);

INSERT INTO entity_days (entity_id, day, n)
    SELECT te.entity_id, coalesce(to_char(d.published, 'YYYY-MM-DD'), ''), count(*)
    FROM text_entities te JOIN documents d ON d.text_pk = te.text_pk AND d.is_current
    GROUP BY 1, 2;

INSERT INTO entities (entity_id, name, type, articles, mentions)
    SELECT te.entity_id, min(te.name), min(te.type), count(d.doc_pk),
           coalesce(sum(CASE WHEN d.doc_pk IS NULL THEN 0 ELSE te.mentions END), 0)
    FROM text_entities te LEFT JOIN documents d ON d.text_pk = te.text_pk AND d.is_current
    GROUP BY te.entity_id;

CREATE FUNCTION entity_days_document() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    delta integer;
    rec documents%ROWTYPE;
BEGIN
    IF TG_OP = 'INSERT' AND NEW.is_current THEN
        delta := 1; rec := NEW;
    ELSIF TG_OP = 'UPDATE' AND OLD.is_current AND NOT NEW.is_current THEN
        delta := -1; rec := OLD;
    ELSE
        RETURN NULL;
    END IF;
    INSERT INTO entity_days (entity_id, day, n)
        SELECT entity_id, coalesce(to_char(rec.published, 'YYYY-MM-DD'), ''), delta
        FROM text_entities WHERE text_pk = rec.text_pk
        ON CONFLICT (entity_id, day) DO UPDATE SET n = entity_days.n + excluded.n;
    UPDATE entities e SET articles = e.articles + delta, mentions = e.mentions + delta * te.mentions
        FROM text_entities te WHERE te.text_pk = rec.text_pk AND e.entity_id = te.entity_id;
    RETURN NULL;
END $$;

CREATE FUNCTION entity_days_entity() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    delta integer;
    rec text_entities%ROWTYPE;
BEGIN
    IF TG_OP = 'INSERT' THEN
        delta := 1; rec := NEW;
        INSERT INTO entities (entity_id, name, type, articles, mentions)
            VALUES (NEW.entity_id, NEW.name, NEW.type, 0, 0)
            ON CONFLICT (entity_id) DO UPDATE SET name = LEAST(entities.name, excluded.name),
                                                  type = LEAST(entities.type, excluded.type);
    ELSE
        delta := -1; rec := OLD;
    END IF;
    INSERT INTO entity_days (entity_id, day, n)
        SELECT rec.entity_id, coalesce(to_char(published, 'YYYY-MM-DD'), ''), delta * count(*) FROM documents
        WHERE text_pk = rec.text_pk AND is_current GROUP BY 2
        ON CONFLICT (entity_id, day) DO UPDATE SET n = entity_days.n + excluded.n;
    UPDATE entities SET articles = articles + delta * c.n, mentions = mentions + delta * rec.mentions * c.n
        FROM (SELECT count(*) AS n FROM documents WHERE text_pk = rec.text_pk AND is_current) c
        WHERE entity_id = rec.entity_id;
    RETURN NULL;
END $$;

CREATE TRIGGER entity_days_document AFTER INSERT OR UPDATE OF is_current ON documents
    FOR EACH ROW EXECUTE FUNCTION entity_days_document();
CREATE TRIGGER entity_days_entity AFTER INSERT OR DELETE ON text_entities
    FOR EACH ROW EXECUTE FUNCTION entity_days_entity();
