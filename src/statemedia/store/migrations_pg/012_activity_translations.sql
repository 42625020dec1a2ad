-- The same as migrations/013_activity_translations.sql (SQLite), which says why: an activity of a
-- translation (text_pk, ord) and the activity it translates, kept by the write path.
CREATE TABLE activity_translations (
    text_pk     bigint NOT NULL,
    ord         bigint NOT NULL,
    of_text_pk  bigint NOT NULL,
    of_ord      bigint NOT NULL,
    PRIMARY KEY (text_pk, ord)
);
CREATE UNIQUE INDEX activity_translations_of ON activity_translations(of_text_pk, of_ord);
