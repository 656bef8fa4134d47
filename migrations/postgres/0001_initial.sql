-- Users of the website. Passwords are argon2 PHC strings, never plain text.
CREATE TABLE users (
    user_id        TEXT PRIMARY KEY,
    display_name   TEXT NOT NULL,
    password_hash  TEXT NOT NULL,
    role           TEXT NOT NULL CHECK (role IN ('PRACTICE_REPRESENTATIVE', 'REGISTRY_STAFF')),
    is_demo        BIGINT NOT NULL DEFAULT 0,
    created_at     BIGINT NOT NULL
);

-- Eligibility data of a practice (TIN) for one performance year.
CREATE TABLE practices (
    performance_year      BIGINT NOT NULL,
    tin                   TEXT NOT NULL,
    name                  TEXT NOT NULL,
    address_line1         TEXT NOT NULL,
    city                  TEXT NOT NULL,
    state                 TEXT NOT NULL,
    zip                   TEXT NOT NULL,
    medicare_patients     BIGINT NOT NULL CHECK (medicare_patients >= 0),
    allowed_charges_cents BIGINT NOT NULL CHECK (allowed_charges_cents >= 0),
    covered_services      BIGINT NOT NULL CHECK (covered_services >= 0),
    special_statuses      TEXT NOT NULL DEFAULT '',
    mips_apm_participant  BIGINT NOT NULL DEFAULT 0,
    is_demo               BIGINT NOT NULL DEFAULT 0,
    PRIMARY KEY (performance_year, tin)
);

-- Eligibility data of a clinician (TIN/NPI) for one performance year.
CREATE TABLE clinicians (
    performance_year      BIGINT NOT NULL,
    tin                   TEXT NOT NULL,
    npi                   TEXT NOT NULL,
    first_name            TEXT NOT NULL,
    last_name             TEXT NOT NULL,
    medicare_patients     BIGINT NOT NULL CHECK (medicare_patients >= 0),
    allowed_charges_cents BIGINT NOT NULL CHECK (allowed_charges_cents >= 0),
    covered_services      BIGINT NOT NULL CHECK (covered_services >= 0),
    special_statuses      TEXT NOT NULL DEFAULT '',
    mips_apm_participant  BIGINT NOT NULL DEFAULT 0,
    is_demo               BIGINT NOT NULL DEFAULT 0,
    PRIMARY KEY (performance_year, tin, npi),
    FOREIGN KEY (performance_year, tin) REFERENCES practices (performance_year, tin)
);

-- Which practices (TINs) a user is connected to. Connection is per TIN, across years.
CREATE TABLE user_practices (
    user_id TEXT NOT NULL REFERENCES users (user_id),
    tin     TEXT NOT NULL,
    PRIMARY KEY (user_id, tin)
);

CREATE TABLE election_windows (
    performance_year     BIGINT PRIMARY KEY,
    opens_at             BIGINT NOT NULL,
    election_closes_at   BIGINT NOT NULL,
    submission_closes_at BIGINT NOT NULL,
    source               TEXT NOT NULL CHECK (source IN ('OFFICIAL', 'EXPECTED', 'DEMO')),
    note                 TEXT NOT NULL,
    CHECK (opens_at < election_closes_at AND election_closes_at <= submission_closes_at)
);

-- Signed-in sessions. Only a SHA-256 of the cookie's token is stored.
CREATE TABLE sessions (
    token_hash                   TEXT PRIMARY KEY,
    user_id                      TEXT NOT NULL REFERENCES users (user_id),
    csrf_token                   TEXT NOT NULL,
    created_at                   BIGINT NOT NULL,
    expires_at                   BIGINT NOT NULL,
    statement_of_truth_agreed_at BIGINT NOT NULL
);
CREATE INDEX sessions_user ON sessions (user_id);

-- Elections are final: at most one per (performance year, TIN, NPI-or-none). A group election
-- stores npi = '' rather than NULL because NULLs never collide in a UNIQUE/PRIMARY KEY
-- constraint, which would let two group elections coexist.
CREATE TABLE elections (
    performance_year BIGINT NOT NULL,
    tin              TEXT NOT NULL,
    npi              TEXT NOT NULL DEFAULT '',
    election         TEXT NOT NULL CHECK (election IN ('OPT_IN', 'VOLUNTARY')),
    elected_at       BIGINT NOT NULL,
    elected_by       TEXT NOT NULL,
    channel          TEXT NOT NULL CHECK (channel IN ('WEB', 'API', 'REGISTRY_UPLOAD')),
    PRIMARY KEY (performance_year, tin, npi)
);

CREATE FUNCTION refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION '%', TG_ARGV[0];
END;
$$;

CREATE TRIGGER elections_are_final_no_update BEFORE UPDATE ON elections
    FOR EACH ROW EXECUTE FUNCTION refuse_change('elections are final: UPDATE is not allowed');
CREATE TRIGGER elections_are_final_no_delete BEFORE DELETE ON elections
    FOR EACH ROW EXECUTE FUNCTION refuse_change('elections are final: DELETE is not allowed');

-- Who made each election, when, through which channel, and when they agreed to the
-- Statement of Truth. Written in the same transaction as the election; append-only.
CREATE TABLE election_audit (
    performance_year             BIGINT NOT NULL,
    tin                          TEXT NOT NULL,
    npi                          TEXT NOT NULL DEFAULT '',
    election                     TEXT NOT NULL,
    actor_user_id                TEXT NOT NULL,
    actor_display_name           TEXT NOT NULL,
    channel                      TEXT NOT NULL,
    occurred_at                  BIGINT NOT NULL,
    statement_of_truth_agreed_at BIGINT NOT NULL,
    PRIMARY KEY (performance_year, tin, npi),
    FOREIGN KEY (performance_year, tin, npi) REFERENCES elections (performance_year, tin, npi)
);

CREATE TRIGGER election_audit_append_only_no_update BEFORE UPDATE ON election_audit
    FOR EACH ROW EXECUTE FUNCTION refuse_change('the election audit is append-only');
CREATE TRIGGER election_audit_append_only_no_delete BEFORE DELETE ON election_audit
    FOR EACH ROW EXECUTE FUNCTION refuse_change('the election audit is append-only');

-- Every agreement to the Statement of Truth at sign-in, kept after the session ends.
CREATE TABLE statement_of_truth_agreements (
    id        TEXT PRIMARY KEY,
    user_id   TEXT NOT NULL REFERENCES users (user_id),
    agreed_at BIGINT NOT NULL
);
