-- The same as migrations/011_entity_days.sql (SQLite), which says why: each entity's current
-- articles by day, kept by triggers. Days are ISO text as there ('' for undated articles).
CREATE TABLE entity_days (
    entity_id  text NOT NULL,
    day        text NOT NULL,
    n          bigint NOT NULL,
    PRIMARY KEY (entity_id, day)
);

INSERT INTO entity_days (entity_id, day, n)
    SELECT te.entity_id, coalesce(to_char(d.published, 'YYYY-MM-DD'), ''), count(*)
    FROM text_entities te JOIN documents d ON d.text_pk = te.text_pk AND d.is_current
    GROUP BY 1, 2;

CREATE FUNCTION entity_days_document() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        IF NEW.is_current THEN
            INSERT INTO entity_days (entity_id, day, n)
                SELECT entity_id, coalesce(to_char(NEW.published, 'YYYY-MM-DD'), ''), 1
                FROM text_entities WHERE text_pk = NEW.text_pk
                ON CONFLICT (entity_id, day) DO UPDATE SET n = entity_days.n + 1;
        END IF;
    ELSIF OLD.is_current AND NOT NEW.is_current THEN
        UPDATE entity_days SET n = n - 1
            WHERE day = coalesce(to_char(OLD.published, 'YYYY-MM-DD'), '')
              AND entity_id IN (SELECT entity_id FROM text_entities WHERE text_pk = OLD.text_pk);
    END IF;
    RETURN NULL;
END $$;

CREATE FUNCTION entity_days_entity() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        INSERT INTO entity_days (entity_id, day, n)
            SELECT NEW.entity_id, coalesce(to_char(published, 'YYYY-MM-DD'), ''), count(*) FROM documents
            WHERE text_pk = NEW.text_pk AND is_current GROUP BY 2
            ON CONFLICT (entity_id, day) DO UPDATE SET n = entity_days.n + excluded.n;
    ELSE
        UPDATE entity_days e SET n = e.n - c.n
            FROM (SELECT coalesce(to_char(published, 'YYYY-MM-DD'), '') AS day, count(*) AS n FROM documents
                  WHERE text_pk = OLD.text_pk AND is_current GROUP BY 1) c
            WHERE e.entity_id = OLD.entity_id AND e.day = c.day;
    END IF;
    RETURN NULL;
END $$;

CREATE TRIGGER entity_days_document AFTER INSERT OR UPDATE OF is_current ON documents
    FOR EACH ROW EXECUTE FUNCTION entity_days_document();
CREATE TRIGGER entity_days_entity AFTER INSERT OR DELETE ON text_entities
    FOR EACH ROW EXECUTE FUNCTION entity_days_entity();
