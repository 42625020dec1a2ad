-- The same as migrations/005_claims_quotations.sql (SQLite): quotations and numeric claims kept
-- per text by the write path; a store analysed before is filled in Python when first opened.
-- The key columns sort by code point ("C"), as the claims were sorted in Python, whatever the
-- database's collation.

CREATE TABLE text_quotations (
    text_pk       bigint NOT NULL,
    ord           integer NOT NULL,
    start         integer NOT NULL,
    "end"         integer NOT NULL,
    kind          text NOT NULL,
    speaker_id    text,
    speaker_name  text,
    speaker_key   text,
    who_fold      text,
    id_fold       text,
    text_fold     text NOT NULL,
    attrs         text NOT NULL,
    PRIMARY KEY (text_pk, ord)
);
CREATE INDEX text_quotations_kind ON text_quotations(kind, text_pk);

CREATE TABLE text_claims (
    text_pk         bigint NOT NULL,
    ord             integer NOT NULL,
    start           integer NOT NULL,
    "end"           integer NOT NULL,
    counted         text COLLATE "C" NOT NULL,
    unit            text COLLATE "C" NOT NULL,
    subject_id      text COLLATE "C",
    subject_name    text,
    subject_type    text,
    subject_fold    text COLLATE "C",
    form_fold       text NOT NULL,
    value           double precision NOT NULL,
    sentence_start  integer,
    sentence_end    integer,
    attrs           text NOT NULL,
    PRIMARY KEY (text_pk, ord)
);
CREATE INDEX text_claims_key ON text_claims(counted, unit, subject_id);

-- SQLite's julianday() for a date, so the claims' day arithmetic is one query on both stores
-- (only differences of it are used).
CREATE FUNCTION julianday(d date) RETURNS double precision
    LANGUAGE sql IMMUTABLE STRICT AS $$ SELECT (d - DATE '2000-01-01')::double precision $$;

CREATE TABLE claim_groups (
    ckey          text COLLATE "C" PRIMARY KEY,
    counted       text COLLATE "C" NOT NULL,
    unit          text COLLATE "C" NOT NULL,
    subject_id    text COLLATE "C",
    subject_fold  text COLLATE "C",
    stories       bigint NOT NULL,
    last          date NOT NULL,
    widest        double precision NOT NULL,
    changed       integer NOT NULL
);
CREATE INDEX claim_groups_stories ON claim_groups(stories DESC, last DESC);
