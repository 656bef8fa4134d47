-- CMS's determinations decide (issue 11): isEligible and isOptInEligible of the QPP Eligibility
-- API at each level (practice = groupScenario, clinician = individualScenario), and a
-- clinician's exclusion (QP, newly enrolled, ineligible clinician type). The three low-volume
-- figures only explain a status and may be absent, since CMS does not publish them.
ALTER TABLE practices ADD COLUMN mips_eligible BIGINT NOT NULL DEFAULT 0;
ALTER TABLE practices ADD COLUMN opt_in_eligible BIGINT NOT NULL DEFAULT 0;
ALTER TABLE practices ADD COLUMN exclusion TEXT NOT NULL DEFAULT '' CHECK (exclusion = '');
ALTER TABLE practices ADD COLUMN figures_provided BIGINT NOT NULL DEFAULT 1;
ALTER TABLE clinicians ADD COLUMN mips_eligible BIGINT NOT NULL DEFAULT 0;
ALTER TABLE clinicians ADD COLUMN opt_in_eligible BIGINT NOT NULL DEFAULT 0;
ALTER TABLE clinicians ADD COLUMN exclusion TEXT NOT NULL DEFAULT ''
    CHECK (exclusion IN ('', 'QUALIFYING_APM_PARTICIPANT', 'NEWLY_ENROLLED', 'INELIGIBLE_CLINICIAN_TYPE'));
ALTER TABLE clinicians ADD COLUMN figures_provided BIGINT NOT NULL DEFAULT 1;

-- One import is one data run: the file it came from, what it held, and its content hash, so
-- that importing the same file again changes nothing.
ALTER TABLE data_runs ADD COLUMN file_name TEXT NOT NULL DEFAULT '';
ALTER TABLE data_runs ADD COLUMN clinicians BIGINT NOT NULL DEFAULT 0;
ALTER TABLE data_runs ADD COLUMN practices BIGINT NOT NULL DEFAULT 0;
ALTER TABLE data_runs ADD COLUMN opt_in_eligible BIGINT NOT NULL DEFAULT 0;
ALTER TABLE data_runs ADD COLUMN content_sha256 TEXT NOT NULL DEFAULT '';
ALTER TABLE data_runs ADD COLUMN imported_at BIGINT NOT NULL DEFAULT 0;
