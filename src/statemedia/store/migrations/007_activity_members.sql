-- The people of leader activities' protocol lists (issue 16): one row per member of an activity's
-- entourage, present or hosts list (docs/protocol-lists.md), kept by the write path beside
-- text_activities, so that an entity's co-appearances and the elite ranking ask the database
-- for the activities they need instead of reading every activity of the corpus.
-- Existing stores are filled here from text_activities.attrs.
CREATE TABLE activity_members (
    text_pk    INTEGER NOT NULL,
    ord        INTEGER NOT NULL,            -- the activity (text_activities.ord)
    role       TEXT NOT NULL,               -- 'entourage', 'present' or 'hosts'
    position   INTEGER NOT NULL,            -- 1 = first named in its list
    member_id  TEXT NOT NULL,
    name       TEXT NOT NULL,
    -- The activity's, copied so that a ranking filters members without joining its activity.
    actor_id   TEXT,
    actor      TEXT,
    kind       TEXT,
    day        TEXT,                        -- ISO day at day precision, else NULL
    PRIMARY KEY (text_pk, ord, role, position)
) WITHOUT ROWID;
-- An entity's co-appearances: the activities whose lists name it, or that it leads (only those
-- with a list: the others give no one to appear with).
CREATE INDEX activity_members_member ON activity_members(member_id, role);
CREATE INDEX activity_members_actor ON activity_members(actor_id, role);
-- The elite ranking and movers: the members of one role's lists by day.
CREATE INDEX activity_members_role ON activity_members(role, day);
INSERT INTO activity_members (text_pk, ord, role, position, member_id, name, actor_id, actor, kind, day)
    SELECT t.text_pk, t.ord, r.role, CAST(j.key AS INTEGER) + 1, json_extract(j.value, '$.id'),
           coalesce(json_extract(j.value, '$.name'), ''), t.actor_id, t.actor, t.kind, t.day
    FROM text_activities t
    JOIN (SELECT 'entourage' AS role UNION ALL SELECT 'present' UNION ALL SELECT 'hosts') r
    JOIN json_each(t.attrs, '$.' || r.role) j
    WHERE json_type(t.attrs, '$.' || r.role) = 'array' AND json_extract(j.value, '$.id') IS NOT NULL;
