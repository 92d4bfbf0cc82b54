-- A creating API request sent with an Idempotency-Key: who sent it, to what, a digest of the
-- request and, once it is done, the answer, so that a retry gets that answer instead of a
-- second write. The primary key lets only one request claim a key; keys live 24 hours.
CREATE TABLE idempotency_keys (
    user_id BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    idempotency_key TEXT NOT NULL,
    request TEXT NOT NULL,
    request_hash TEXT NOT NULL,
    status INT,
    response_headers TEXT,
    response_body TEXT,
    created_at BIGINT NOT NULL,
    PRIMARY KEY (user_id, idempotency_key)
);
CREATE INDEX idempotency_keys_created ON idempotency_keys(created_at);

-- One row that /healthz rewrites to learn whether the storage takes writes again.
CREATE TABLE health_probe (
    id BIGINT PRIMARY KEY,
    at BIGINT NOT NULL
);
