-- Window dates carry their evidence: UNCONFIRMED marks dates that no election guide states.
-- SQLite can't change a CHECK constraint, so the table is rebuilt with the same rows.
CREATE TABLE election_windows_new (
    performance_year     INTEGER PRIMARY KEY,
    opens_at             INTEGER NOT NULL,
    election_closes_at   INTEGER NOT NULL,
    submission_closes_at INTEGER NOT NULL,
    source               TEXT NOT NULL CHECK (source IN ('OFFICIAL', 'UNCONFIRMED', 'EXPECTED', 'DEMO')),
    note                 TEXT NOT NULL,
    CHECK (opens_at < election_closes_at AND election_closes_at <= submission_closes_at)
);
INSERT INTO election_windows_new (performance_year, opens_at, election_closes_at, submission_closes_at, source, note)
    SELECT performance_year, opens_at, election_closes_at, submission_closes_at, source, note FROM election_windows;
DROP TABLE election_windows;
ALTER TABLE election_windows_new RENAME TO election_windows;
