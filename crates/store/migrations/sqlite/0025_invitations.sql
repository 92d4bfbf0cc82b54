-- An invitation to an account that has no password yet: a single-use link, valid for a few
-- days, of which only the SHA-256 is kept. Using it sets the account's first password.
CREATE TABLE invitations (
    id INTEGER PRIMARY KEY,
    user_id BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    token_hash TEXT NOT NULL UNIQUE,
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL,
    used_at BIGINT
);
CREATE INDEX invitations_user ON invitations(user_id);
