-- Window dates carry their evidence: UNCONFIRMED marks dates that no election guide states.
ALTER TABLE election_windows DROP CONSTRAINT election_windows_source_check;
ALTER TABLE election_windows ADD CONSTRAINT election_windows_source_check
    CHECK (source IN ('OFFICIAL', 'UNCONFIRMED', 'EXPECTED', 'DEMO'));
