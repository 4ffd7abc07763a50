-- Migration 1: the roster's history. One row in runs per roster run; every other table hangs off a run and
-- goes with it (ON DELETE CASCADE). Lists (members) and maps (fields, labels) are JSON text; an empty text
-- column is '' and a value that does not apply is NULL. Rows of units, files, entries and problems are read
-- back in the order they were written (rowid).

CREATE TABLE runs (
    id INTEGER PRIMARY KEY,
    at TEXT NOT NULL,                     -- ISO 8601 time of the run, e.g. 2025-05-20T10:00:00+08:00
    returned_hash TEXT,                   -- SHA-256 of the returned folder, the recipients list, the form's spec
    recipients_hash TEXT,
    spec_hash TEXT,
    people INTEGER NOT NULL,
    ok INTEGER NOT NULL,                  -- units by status
    errors INTEGER NOT NULL,
    missing INTEGER NOT NULL,
    labels TEXT NOT NULL DEFAULT '{}'     -- JSON {key: the column's Chinese name}, e.g. {"mobile": "手机号码"}
);

CREATE TABLE units (
    run_id INTEGER NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
    unit_id TEXT NOT NULL,
    name TEXT NOT NULL,
    category TEXT NOT NULL DEFAULT '',
    status TEXT NOT NULL CHECK (status IN ('ok', 'errors', 'missing')),
    PRIMARY KEY (run_id, unit_id)
);

CREATE TABLE files (
    run_id INTEGER NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
    path TEXT NOT NULL,                   -- relative to the returned folder
    members TEXT NOT NULL DEFAULT '[]',   -- JSON list: the path inside the archive(s) around it
    sha256 TEXT,
    status TEXT NOT NULL,                 -- used, superseded, unmatched, unreadable, ignored
    unit_id TEXT,                         -- NULL when the file is no unit's
    superseded_by TEXT                    -- the newer file used instead (as printed), or NULL
);
CREATE INDEX files_run ON files (run_id);

CREATE TABLE entries (
    run_id INTEGER NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
    unit_id TEXT NOT NULL DEFAULT '',     -- '' when the row's file matched no unit
    entry TEXT NOT NULL,                  -- the row's identity across runs: a person's name, a spec key's values
    fields TEXT NOT NULL,                 -- JSON {key: value} in the form's column order
    source_file TEXT NOT NULL DEFAULT '',
    source_sheet TEXT NOT NULL DEFAULT '',
    source_row INTEGER
);
CREATE INDEX entries_run ON entries (run_id, unit_id);

CREATE TABLE problems (
    run_id INTEGER NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
    code TEXT NOT NULL,
    severity TEXT NOT NULL,
    path TEXT NOT NULL DEFAULT '',
    members TEXT NOT NULL DEFAULT '[]',
    sheet TEXT NOT NULL DEFAULT '',
    "row" INTEGER,
    "column" TEXT NOT NULL DEFAULT '',
    field TEXT NOT NULL DEFAULT '',
    message TEXT NOT NULL,
    note TEXT NOT NULL DEFAULT '',
    reason TEXT NOT NULL DEFAULT ''
);
CREATE INDEX problems_run ON problems (run_id);
