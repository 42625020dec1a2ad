-- Quotations and numeric claims answered by the store (issue 16): one row per quote and per
-- figure with a value, kept per text by the write path beside its annotations (store/layers.py),
-- so that the quotation log and the claims are filtered, counted, grouped and paged by the
-- database. A store analysed before is filled from its annotations when first opened, in Python
-- (store/layers.py, backfill): the claim key is the nearest entity of the figure's sentence.

CREATE TABLE text_quotations (
    text_pk       INTEGER NOT NULL,
    ord           INTEGER NOT NULL,         -- order in the text
    start         INTEGER NOT NULL,
    "end"         INTEGER NOT NULL,
    kind          TEXT NOT NULL,            -- direct, indirect, quoted, title, slogan, scare
    speaker_id    TEXT,
    speaker_name  TEXT,
    speaker_key   TEXT,                     -- whom speaker counts credit: the id, else the words case-folded; NULL: no one
    who_fold      TEXT,                     -- the speaker's name (else words), case-folded: the speaker filter
    id_fold       TEXT,                     -- speaker_id case-folded
    text_fold     TEXT NOT NULL,            -- the quotation case-folded: the words filter
    attrs         TEXT NOT NULL,            -- the quote annotation's attributes (JSON)
    PRIMARY KEY (text_pk, ord)
);
CREATE INDEX text_quotations_kind ON text_quotations(kind, text_pk);

CREATE TABLE text_claims (
    text_pk         INTEGER NOT NULL,
    ord             INTEGER NOT NULL,       -- order in the text
    start           INTEGER NOT NULL,
    "end"           INTEGER NOT NULL,
    counted         TEXT NOT NULL,          -- the claim key: what is counted, unit, subject (analytics/claim_keys.py)
    unit            TEXT NOT NULL,
    subject_id      TEXT,
    subject_name    TEXT,
    subject_type    TEXT,
    subject_fold    TEXT,                   -- subject_name lowercased: the subject filter and sort
    form_fold       TEXT NOT NULL,          -- what is counted as written, lowercased: the counted filter
    value           REAL NOT NULL,          -- what stories are compared by (as stated: in attrs)
    sentence_start  INTEGER,                -- the figure's sentence: its evidence
    sentence_end    INTEGER,
    attrs           TEXT NOT NULL,          -- the quantity annotation's attributes (JSON)
    PRIMARY KEY (text_pk, ord)
);
CREATE INDEX text_claims_key ON text_claims(counted, unit, subject_id);

-- Each claim of the current versions with what its status is judged by (store/layers.py, GROUPS),
-- kept by the write path for the claims its batch touches: the claims of the whole corpus are read
-- from here; a window of days or an outlet is judged from the statements per request.
CREATE TABLE claim_groups (
    ckey          TEXT PRIMARY KEY,         -- counted|unit|subject_id, as analytics.claims.Claim.key
    counted       TEXT NOT NULL,
    unit          TEXT NOT NULL,
    subject_id    TEXT,
    subject_fold  TEXT,                     -- the subject as first stated, lowercased
    stories       INTEGER NOT NULL,
    last          TEXT NOT NULL,            -- the last day stated
    widest        REAL NOT NULL,            -- the widest gap between its stories, in days
    changed       INTEGER NOT NULL          -- 1: a story states other values than the one before
);
CREATE INDEX claim_groups_stories ON claim_groups(stories DESC, last DESC);
