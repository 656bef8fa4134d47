-- Reporting Options record what an opted-in MIPS APM participant intends to report: traditional
-- MIPS, the APP, or both (the 2021 guide's "and/or"). Unlike the election, the choice may be
-- changed until the submission window closes. Each choice is a row that is never changed or
-- removed: the one with the highest number is the current choice, the others are its audit trail.
CREATE TABLE reporting_pathway_choices (
    performance_year BIGINT NOT NULL,
    tin              TEXT NOT NULL,
    npi              TEXT NOT NULL DEFAULT '',
    choice_number    BIGINT NOT NULL CHECK (choice_number >= 1),
    pathway          TEXT NOT NULL CHECK (pathway IN ('TRADITIONAL_MIPS', 'APP', 'BOTH')),
    chosen_at        BIGINT NOT NULL,
    chosen_by        TEXT NOT NULL,
    actor_user_id    TEXT NOT NULL,
    PRIMARY KEY (performance_year, tin, npi, choice_number)
);
INSERT INTO reporting_pathway_choices
    (performance_year, tin, npi, choice_number, pathway, chosen_at, chosen_by, actor_user_id)
SELECT performance_year, tin, npi, 1, pathway, chosen_at, chosen_by, actor_user_id FROM reporting_pathways;
DROP TABLE reporting_pathways;
CREATE TRIGGER reporting_pathway_choices_no_update BEFORE UPDATE ON reporting_pathway_choices
    FOR EACH ROW EXECUTE FUNCTION refuse_change('reporting option choices are an audit trail: UPDATE is not allowed');
CREATE TRIGGER reporting_pathway_choices_no_delete BEFORE DELETE ON reporting_pathway_choices
    FOR EACH ROW EXECUTE FUNCTION refuse_change('reporting option choices are an audit trail: DELETE is not allowed');
CREATE TRIGGER reporting_pathway_choices_no_truncate BEFORE TRUNCATE ON reporting_pathway_choices
    FOR EACH STATEMENT EXECUTE FUNCTION refuse_change('reporting option choices are an audit trail: TRUNCATE is not allowed');
