-- APM Entities, virtual groups and subgroups submit under their entity ID, not a TIN/NPI (the
-- Submissions API writes a TIN only for individuals and groups). A submission is now keyed by
-- year, entity type, TIN, NPI and entity ID: '' stands for "none" in each text column, so a
-- group is (year, 'group', TIN, '', '') and an APM Entity (year, 'apm', '', '', ID).

ALTER TABLE measurement_sets DROP CONSTRAINT measurement_sets_performance_year_tin_npi_fkey;
ALTER TABLE measurement_sets DROP CONSTRAINT measurement_sets_pkey;
ALTER TABLE submissions DROP CONSTRAINT submissions_pkey;

ALTER TABLE submissions ADD COLUMN entity_id TEXT NOT NULL DEFAULT '';
ALTER TABLE submissions ADD CONSTRAINT submissions_pkey PRIMARY KEY (performance_year, entity_type, tin, npi, entity_id);
ALTER TABLE submissions ADD CONSTRAINT submissions_entity_type_known
    CHECK (entity_type IN ('individual', 'group', 'apm', 'virtualGroup', 'subgroup'));
-- Each kind has exactly the identifiers that key it.
ALTER TABLE submissions ADD CONSTRAINT submissions_keyed_by_kind
    CHECK ((entity_type IN ('individual', 'group') AND tin <> '' AND entity_id = '' AND ((entity_type = 'individual') = (npi <> '')))
        OR (entity_type IN ('apm', 'virtualGroup', 'subgroup') AND tin = '' AND npi = '' AND entity_id <> ''));

ALTER TABLE measurement_sets ADD COLUMN entity_type TEXT;
ALTER TABLE measurement_sets ADD COLUMN entity_id TEXT NOT NULL DEFAULT '';
UPDATE measurement_sets m SET entity_type = s.entity_type
    FROM submissions s WHERE s.performance_year = m.performance_year AND s.tin = m.tin AND s.npi = m.npi;
ALTER TABLE measurement_sets ALTER COLUMN entity_type SET NOT NULL;
ALTER TABLE measurement_sets ADD CONSTRAINT measurement_sets_pkey
    PRIMARY KEY (registry_id, performance_year, entity_type, tin, npi, entity_id, category, submission_method, program_name);
ALTER TABLE measurement_sets ADD CONSTRAINT measurement_sets_submission_fkey
    FOREIGN KEY (performance_year, entity_type, tin, npi, entity_id)
    REFERENCES submissions (performance_year, entity_type, tin, npi, entity_id);
