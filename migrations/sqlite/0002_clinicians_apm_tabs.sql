-- The reporting pathway (traditional MIPS or the APP) chosen by a MIPS APM participant after
-- opting in. Final like the election it follows.
CREATE TABLE reporting_pathways (
    performance_year INTEGER NOT NULL,
    tin              TEXT NOT NULL,
    npi              TEXT NOT NULL DEFAULT '',
    pathway          TEXT NOT NULL CHECK (pathway IN ('TRADITIONAL_MIPS', 'APP')),
    chosen_at        INTEGER NOT NULL,
    chosen_by        TEXT NOT NULL,
    actor_user_id    TEXT NOT NULL,
    PRIMARY KEY (performance_year, tin, npi)
);
CREATE TRIGGER reporting_pathways_final_no_update BEFORE UPDATE ON reporting_pathways
BEGIN
    SELECT RAISE(ABORT, 'reporting pathways are final: UPDATE is not allowed');
END;
CREATE TRIGGER reporting_pathways_final_no_delete BEFORE DELETE ON reporting_pathways
BEGIN
    SELECT RAISE(ABORT, 'reporting pathways are final: DELETE is not allowed');
END;

-- Which eligibility data run a year's statuses come from (the data-freshness notice).
CREATE TABLE data_runs (
    performance_year INTEGER NOT NULL,
    run_number       INTEGER NOT NULL,
    released_on      TEXT NOT NULL,
    description      TEXT NOT NULL,
    PRIMARY KEY (performance_year, run_number)
);

-- APM Entities a user can see (read-only: APM Entities can't opt in through QPP).
CREATE TABLE apm_entities (
    performance_year INTEGER NOT NULL,
    entity_id        TEXT NOT NULL,
    name             TEXT NOT NULL,
    apm_name         TEXT NOT NULL,
    track            TEXT NOT NULL,
    participant_tins TEXT NOT NULL DEFAULT '',
    is_demo          INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (performance_year, entity_id)
);
CREATE TABLE user_apm_entities (
    user_id   TEXT NOT NULL REFERENCES users (user_id),
    entity_id TEXT NOT NULL,
    PRIMARY KEY (user_id, entity_id)
);

-- Qualified Registries and QCDRs, and the staff connected to them.
CREATE TABLE registries (
    registry_id TEXT PRIMARY KEY,
    name        TEXT NOT NULL,
    tin         TEXT NOT NULL,
    kind        TEXT NOT NULL CHECK (kind IN ('QUALIFIED_REGISTRY', 'QCDR')),
    is_demo     INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE user_registries (
    user_id     TEXT NOT NULL REFERENCES users (user_id),
    registry_id TEXT NOT NULL REFERENCES registries (registry_id),
    PRIMARY KEY (user_id, registry_id)
);

-- Virtual groups (read-only here: their virtual-group election is their opt-in election).
CREATE TABLE virtual_groups (
    performance_year INTEGER NOT NULL,
    vg_id            TEXT NOT NULL,
    name             TEXT NOT NULL,
    member_tins      TEXT NOT NULL DEFAULT '',
    elected_on       TEXT NOT NULL,
    is_demo          INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (performance_year, vg_id)
);
CREATE TABLE user_virtual_groups (
    user_id TEXT NOT NULL REFERENCES users (user_id),
    vg_id   TEXT NOT NULL,
    PRIMARY KEY (user_id, vg_id)
);
