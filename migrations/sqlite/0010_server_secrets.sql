-- Secrets every instance of a deployment shares, made once at random by the first to need one
-- (e.g. the key of the sign-in counters' buckets, so nobody can compute which User ID and
-- address share a bucket with someone else's).
CREATE TABLE server_secrets (
    name  TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
