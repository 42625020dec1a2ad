-- The same as migrations/007_activity_members.sql (SQLite): the members of leader activities'
-- protocol lists, kept by the write path beside text_activities; existing stores are filled here.
CREATE TABLE activity_members (
    text_pk    bigint NOT NULL,
    ord        bigint NOT NULL,             -- the activity (text_activities.ord)
    role       text NOT NULL,               -- 'entourage', 'present' or 'hosts'
    position   integer NOT NULL,            -- 1 = first named in its list
    member_id  text NOT NULL,
    name       text NOT NULL,
    actor_id   text,
    actor      text,
    kind       text,
    day        text,                        -- ISO day at day precision, else NULL
    PRIMARY KEY (text_pk, ord, role, position)
);
CREATE INDEX activity_members_member ON activity_members(member_id, role);
CREATE INDEX activity_members_actor ON activity_members(actor_id, role);
CREATE INDEX activity_members_role ON activity_members(role, day);
INSERT INTO activity_members (text_pk, ord, role, position, member_id, name, actor_id, actor, kind, day)
    SELECT t.text_pk, t.ord, r.role, j.n, j.value->>'id', coalesce(j.value->>'name', ''), t.actor_id, t.actor,
           t.kind, t.day
    FROM text_activities t
    CROSS JOIN (VALUES ('entourage'), ('present'), ('hosts')) r(role)
    CROSS JOIN LATERAL jsonb_array_elements(
        CASE WHEN jsonb_typeof(t.attrs::jsonb -> r.role) = 'array' THEN t.attrs::jsonb -> r.role ELSE '[]'::jsonb END
    ) WITH ORDINALITY j(value, n)
    WHERE j.value->>'id' IS NOT NULL;
