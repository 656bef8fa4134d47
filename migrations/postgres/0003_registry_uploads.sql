-- Registry uploads (issue 5): clients, roles, API tokens, uploads and the data they stored.

-- The practices (TINs) a registry reports for. A clinician is a client through its TIN.
CREATE TABLE registry_clients (
    registry_id TEXT NOT NULL REFERENCES registries (registry_id),
    tin         TEXT NOT NULL,
    PRIMARY KEY (registry_id, tin)
);

-- Only a registry's Security Official may create, rotate or revoke its API token.
ALTER TABLE user_registries ADD COLUMN is_security_official BIGINT NOT NULL DEFAULT 0;

-- API tokens: only a SHA-256 of the token is kept; it is shown once when created.
CREATE TABLE registry_api_tokens (
    token_hash  TEXT PRIMARY KEY,
    registry_id TEXT NOT NULL REFERENCES registries (registry_id),
    last_four   TEXT NOT NULL,
    created_at  BIGINT NOT NULL,
    created_by  TEXT NOT NULL,
    revoked_at  BIGINT
);
-- At most one live token per registry, even when two rotations race.
CREATE UNIQUE INDEX registry_api_tokens_live ON registry_api_tokens (registry_id) WHERE revoked_at IS NULL;

-- One row per committed upload. A repeat with the same key returns the stored summary instead
-- of storing anything twice (the key is the Idempotency-Key header or a hash of the content).
CREATE TABLE uploads (
    upload_id        TEXT PRIMARY KEY,
    registry_id      TEXT NOT NULL REFERENCES registries (registry_id),
    performance_year BIGINT NOT NULL,
    idempotency_key  TEXT NOT NULL,
    created_at       BIGINT NOT NULL,
    created_by       TEXT NOT NULL,
    channel          TEXT NOT NULL CHECK (channel IN ('WEB', 'API')),
    summary          TEXT NOT NULL,
    UNIQUE (registry_id, idempotency_key)
);

-- The files of an upload. QRDA III content is kept whole (its conversion comes later); a QPP
-- JSON file's data lives in measurement_sets, so only its name, size and hash are kept.
CREATE TABLE upload_files (
    upload_id  TEXT NOT NULL REFERENCES uploads (upload_id),
    file_index BIGINT NOT NULL,
    file_name  TEXT NOT NULL,
    format     TEXT NOT NULL CHECK (format IN ('QPP_JSON', 'QRDA_III')),
    bytes      BIGINT NOT NULL,
    sha256     TEXT NOT NULL,
    content    TEXT NOT NULL,
    PRIMARY KEY (upload_id, file_index)
);

-- One submission per participant and year, as in the Submissions API.
CREATE TABLE submissions (
    performance_year BIGINT NOT NULL,
    tin              TEXT NOT NULL,
    npi              TEXT NOT NULL DEFAULT '',
    entity_type      TEXT NOT NULL,
    created_at       BIGINT NOT NULL,
    updated_at       BIGINT NOT NULL,
    PRIMARY KEY (performance_year, tin, npi)
);

-- A registry's measurement sets. A new set replaces the one with the same category,
-- submission method and program name (the Submissions API's matching rule).
CREATE TABLE measurement_sets (
    registry_id       TEXT NOT NULL REFERENCES registries (registry_id),
    performance_year  BIGINT NOT NULL,
    tin               TEXT NOT NULL,
    npi               TEXT NOT NULL DEFAULT '',
    category          TEXT NOT NULL,
    submission_method TEXT NOT NULL,
    program_name      TEXT NOT NULL,
    measure_count     BIGINT NOT NULL,
    source_format     TEXT NOT NULL CHECK (source_format IN ('QPP_JSON', 'QRDA_III')),
    source_file       TEXT NOT NULL,
    upload_id         TEXT NOT NULL REFERENCES uploads (upload_id),
    submitted_at      BIGINT NOT NULL,
    body              TEXT NOT NULL,
    PRIMARY KEY (registry_id, performance_year, tin, npi, category, submission_method, program_name),
    FOREIGN KEY (performance_year, tin, npi) REFERENCES submissions (performance_year, tin, npi)
);
