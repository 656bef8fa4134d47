-- Sign-in attempts, counted in the database so that every server instance shares them, and
-- before the password is checked so that attempts in flight count. A bucket is a hash of
-- (User ID, client address) or of the client address, cut to a fixed number of values
-- (src/server/secrets.rs), so the table can never hold more rows than that, whatever is sent.
CREATE TABLE sign_in_attempts (
    bucket       TEXT PRIMARY KEY,
    attempts     BIGINT NOT NULL,
    window_start BIGINT NOT NULL
);
