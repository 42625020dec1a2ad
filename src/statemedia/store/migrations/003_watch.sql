-- Watching the outlets (statemedia watch): passes over the sites, the URLs each pass must
-- fetch (so a killed pass resumes), every fetch with where its response lies in the WARC
-- archive, the state of each article URL found, withdrawals, watchlists and their alerts.

CREATE TABLE watch_passes (
    pass_pk     INTEGER PRIMARY KEY,
    started_at  TEXT NOT NULL,
    finished_at TEXT,                       -- NULL: running, or killed (the next pass resumes it)
    sites       TEXT NOT NULL,              -- JSON list of site names
    counts      TEXT                        -- JSON summary
);

-- A pass's frontier: each URL once per pass, done once its fetch is recorded.
CREATE TABLE watch_frontier (
    pass_pk  INTEGER NOT NULL,
    url      TEXT NOT NULL,
    site     TEXT NOT NULL,
    kind     TEXT NOT NULL,                 -- 'start', 'index' or 'article'
    depth    INTEGER NOT NULL,                 -- index links followed from a start page
    done     INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (pass_pk, url)
);

-- One row per HTTP exchange or failed attempt: what was asked, what came back, where it is archived.
CREATE TABLE fetches (
    fetch_pk      INTEGER PRIMARY KEY,
    pass_pk       INTEGER,                  -- NULL: read from another crawler's WARC by ingest
    url           TEXT NOT NULL,
    fetched_at    TEXT NOT NULL,
    status        INTEGER,                  -- HTTP status; NULL when nothing came back
    error         TEXT,                     -- why the fetch failed, else NULL
    digest        TEXT,                     -- WARC-Payload-Digest of the body ("sha1:..." base32)
    content_type  TEXT,
    etag          TEXT,
    last_modified TEXT,
    warc_file     TEXT,                     -- file name in the archive folder
    warc_offset   INTEGER,                  -- byte offset of the response record
    warc_length   INTEGER,                  -- its length in the file (compressed)
    doc_id        TEXT                      -- id of the article captured from it
);
CREATE INDEX fetches_url ON fetches(url, fetch_pk);
CREATE INDEX fetches_pass ON fetches(pass_pk);

-- Each article URL a pass has found, and whether it is on the sites now.
CREATE TABLE watch_urls (
    url           TEXT PRIMARY KEY,
    site          TEXT NOT NULL,
    doc_id        TEXT,                     -- id of its article once captured
    first_seen    TEXT NOT NULL,
    last_listed   INTEGER,                  -- last pass that found it on an index page
    listed_on     TEXT,                     -- the index page that listed it then
    last_ok       INTEGER,                  -- last pass that fetched it (200 or 304)
    missed        INTEGER NOT NULL DEFAULT 0,  -- consecutive passes it was gone or unlisted
    first_missed  TEXT,                     -- ISO date of the first pass of that run
    withdrawn_on  TEXT                      -- ISO date it is withdrawn since; NULL while present
);

-- Withdrawals and restorations: the record of what left the sites and what came back.
CREATE TABLE withdrawals (
    withdrawal_pk INTEGER PRIMARY KEY,
    url           TEXT NOT NULL,
    doc_id        TEXT NOT NULL,
    withdrawn_on  TEXT NOT NULL,            -- ISO date: first day it was missed
    noticed_at    TEXT NOT NULL,            -- when the pass that marked it ran
    restored_on   TEXT                      -- ISO date it came back, else NULL
);
CREATE INDEX withdrawals_day ON withdrawals(withdrawn_on);
CREATE INDEX withdrawals_doc ON withdrawals(doc_id);

-- Saved searches and entity watchlists, and the alerts their rules raised.
CREATE TABLE watchlists (
    name        TEXT PRIMARY KEY,
    rules       TEXT NOT NULL,              -- JSON list of rules
    channels    TEXT NOT NULL,              -- JSON: webhook URL, e-mail recipients
    created_at  TEXT NOT NULL,
    checked_at  TEXT                        -- changes up to this time have been evaluated
);

CREATE TABLE alerts (
    alert_pk   INTEGER PRIMARY KEY,
    watchlist  TEXT NOT NULL,
    raised_at  TEXT NOT NULL,
    rule       TEXT NOT NULL,               -- the rule's kind
    key        TEXT NOT NULL,               -- what it is about: raised once per watchlist and key
    title      TEXT NOT NULL,
    payload    TEXT NOT NULL,               -- JSON
    delivered  TEXT NOT NULL DEFAULT '{}',  -- JSON: channel -> when it was delivered
    UNIQUE (watchlist, key)
);
CREATE INDEX alerts_watchlist ON alerts(watchlist, alert_pk);
