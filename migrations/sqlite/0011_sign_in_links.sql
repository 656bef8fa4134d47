-- One-time sign-in links the operator makes (`mips-elections users sign-in-link USER_ID`) for an
-- owner whose User ID others have locked with failed attempts. Only the token's hash is kept;
-- a link works once, for its User ID, until it expires. Rows come only from the operator, so
-- nothing unauthenticated can grow the table.
CREATE TABLE sign_in_links (
    token_hash TEXT PRIMARY KEY,
    user_id    TEXT NOT NULL REFERENCES users(user_id),
    created_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL,
    used_at    INTEGER
);
