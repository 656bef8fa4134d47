-- Finality against every statement, not only the application's own: TRUNCATE fires no row
-- triggers, so each final table refuses it with a statement trigger. (Row UPDATE and DELETE are
-- refused since 0001; an upsert's DO UPDATE fires the UPDATE trigger.) The application role
-- should not own these tables either, or it could drop the triggers: see the README, "Database
-- roles".
CREATE TRIGGER elections_are_final_no_truncate BEFORE TRUNCATE ON elections
    FOR EACH STATEMENT EXECUTE FUNCTION refuse_change('elections are final: TRUNCATE is not allowed');
CREATE TRIGGER election_audit_append_only_no_truncate BEFORE TRUNCATE ON election_audit
    FOR EACH STATEMENT EXECUTE FUNCTION refuse_change('the election audit is append-only');
CREATE TRIGGER reporting_pathways_final_no_truncate BEFORE TRUNCATE ON reporting_pathways
    FOR EACH STATEMENT EXECUTE FUNCTION refuse_change('reporting pathways are final: TRUNCATE is not allowed');
