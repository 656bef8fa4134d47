-- 0008's and 0012's triggers skip an insert whose key is taken, but compared `NEW.npi = x.npi`,
-- which is never true for a NULL. `INSERT OR REPLACE … (npi) VALUES (NULL)` then passed them, and
-- REPLACE, resolving the NOT NULL violation, put the column's default ('') in its place, met the
-- key of the final row and deleted it (no DELETE trigger fires for that without
-- `recursive_triggers`). The key is now compared as REPLACE will store it.
DROP TRIGGER elections_are_final_no_replace;
CREATE TRIGGER elections_are_final_no_replace BEFORE INSERT ON elections
WHEN EXISTS (SELECT 1 FROM elections e WHERE e.performance_year = NEW.performance_year AND e.tin = NEW.tin
             AND e.npi = COALESCE(NEW.npi, ''))
BEGIN
    SELECT RAISE(IGNORE);
END;
DROP TRIGGER election_audit_append_only_no_replace;
CREATE TRIGGER election_audit_append_only_no_replace BEFORE INSERT ON election_audit
WHEN EXISTS (SELECT 1 FROM election_audit a WHERE a.performance_year = NEW.performance_year AND a.tin = NEW.tin
             AND a.npi = COALESCE(NEW.npi, ''))
BEGIN
    SELECT RAISE(IGNORE);
END;
DROP TRIGGER reporting_pathway_choices_no_replace;
CREATE TRIGGER reporting_pathway_choices_no_replace BEFORE INSERT ON reporting_pathway_choices
WHEN EXISTS (SELECT 1 FROM reporting_pathway_choices r WHERE r.performance_year = NEW.performance_year
             AND r.tin = NEW.tin AND r.npi = COALESCE(NEW.npi, '') AND r.choice_number = NEW.choice_number)
BEGIN
    SELECT RAISE(IGNORE);
END;
