-- One activity per event across a story and its translation (issue 14): KCNA publishes each
-- report in English and, mostly a day later, in Spanish, and each yields the same leader activity.
-- A row says that the activity (text_pk, ord) of text_activities translates (of_text_pk, of_ord):
-- the read model shows the original once, listing the translation as a second source, and leaves
-- the translation out of the log, the calendar, the ranking and co-appearances. The write path
-- keeps the rows (store/translations.py: the pairing rule, re-run for the neighbourhood of every
-- text whose analysis or current versions change); the Python step of this migration pairs the
-- activities a store already holds.
CREATE TABLE activity_translations (
    text_pk     INTEGER NOT NULL,           -- the translation's activity (hidden)
    ord         INTEGER NOT NULL,
    of_text_pk  INTEGER NOT NULL,           -- the activity it translates (shown)
    of_ord      INTEGER NOT NULL,
    PRIMARY KEY (text_pk, ord)
) WITHOUT ROWID;
-- One-to-one: an original has one translation at most.
CREATE UNIQUE INDEX activity_translations_of ON activity_translations(of_text_pk, of_ord);
