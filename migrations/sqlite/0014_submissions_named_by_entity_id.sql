-- APM Entities, virtual groups and subgroups submit under their entity ID, not a TIN/NPI (the
-- Submissions API writes a TIN only for individuals and groups). A submission is now keyed by
-- year, entity type, TIN, NPI and entity ID: '' stands for "none" in each text column, so a
-- group is (year, 'group', TIN, '', '') and an APM Entity (year, 'apm', '', '', ID).
-- SQLite can't change a primary key in place, so both tables are rebuilt with their rows.

CREATE TABLE submissions_by_entity (
    performance_year           INTEGER NOT NULL,
    entity_type                TEXT NOT NULL CHECK (entity_type IN ('individual', 'group', 'apm', 'virtualGroup', 'subgroup')),
    tin                        TEXT NOT NULL,
    npi                        TEXT NOT NULL DEFAULT '',
    entity_id                  TEXT NOT NULL DEFAULT '',
    created_at                 INTEGER NOT NULL,
    updated_at                 INTEGER NOT NULL,
    voluntary_without_election INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (performance_year, entity_type, tin, npi, entity_id),
    -- Each kind has exactly the identifiers that key it.
    CHECK ((entity_type IN ('individual', 'group') AND tin <> '' AND entity_id = '' AND ((entity_type = 'individual') = (npi <> '')))
        OR (entity_type IN ('apm', 'virtualGroup', 'subgroup') AND tin = '' AND npi = '' AND entity_id <> ''))
);
INSERT INTO submissions_by_entity (performance_year, entity_type, tin, npi, entity_id, created_at, updated_at, voluntary_without_election)
    SELECT performance_year, entity_type, tin, npi, '', created_at, updated_at, voluntary_without_election FROM submissions;

CREATE TABLE measurement_sets_by_entity (
    registry_id       TEXT NOT NULL REFERENCES registries (registry_id),
    performance_year  INTEGER NOT NULL,
    entity_type       TEXT NOT NULL,
    tin               TEXT NOT NULL,
    npi               TEXT NOT NULL DEFAULT '',
    entity_id         TEXT NOT NULL DEFAULT '',
    category          TEXT NOT NULL,
    submission_method TEXT NOT NULL,
    program_name      TEXT NOT NULL,
    measure_count     INTEGER NOT NULL,
    source_format     TEXT NOT NULL CHECK (source_format IN ('QPP_JSON', 'QRDA_III')),
    source_file       TEXT NOT NULL,
    upload_id         TEXT NOT NULL REFERENCES uploads (upload_id),
    submitted_at      INTEGER NOT NULL,
    body              TEXT NOT NULL,
    PRIMARY KEY (registry_id, performance_year, entity_type, tin, npi, entity_id, category, submission_method, program_name),
    FOREIGN KEY (performance_year, entity_type, tin, npi, entity_id)
        REFERENCES submissions_by_entity (performance_year, entity_type, tin, npi, entity_id)
);
INSERT INTO measurement_sets_by_entity (registry_id, performance_year, entity_type, tin, npi, entity_id, category, submission_method, program_name, measure_count, source_format, source_file, upload_id, submitted_at, body)
    SELECT m.registry_id, m.performance_year, s.entity_type, m.tin, m.npi, '', m.category, m.submission_method, m.program_name, m.measure_count, m.source_format, m.source_file, m.upload_id, m.submitted_at, m.body
    FROM measurement_sets m JOIN submissions s ON s.performance_year = m.performance_year AND s.tin = m.tin AND s.npi = m.npi;

DROP TABLE measurement_sets;
DROP TABLE submissions;
-- Renaming also renames the foreign key's target in measurement_sets_by_entity.
ALTER TABLE submissions_by_entity RENAME TO submissions;
ALTER TABLE measurement_sets_by_entity RENAME TO measurement_sets;
