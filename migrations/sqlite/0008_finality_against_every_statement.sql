-- Finality against every statement, not only the application's own. `INSERT OR REPLACE` and
-- `REPLACE INTO` delete a conflicting row before inserting, and SQLite fires no DELETE trigger
-- for that deletion unless `recursive_triggers` is on; an upsert's DO UPDATE is caught by the
-- UPDATE triggers of 0001. These triggers run before any conflict resolution and skip the new
-- row when its key is taken (`RAISE(IGNORE)`), so a final row can't be replaced, and the
-- application's own `ON CONFLICT DO NOTHING` (a retry) keeps working.
CREATE TRIGGER elections_are_final_no_replace BEFORE INSERT ON elections
WHEN EXISTS (SELECT 1 FROM elections e WHERE e.performance_year = NEW.performance_year AND e.tin = NEW.tin AND e.npi = NEW.npi)
BEGIN
    SELECT RAISE(IGNORE);
END;
CREATE TRIGGER election_audit_append_only_no_replace BEFORE INSERT ON election_audit
WHEN EXISTS (SELECT 1 FROM election_audit a WHERE a.performance_year = NEW.performance_year AND a.tin = NEW.tin AND a.npi = NEW.npi)
BEGIN
    SELECT RAISE(IGNORE);
END;
CREATE TRIGGER reporting_pathways_final_no_replace BEFORE INSERT ON reporting_pathways
WHEN EXISTS (SELECT 1 FROM reporting_pathways r WHERE r.performance_year = NEW.performance_year AND r.tin = NEW.tin AND r.npi = NEW.npi)
BEGIN
    SELECT RAISE(IGNORE);
END;
